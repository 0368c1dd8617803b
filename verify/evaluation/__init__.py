"""Measurements of the pipeline's parts against public gold data (PolNeAR, ClaimBuster)."""
