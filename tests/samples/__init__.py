"""Fixtures for the tests and the benchmarks (never shipped in the app): sample boards written
as the pipeline would write them, with frozen model output (``board``, ``board_props``,
``board_seeds``), and the Pilot helpers (``pilot``). The benchmarks put ``tests/`` on the path."""
