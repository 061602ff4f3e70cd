"""Staff desk views, one module per screen group."""
