"""Claim extraction: sentences, attribution (speaker, cue, relay), content and offsets."""

from .extractor import ClaimExtractor

__all__ = ["ClaimExtractor"]
