"""Analysts' work: tags and their review, settling, corrections, agreement, sessions, and retraining from tags."""
