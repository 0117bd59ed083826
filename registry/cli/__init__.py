"""The `rnd-registry` command line: one module per command group."""
