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

from verify.analysts.settle import settle
from verify.report import render
from verify.report.fmt_claimreview import MIXED, MODEL_MARK, RATINGS, Publisher
from verify.store.database import Store
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
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Disputed",
            "name": "Disputed",
        },
        "author": {"@type": "Organization", "name": "Desk"},
        "datePublished": "2022-02-16",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A"},
            "datePublished": "2022-02-15",
            "appearance": {"@type": "NewsArticle"},
            "firstAppearance": {"@type": "NewsArticle"},
        },
    }
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
        # Both speak for Russia: the rating names the side that disputes each claim.
        assert (rating["ratingValue"], rating["alternateName"]) == (2, "Disputed by Russia")
        assert RATINGS["contradiction"][0] == 2
    assert {p["name"] for p in by_claim[f"claim-{ids['x']}"]["contributor"]} == {
        "ana",
        "bob",
        "carol",
    }
    # The registry's kinds: Putin a Person; Moscow (a place) and an embassy are organisations.
    authors = {
        r["itemReviewed"]["author"]["name"]: r["itemReviewed"]["author"]["@type"] for r in graph
    }
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


def test_reviews_publish_only_decisions_one_per_claim_tied_to_its_side(tmp_path: Path) -> None:
    """Proposition stances count only where analysts tagged two claims of different sources;
    the model's readings only behind ``include_model``, and marked."""
    store = Store(build_propositions(tmp_path / "p.db"))
    c = {r["speaker"]: r["id"] for r in store.claim_rows()}
    # The corpus's pair tags aside, bob's one stance tag decides no relation by itself.
    before = {r["identifier"] for r in reviews(store)}
    assert before == {r["identifier"] for r in reviews(store, tagged_only=True)}
    from verify.store.propositions import PropositionTables

    tables = PropositionTables(store)
    withdrawal = next(p["id"] for p in tables.active() if p["text"] == WITHDRAWAL)
    tables.add_tag(withdrawal, c["Russian Defense Ministry"], "supports", "ana")
    tables.add_tag(withdrawal, c["Joe Biden"], "refutes", "ana", "not verified")
    graph = reviews(store)
    ids = [r["identifier"] for r in graph]
    assert len(ids) == len(set(ids))  # one review, one rating per claim
    by_id = {r["identifier"]: r for r in graph}
    tass, biden = by_id[f"claim-{c['Russian Defense Ministry']}"], by_id[f"claim-{c['Joe Biden']}"]
    assert set(ids) == before | {biden["identifier"]}  # Biden's claim: decided through P1 only
    # Biden refutes what TASS supports (contradicted), as the analysts' claim does (corroborated).
    assert WITHDRAWAL in biden["reviewBody"] and WITHDRAWAL in tass["reviewBody"]
    assert biden["reviewRating"]["alternateName"] == MIXED[1]
    # The rating names the side that disputes the claim: each claim's own side of the dispute.
    assert tass["reviewRating"]["alternateName"] == "Disputed by West"
    cnn = by_id[f"claim-{c['CNN']}"]
    assert cnn["reviewRating"]["alternateName"] == "Disputed by Russia"
    assert not any(MODEL_MARK in r["reviewRating"]["name"] for r in graph)
    # itemReviewed is the claim: its author is the one who states it, its appearance its article.
    assert tass["itemReviewed"]["author"]["name"] == "Russian Defense Ministry"
    assert tass["itemReviewed"]["appearance"]["url"] == "https://tass.com/1"
    assert biden["itemReviewed"]["author"]["name"] == "Joe Biden"
    assert biden["itemReviewed"]["appearance"]["url"] == "https://edition.cnn.com/2"
    for r in graph:
        assert not validate(r)[0], validate(r)[0]
    store.close()


def test_an_untagged_store_publishes_no_review(tmp_path: Path) -> None:
    store = Store(build_propositions(tmp_path / "p.db"))
    store.db.execute("DELETE FROM tags")
    store.db.execute("DELETE FROM stance_tags")
    store.db.commit()
    assert reviews(store) == []
    # The model's readings: only when asked for, every review marked as such.
    with_model = reviews(store, publisher=Publisher(include_model=True))
    assert with_model and all(r["reviewRating"]["name"].endswith(MODEL_MARK) for r in with_model)
    assert all(r["reviewBody"].startswith("Model reading") for r in with_model)
    assert len({r["identifier"] for r in with_model}) == len(with_model)
    for r in with_model:
        assert not validate(r)[0], validate(r)[0]
    store.close()
