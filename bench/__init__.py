"""Benchmarks (not part of the test run): they print figures."""
