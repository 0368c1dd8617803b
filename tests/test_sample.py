"""The sample board's claims (tests/samples/board_seeds.py, frozen so that tests and snapshots need no spaCy) are
what the real extractor finds in the two seed articles: same claims, same order, same fields."""

from __future__ import annotations

import pytest
from samples.board import _claims
from samples.board_seeds import DRAGHI_CLAIMS, DRAGHI_LIVE_BLOG, SCHOLZ_CLAIMS, SCHOLZ_WITHDRAWAL

from verify.claims import ClaimExtractor
from verify.types import Claim

#: The fields the store keeps of a claim (``Store.add_article``).
STORED = ("start", "end", "sentence", "text", "speaker", "cue", "relay")


def stored(claim: Claim) -> tuple:
    return tuple(getattr(claim, f) for f in STORED)


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


@pytest.mark.parametrize(
    ("text", "rows"),
    [(DRAGHI_LIVE_BLOG, DRAGHI_CLAIMS), (SCHOLZ_WITHDRAWAL, SCHOLZ_CLAIMS)],
    ids=["draghi", "scholz"],
)
def test_frozen_claims_are_the_extractors(extractor: ClaimExtractor, text: str, rows) -> None:
    real = [stored(c) for c in extractor.extract(text)]
    frozen = [stored(c) for c in _claims(text, rows)]
    # On a failure the extractor changed: freeze its output again (keys of claims it still
    # finds stay, so PAIRS, TAGS and the tests keep meaning the same claims).
    assert frozen == real


def test_keys_are_unique_and_name_every_pair_and_tag() -> None:
    from samples.board import PAIRS, TAGS
    from samples.board_props import STANCES

    keys = [r[0] for r in (*DRAGHI_CLAIMS, *SCHOLZ_CLAIMS)]
    assert len(keys) == len(set(keys))
    named = {k for a, b, _ in PAIRS for k in (a, b)} | {k for a, b, *_ in TAGS for k in (a, b)}
    assert named | set(STANCES) <= set(keys)
