"""Claim attribution against the hand-labelled seed gold (../shared/gold/seeds_claims.jsonl)."""

from __future__ import annotations

import pytest
from conftest import SEEDS, load_gold

from verify.claims import ClaimExtractor


@pytest.fixture(scope="module")
def seed_claims() -> dict[str, list]:
    ex = ClaimExtractor()
    return {
        p.name[:3]: (p.read_text(), ex.extract(p.read_text())) for p in sorted(SEEDS.glob("*.txt"))
    }


def _matches(gold: dict, claims: list) -> bool:
    for c in claims:
        if gold["contains"] not in c.text or c.speaker not in gold["speaker_any"]:
            continue
        if not gold["relay_any"] or set(c.relay) & set(gold["relay_any"]):
            return True
    return False


def test_at_least_23_of_25_gold_claims_with_speaker_and_relay(seed_claims) -> None:
    gold = load_gold("seeds_claims.jsonl")
    assert len(gold) == 25
    missed = [g["id"] for g in gold if not _matches(g, seed_claims[g["article"]][1])]
    assert len(gold) - len(missed) >= 23, f"missed {missed}"


def test_offsets_point_into_the_article(seed_claims) -> None:
    for text, claims in seed_claims.values():
        assert claims
        for c in claims:
            assert 0 <= c.start < c.end <= len(text)
            assert c.sentence in text
            # Content pieces come from the article, in order, between the offsets.
            assert text[c.start : c.end].startswith(c.text.split(" ")[0])


def test_attribution_phrase_is_removed_from_content(seed_claims) -> None:
    _, claims = seed_claims["003"]
    scholz = next(c for c in claims if "by no means exhausted" in c.text)
    assert "Scholz said" not in scholz.text and scholz.cue == "said"
    cnn = next(c for c in claims if "massing of Russian troops" in c.text)
    assert not cnn.text.startswith(("However", "CNN", "that"))


@pytest.mark.parametrize(
    ("text", "contains", "speaker", "cue", "relay"),
    [
        (
            "The minister Anna Berg spoke on Monday. “Prices will fall,” she added.",
            "Prices will fall",
            "Anna Berg",
            "added",
            [],
        ),
        (
            "According to officials, the bridge will reopen in May.",
            "the bridge will reopen",
            "officials",
            "according to",
            [],
        ),
        (
            "Taxes will rise next year. This was stated by Finance Minister Karl Olsen, quoted by Reuters.",
            "Taxes will rise",
            "Karl Olsen",
            "stated",
            ["Reuters"],
        ),
        (
            "Senator Jane Moss said that the vote was rigged.",
            "the vote was rigged",
            "Jane Moss",
            "said",
            [],
        ),
        (
            # Footage shows, it does not speak: the paragraph's source presents it.
            "Reuters refers to convoys near the river. Another video, posted online on Monday, "
            "shows trucks moving toward the city.",
            "trucks moving toward the city",
            "Reuters",
            "shows",
            [],
        ),
        (
            "The ministry writes on Twitter that “no soldiers were hurt”.",
            "no soldiers were hurt",
            "ministry",
            "writes on Twitter",
            [],
        ),
    ],
)
def test_attribution_patterns(
    text: str, contains: str, speaker: str, cue: str, relay: list[str]
) -> None:
    claims = ClaimExtractor().extract(text)
    hit = next(c for c in claims if contains in c.text)
    assert (hit.speaker, hit.cue, hit.relay) == (speaker, cue, relay)


def test_unattributed_narrative_needs_an_outlet() -> None:
    text = "The river flooded the old town on Sunday."
    assert ClaimExtractor().extract(text) == []
    (claim,) = ClaimExtractor().extract(text, outlet="Daily Planet")
    assert claim.speaker == "Daily Planet" and claim.cue == ""


def test_markup_and_control_characters_survive() -> None:
    text = "Officials said that <script>alert(1)</script> \x1b[31mprices\x1b[0m [bold]rose[/bold]."
    claims = ClaimExtractor().extract(text)
    assert claims and claims[0].speaker == "Officials"
    assert "<script>alert(1)</script>" in claims[0].text and "\x1b[31m" in claims[0].text
    assert "[bold]rose[/bold]" in claims[0].text
    # Pure noise with an outlet still yields a claim, untouched, and never raises.
    noise = "[/foo] \x00\x07 <<<>>> [[[ ]]] \x1b[0m"
    assert all(c.text in noise for c in ClaimExtractor().extract(noise, outlet="X"))
