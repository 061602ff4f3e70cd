"""Benchmarks: each script prints numbers recorded in docs/benchmarks.md."""
