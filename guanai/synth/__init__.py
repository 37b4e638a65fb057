"""Synthetic counties for demos, tests and benchmarks (invented people only)."""
