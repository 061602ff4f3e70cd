"""Demo office (Bengkalis) and synthetic data for benchmarks."""
