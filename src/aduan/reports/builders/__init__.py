"""Document builders: each takes data assembled from `reports.selectors` and returns bytes."""
