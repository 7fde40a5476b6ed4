"""Benchmarks: `python -m bench.<name>`; numbers are printed, never asserted."""
