"""Inbound channels: adapters that turn provider payloads into complaints and messages."""
