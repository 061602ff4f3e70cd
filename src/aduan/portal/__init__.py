"""The citizen-facing site: submit, track, learn."""
