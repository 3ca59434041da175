"""Benchmarks with their own data generator (issue 2 and issue 4 performance figures)."""
