"""Stance models: given claim pairs, probabilities over ``verify.labels.STANCE_LABELS``."""

from .base import StanceModel, load_default_model

__all__ = ["StanceModel", "load_default_model"]
