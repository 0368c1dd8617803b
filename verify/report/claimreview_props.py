"""ClaimReview of a proposition: what a fact-checker publishes about a statement, rated by the
balance of the claims that support and refute it.

One review per proposition in the report with at least one supporting or refuting claim:
``claimReviewed`` is the proposition's text; ``itemReviewed`` a ``Claim`` whose ``author`` is the
supporting speakers and whose ``appearance`` lists the article of every listed supporting claim,
then of every listed refuting one, each ``NewsArticle`` saying in its ``description`` which way
its claim goes ("Supports: …" / "Refutes: …"), who said it, and whose reading that is (the
analysts' agreed stance tag, or the stance model's probability). Rating (never 1 or 5:
Counterclaim weighs sources, it does not establish truth), from the claims of the whole
proposition (also those the per-side cap leaves unlisted):

====================================================  ===========  ===============
supporting and refuting claims                         ratingValue  alternateName
====================================================  ===========  ===============
supporters only                                        4            Supported
supporters and refuters from different sources         3            Disputed
supporters and refuters, all from one source           3            Mixed
refuters only                                          2            Refuted
====================================================  ===========  ===============

Unlike the per-claim reviews (``fmt_claimreview``, analysts' verdicts only), a proposition's sides
are the stance model's reading unless analysts tagged them; the description of each appearance
and the ``ratingExplanation`` say how many stances analysts confirmed."""

from __future__ import annotations

from typing import Any

from ..actors import Registry
from .data import latest_by_analyst, parse_date
from .escape import clean, safe_url
from .fmt_claimreview import Publisher, agent, appearance_of, review_rating

SUPPORTED = (4, "Supported")
DISPUTED = (3, "Disputed")
MIXED = (3, "Mixed")
REFUTED = (2, "Refuted")
_VERB = {"supporters": "Supports", "refuters": "Refutes"}


def proposition_rating(prop: dict[str, Any]) -> tuple[int, str]:
    sup, ref = prop["counts"]["supporters"], prop["counts"]["refuters"]
    if sup and ref:
        return DISPUTED if prop["is_dispute"] else MIXED
    return SUPPORTED if sup else REFUTED


def _who(c: dict[str, Any]) -> str:
    return c["actor"] or c["speaker"] or c["outlet"] or "an unattributed source"


def _reading(s: dict[str, Any]) -> str:
    if s["tagged"]:
        return "analysts' stance tag"
    return f"stance model, P={s['confidence']:.2f}"


def _appearance(s: dict[str, Any], group: str, art: dict[str, Any]) -> dict[str, Any]:
    c = s["claim"]
    out = appearance_of(c, art)
    out["identifier"] = f"claim-{int(c['id'])}"
    out["description"] = clean(
        f"{_VERB[group]}: {_who(c)} ({c['side']}): “{c['sentence']}” ({_reading(s)})"
    )
    return out


def _explanation(prop: dict[str, Any]) -> str:
    bits: list[str] = []
    for group, verb in (("supporters", "Supported"), ("refuters", "Refuted")):
        n = prop["counts"][group]
        if n:
            sides = ", ".join(f"{k} {v}" for k, v in prop["sides"][group].items())
            bits.append(f"{verb if not bits else verb.lower()} by {n} claim(s) ({sides})")
    tagged = sum(s["tagged"] for g in _VERB for s in prop[g])
    listed = sum(len(prop[g]) for g in _VERB)
    reading = (
        f"{tagged} of the {listed} listed stance(s) confirmed by analysts, the rest are the "
        "stance model's reading"
        if tagged
        else "every stance is the stance model's reading (no analyst tagged one)"
    )
    return "; ".join(bits) + f". {reading[:1].upper()}{reading[1:]}."


def _review(
    prop: dict[str, Any],
    articles: dict[int, dict[str, Any]],
    registry: Registry,
    publisher: Publisher,
    today: str,
) -> dict[str, Any]:
    appearances, body, notes = [], [], []
    analysts: dict[str, None] = {}  # ordered set
    if prop["origin"] == "analyst" and prop["analyst"]:
        analysts.setdefault(prop["analyst"], None)
    days: list[str] = []
    for group in _VERB:
        for s in prop[group]:
            c = s["claim"]
            appearances.append(_appearance(s, group, articles.get(c["article_id"], {})))
            body.append(f"{_VERB[group]}: {_who(c)}: “{c['text']}”")
            for t in latest_by_analyst(s["tags"]).values():
                analysts.setdefault(t["analyst"], None)
                days.append(t["at"][:10])
                if t["note"]:
                    notes.append(f"{t['analyst']}: {t['note']}")
    text = " ".join(body) + (" Analysts' notes: " + "; ".join(notes) if notes else "")
    item: dict[str, Any] = {
        "@type": "Claim",
        "identifier": f"proposition-{int(prop['id'])}",
        "text": clean(prop["text"]),
    }
    speakers: dict[str, None] = {}
    for s in prop["supporters"]:
        if name := (s["claim"]["actor"] or s["claim"]["speaker"]).strip():
            speakers.setdefault(name, None)
    if speakers:  # who asserts it; a proposition only refuted has no author in the corpus
        item["author"] = [agent(name, registry) for name in speakers]
    dates = [
        d for s in prop["supporters"]
        if (d := parse_date(articles.get(s["claim"]["article_id"], {}).get("date")))
    ]  # fmt: skip
    if dates:
        item["datePublished"] = min(dates).isoformat()
    item["appearance"] = appearances
    value, name = proposition_rating(prop)
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "identifier": f"proposition-{int(prop['id'])}",
        "url": f"{safe_url(publisher.review_url)}#proposition-{int(prop['id'])}",
        "claimReviewed": clean(prop["text"]),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": clean(publisher.name)},
        "datePublished": max(days) if days else today,
        "reviewRating": review_rating(value, name, _explanation(prop)),
        "reviewBody": clean(text),
    }
    if analysts:
        review["contributor"] = [{"@type": "Person", "name": clean(a)} for a in analysts]
    return review


def proposition_reviews(
    doc: dict[str, Any], registry: Registry, publisher: Publisher
) -> list[dict[str, Any]]:
    """One review per proposition that a listed claim supports or refutes, in the report's
    order (disputes first)."""
    publisher.check()
    articles = {a["id"]: a for a in doc["articles"]}
    today = doc["generated_at"][:10]
    return [
        _review(p, articles, registry, publisher, today)
        for p in doc.get("propositions", [])
        if p["supporters"] or p["refuters"]
    ]
