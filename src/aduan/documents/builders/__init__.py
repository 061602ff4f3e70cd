"""PDF builders: pure functions from document data (documents.data) to PDF bytes."""
