"""Benchmarks behind ``make bench``; figures are written into docs/benchmarks.md."""
