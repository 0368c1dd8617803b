"""Training-only code for the stance models (corpora, weighting). Inference never imports it."""
