"""Benchmarks: run by hand against the machine's PostgreSQL and Redis, never by pytest."""
