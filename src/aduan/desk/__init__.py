"""The staff workplace."""
