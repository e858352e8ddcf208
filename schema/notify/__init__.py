"""Notifications in GraphQL: webhooks to register and the dead-letter list to retry."""
