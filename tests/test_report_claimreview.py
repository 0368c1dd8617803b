"""ClaimReview output checked against the schema.org vocabulary and Google's fact-check markup
guidance, and one rating per claim once analysts' conflicts are settled.

The property lists below are written from schema.org (the properties each type accepts,
inherited ones included, and their expected types) and from Google's "Fact check (ClaimReview)
structured data" page (required / recommended). Only the properties this export may use are
listed as allowed: anything else it writes is an error, so a typo or an invented property fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_report_corpus import (
    CONTRA,
    MODEL,
    WITHDRAWAL,
    build_dispute,
    build_hostile,
    build_propositions,
)

from verify.report import build, render
from verify.report.claimreview_props import DISPUTED, REFUTED, SUPPORTED, proposition_rating
from verify.report.claimreview_props import MIXED as PROPOSITION_MIXED
from verify.report.fmt_claimreview import MIXED, RATINGS
from verify.settle import settle
from verify.store import Store
from verify.types import Article, Claim

# Google: required and recommended properties per type.
GOOGLE_REQUIRED = {
    "ClaimReview": {"claimReviewed", "reviewRating", "url"},
    "Rating": {"alternateName"},
}
GOOGLE_RECOMMENDED = {
    "ClaimReview": {"author", "datePublished", "itemReviewed"},
    "Claim": {"appearance", "author", "datePublished", "firstAppearance"},
    "Rating": {"bestRating", "name", "ratingValue", "worstRating"},
}
# schema.org: property -> the types its value may take ("Text", "URL", "Date", "Number" are
# data types; the others are item types, subtypes allowed through SUBTYPES).
CREATIVE_WORK = {
    "author": {"Person", "Organization"},
    "contributor": {"Person", "Organization"},
    "citation": {"CreativeWork", "Text"},
    "datePublished": {"Date"},
    "description": {"Text"},  # schema.org Thing: says which way a proposition's appearance goes
    "headline": {"Text"},
    "identifier": {"Text"},
    "name": {"Text"},
    "publisher": {"Person", "Organization"},
    "text": {"Text"},
    "url": {"URL"},
}
VOCABULARY: dict[str, dict[str, set[str]]] = {
    "ClaimReview": {
        **CREATIVE_WORK,
        "claimReviewed": {"Text"},
        "itemReviewed": {"Thing"},
        "reviewBody": {"Text"},
        "reviewRating": {"Rating"},
    },
    "Claim": {
        **CREATIVE_WORK,
        "appearance": {"CreativeWork"},
        "firstAppearance": {"CreativeWork"},
    },
    "NewsArticle": CREATIVE_WORK,
    "Rating": {
        "alternateName": {"Text"},
        "bestRating": {"Number", "Text"},
        "name": {"Text"},
        "ratingExplanation": {"Text"},
        "ratingValue": {"Number", "Text"},
        "worstRating": {"Number", "Text"},
    },
    "Person": {"name": {"Text"}, "url": {"URL"}},
    "Organization": {"name": {"Text"}, "url": {"URL"}},
}
SUBTYPES = {
    "Thing": {"Thing", "CreativeWork", "Claim", "NewsArticle", "Person", "Organization", "Rating"},
    "CreativeWork": {"CreativeWork", "Claim", "NewsArticle", "ClaimReview"},
}


def _data_ok(kind: str, value: Any) -> bool:
    if kind == "Text":
        return isinstance(value, str) and value.strip() != ""
    if kind == "Number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "URL":
        parts = urlsplit(value) if isinstance(value, str) else None
        return bool(parts and parts.scheme in ("http", "https") and parts.netloc)
    if kind == "Date":
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True
    return False


def validate(node: dict[str, Any], where: str = "") -> tuple[list[str], list[str]]:
    """(errors, warnings) for one typed node and everything inside it."""
    errors: list[str] = []
    warnings: list[str] = []
    kind = node.get("@type")
    where = f"{where}{kind}"
    if kind not in VOCABULARY:
        return [f"{where}: unknown type"], []
    allowed = VOCABULARY[kind]
    for prop in GOOGLE_REQUIRED.get(kind, set()) - set(node):
        errors.append(f"{where}: missing required {prop}")
    for prop in GOOGLE_RECOMMENDED.get(kind, set()) - set(node):
        warnings.append(f"{kind}.{prop}")
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        if prop not in allowed:
            errors.append(f"{where}: {prop} is not a {kind} property here")
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                ranges = set().union(*(SUBTYPES.get(r, {r}) for r in allowed[prop]))
                if item.get("@type") not in ranges:
                    errors.append(f"{where}.{prop}: {item.get('@type')} not in {allowed[prop]}")
                e, w = validate(item, f"{where}.{prop}.")
                errors += e
                warnings += w
            elif not any(_data_ok(r, item) for r in allowed[prop]):
                errors.append(f"{where}.{prop}: {item!r} is not {allowed[prop]}")
    if kind == "Rating" and "ratingValue" in node:
        worst, best, value = node.get("worstRating"), node.get("bestRating"), node["ratingValue"]
        if not (isinstance(worst, int) and isinstance(best, int) and worst < best):
            errors.append(f"{where}: worstRating {worst} must be below bestRating {best}")
        elif not worst <= value <= best:
            errors.append(f"{where}: ratingValue {value} outside {worst}..{best}")
    return errors, warnings


def reviews(store: Store, **kwargs: Any) -> list[dict[str, Any]]:
    doc = json.loads(render(store, "claimreview", **kwargs))
    assert doc["@context"] == "https://schema.org"
    assert all(r["@type"] == "ClaimReview" for r in doc["@graph"])
    return doc["@graph"]


@pytest.fixture(scope="module")
def dispute(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(build_dispute(tmp_path_factory.mktemp("cr") / "d.db"))
    yield s
    s.close()


def test_validator_catches_what_it_should() -> None:
    """The validator is not vacuous: each broken review is refused for its reason."""
    good = {
        "@type": "ClaimReview",
        "url": "https://checks.example.net/a#claim-1",
        "claimReviewed": "x",
        "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5,
                         "worstRating": 1, "alternateName": "Disputed", "name": "Disputed"},
        "author": {"@type": "Organization", "name": "Desk"},
        "datePublished": "2022-02-16",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A"},
                         "datePublished": "2022-02-15", "appearance": {"@type": "NewsArticle"},
                         "firstAppearance": {"@type": "NewsArticle"}},
    }  # fmt: skip
    assert validate(good) == ([], [])
    broken = [
        ({"url": "/relative"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"datePublished": "16/02/2022"}, "datePublished"),
        ({"itemReviewed": {"@type": "Rating"}}, "itemReviewed"),
        ({"author": {"@type": "Place", "name": "Moscow"}}, "author"),
        ({"rating": 2}, "rating is not"),
        ({"reviewRating": {**good["reviewRating"], "ratingValue": 7}}, "outside"),
        ({"reviewRating": {**good["reviewRating"], "worstRating": 5}}, "below"),
    ]
    for change, reason in broken:
        errors, _ = validate({**good, **change})
        assert any(reason in e for e in errors), (change, errors)
    errors, _ = validate({k: v for k, v in good.items() if k != "url"})
    assert errors == ["ClaimReview: missing required url"]


def test_dispute_reviews_validate(dispute: Store) -> None:
    graph = reviews(dispute)
    assert len(graph) == 3
    warnings: set[str] = set()
    for r in graph:
        errors, w = validate(r)
        assert not errors, errors
        warnings |= set(w)
        # Google: the rating goes in reviewRating, never in claimReviewed.
        assert r["reviewRating"]["alternateName"] not in r["claimReviewed"]
        assert r["author"]["@type"] == "Organization"
    # What the corpus cannot supply: no claim's first appearance is known (only the article it
    # was read in), and one article (Bellingcat's) has no date.
    assert warnings == {"Claim.firstAppearance", "Claim.datePublished"}


def test_hostile_reviews_validate(tmp_path: Path) -> None:
    store = Store(build_hostile(tmp_path / "h.db"))
    graph = reviews(store)
    assert len(graph) == 6
    for r in graph:
        errors, _ = validate(r)
        assert not errors, errors
    store.close()


def _settle_store(path: Path) -> tuple[Store, dict[str, int], dict[str, int]]:
    """Four claims; pairs x-y (contradiction in conflict, then settled), x-z (agreement)."""
    store = Store(path)
    claims = [("x", "Vladimir Putin"), ("y", "Moscow"), ("z", "Russian embassy in Washington")]
    ids = {}
    for i, (name, speaker) in enumerate(claims):
        sentence = f"Claim {name} by {speaker}."
        store.add_article(
            Article(sentence, f"corpus/{name}.txt", f"t{name}", "Outlet", f"2022-02-1{i}"),
            [Claim(sentence, sentence, 0, len(sentence), speaker, "said")],
        )
        ids[name] = max(r["id"] for r in store.claim_rows())
    store.set_actors([(ids[n], s, "Russia") for n, s in claims])
    store.upsert_pairs([(ids["x"], ids["y"], 0.9), (ids["x"], ids["z"], 0.8)])
    pairs = {
        f"{a}{b}": r["id"]
        for r in store.db.execute("SELECT * FROM pairs")
        for a in ids
        for b in ids
        if (r["a_id"], r["b_id"]) == (ids[a], ids[b])
    }
    store.save_suggestions(MODEL, [(pid, CONTRA) for pid in pairs.values()])
    store.meta.stance_model = MODEL
    return store, ids, pairs


def test_one_rating_per_claim_after_settling(tmp_path: Path) -> None:
    store, ids, pairs = _settle_store(tmp_path / "s.db")
    store.add_tag(pairs["xy"], "agreement", "ana")
    store.add_tag(pairs["xy"], "contradiction", "bob")
    # An open conflict is no fact check: nothing is published for the pair.
    assert reviews(store) == []
    settle(store, pairs["xy"], "contradiction", "carol", reviewers=["carol"])
    graph = reviews(store)
    by_claim = {r["identifier"]: r for r in graph}
    assert len(graph) == len(by_claim) == 2  # one review per claim, not one per analyst
    for name in ("x", "y"):
        rating = by_claim[f"claim-{ids[name]}"]["reviewRating"]
        assert (rating["ratingValue"], rating["alternateName"]) == RATINGS["contradiction"]
    assert {p["name"] for p in by_claim[f"claim-{ids['x']}"]["contributor"]} == {
        "ana", "bob", "carol"
    }  # fmt: skip
    # The registry's kinds: Putin a Person; Moscow (a place) and an embassy are organisations.
    authors = {r["itemReviewed"]["author"]["name"]: r["itemReviewed"]["author"]["@type"]
               for r in graph}  # fmt: skip
    assert authors == {"Vladimir Putin": "Person", "Moscow": "Organization"}
    store.add_tag(pairs["xz"], "agreement", "ana")
    graph = reviews(store)
    x = next(r for r in graph if r["identifier"] == f"claim-{ids['x']}")
    assert (x["reviewRating"]["ratingValue"], x["reviewRating"]["alternateName"]) == MIXED
    assert x["reviewRating"]["ratingExplanation"] == (
        "Contradicted by 1 other source(s); corroborated by 1 other source(s)."
    )
    assert len(x["citation"]) == 2
    z = next(r for r in graph if r["identifier"] == f"claim-{ids['z']}")
    assert z["itemReviewed"]["author"]["@type"] == "Organization"
    for r in graph:
        assert not validate(r)[0]
    store.close()


def test_proposition_reviews_rate_the_proposition(tmp_path: Path) -> None:
    """One review per proposition a claim takes a side on, before the per-claim reviews."""
    store = Store(build_propositions(tmp_path / "p.db"))
    graph = reviews(store)
    ids = [r["identifier"] for r in graph]
    # Propositions 1 and 3 have sides (2 has none); then the three analyst-judged claims.
    assert ids[:2] == ["proposition-1", "proposition-3"]
    assert len(ids) == 5 and all(i.startswith("claim-") for i in ids[2:])
    for r in graph:
        errors, _ = validate(r)
        assert not errors, errors
    first = graph[0]
    assert first["claimReviewed"] == WITHDRAWAL == first["itemReviewed"]["text"]
    assert first["url"].endswith("#proposition-1")
    rating = first["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == DISPUTED
    assert rating["ratingExplanation"].startswith(
        "Supported by 1 claim(s) (Russia 1); refuted by 3 claim(s) (West 2, unknown 1)."
    )
    assert "1 of the 4 listed stance(s) confirmed by analysts" in rating["ratingExplanation"]
    looks = first["itemReviewed"]["appearance"]
    assert [a["description"].split(":")[0] for a in looks] == ["Supports"] + ["Refutes"] * 3
    assert looks[0]["url"] == "https://tass.com/1" and looks[0]["identifier"] == "claim-1"
    assert sum("(analysts' stance tag)" in a["description"] for a in looks) == 1
    assert first["itemReviewed"]["author"] == [
        {"@type": "Organization", "name": "Russian Defense Ministry"}
    ]
    assert [p["name"] for p in first["contributor"]] == ["bob"]
    assert [p["name"] for p in graph[1]["contributor"]] == ["ana"]  # she typed proposition 3
    # Hide TASS's claims: proposition 1 is only refuted, proposition 3 only supported.
    ids_by = {r["speaker"]: r["id"] for r in store.claim_rows()}
    store.set_checkworthy([(cid, 0.1 if n == "Russian Defense Ministry" else 0.9)
                           for n, cid in ids_by.items()])  # fmt: skip
    ratings = {r["identifier"]: (r["reviewRating"]["ratingValue"], r["reviewRating"]["alternateName"])
               for r in reviews(store, min_checkworthy=0.5)}  # fmt: skip
    assert ratings["proposition-1"] == REFUTED and ratings["proposition-3"] == SUPPORTED
    assert not any(
        "author" in r["itemReviewed"]
        for r in reviews(store, min_checkworthy=0.5)
        if r["identifier"] == "proposition-1"
    )  # nobody in the corpus asserts it
    # Sides from a single source are no dispute: the balance is then Mixed.
    prop = build(store, pictures=False).doc["propositions"][0]
    assert proposition_rating(prop) == DISPUTED
    assert proposition_rating({**prop, "is_dispute": False}) == PROPOSITION_MIXED
    store.close()
