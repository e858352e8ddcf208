"""办件: cases, their clock and their ledger."""
