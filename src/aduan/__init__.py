"""Aduan: public-complaint management for Indonesian government service offices."""
