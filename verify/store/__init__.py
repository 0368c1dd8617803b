"""The store: one SQLite file and everything that speaks SQL to it."""
