"""Shared test helpers: chain fixtures' building blocks and the registry harness."""
