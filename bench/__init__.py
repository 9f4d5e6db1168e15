"""Benchmarks: `make bench` writes their figures to docs/benchmarks.md as ratios to a baseline."""
