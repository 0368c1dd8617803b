"""Claim extraction: sentences, attribution (speaker, cue, relay), content and offsets."""

from verify.claims.extractor import ClaimExtractor

__all__ = ["ClaimExtractor"]
