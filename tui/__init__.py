"""Counterclaim's terminal board: a Textual client of the ``verify`` engine.

The dependency points one way: ``tui`` imports ``verify``; nothing under ``verify`` imports Textual
(tests/test_engine_isolation.py checks it)."""
