"""The complaint aggregate: case file, reporter, attachments, timeline and procedure."""
