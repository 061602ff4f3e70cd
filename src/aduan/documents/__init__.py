"""Official printable documents of a case: forms and letters as PDF (SPEC §5)."""
