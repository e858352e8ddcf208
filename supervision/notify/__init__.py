"""Telling people: text messages to officers and signed webhooks, through a retried outbox."""
