"""Shared building blocks: base model, errors, working days, masking (no domain models)."""
