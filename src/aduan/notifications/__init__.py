"""Outbound notifications: outbox, senders and the tasks that deliver them."""
