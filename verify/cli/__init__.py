"""The `counterclaim` command line: a thin client of the engine."""
