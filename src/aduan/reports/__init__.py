"""Official documents and reports built from complaint selectors."""
