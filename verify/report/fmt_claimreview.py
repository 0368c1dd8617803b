"""schema.org ClaimReview JSON-LD: one review per claim of each pair an analyst tagged.

An analyst's tag judges how two claims relate, not whether either is true: a contradiction tag
means each claim is disputed by the other source. So every tagged pair gives two reviews (one
per claim, each citing the other as the counter-evidence), authored by the analyst, with a
rating on the usual 1 (false) .. 5 (true) scale that never uses the ends (see RATINGS)."""

from __future__ import annotations

import re
from typing import Any

from ..actors import Registry
from ..labels import AGREEMENT, CONTRADICTION, NEUTRAL
from .data import latest_by_analyst, parse_date
from .escape import clean, safe_url
from .fmt_json import dumps

#: tag label -> (ratingValue, alternateName). "unrelated" publishes no review: the other claim
#: says nothing about this one.
RATINGS: dict[str, tuple[int, str]] = {
    CONTRADICTION: (2, "Disputed: contradicted by another source"),
    NEUTRAL: (3, "Unresolved: another source discusses it without confirming or refuting"),
    AGREEMENT: (4, "Corroborated by another source"),
}
BEST, WORST = 5, 1

_ORG_WORDS = re.compile(
    r"\b(ministry|ministries|government|embassy|office|agency|army|forces|military|council|"
    r"kremlin|pentagon|nato|un|eu|news|press|media|sources|officials|service|department|"
    r"command|committee|parliament|party|administration|company|tass|reuters|cnn|bbc|ap|afp)\b",
    re.IGNORECASE,
)


def agent(name: str, registry: Registry) -> dict[str, str]:
    """A speaker as schema.org Person or Organization.

    The registry knows: an actor whose organisation is itself is an Organization, one who
    belongs to another is a Person. Unknown speakers: capitalised two- or three-word names
    without an institution word are people; anything else is an organisation."""
    actor = registry.resolve(name)
    if actor.organisation:
        kind = "Organization" if actor.organisation == actor.name else "Person"
    else:
        words = name.split()
        person = 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
        kind = "Person" if person and not _ORG_WORDS.search(name) else "Organization"
    return {"@type": kind, "name": clean(name)}


def _claim(c: dict[str, Any], art: dict[str, Any], registry: Registry) -> dict[str, Any]:
    appearance: dict[str, Any] = {"@type": "NewsArticle"}
    if url := safe_url(art.get("url")):
        appearance["url"] = url
    if art.get("title"):
        appearance["headline"] = clean(art["title"])
    if c["outlet"]:
        appearance["publisher"] = {"@type": "Organization", "name": clean(c["outlet"])}
    day = parse_date(art.get("date"))
    if day:
        appearance["datePublished"] = day.isoformat()
    claim: dict[str, Any] = {"@type": "Claim", "text": clean(c["sentence"])}
    speaker = c["actor"] or c["speaker"]
    if speaker:
        claim["author"] = agent(speaker, registry)
    elif c["outlet"]:  # unattributed: the outlet itself asserts it
        claim["author"] = {"@type": "Organization", "name": clean(c["outlet"])}
    if day:
        claim["datePublished"] = day.isoformat()
    claim["appearance"] = appearance
    return claim


def _review(
    pair: dict[str, Any],
    tag: dict[str, Any],
    this: str,
    articles: dict[int, dict[str, Any]],
    registry: Registry,
) -> dict[str, Any]:
    other = "b" if this == "a" else "a"
    c, o = pair[this], pair[other]
    value, name = RATINGS[tag["label"]]
    counter = f"{o['actor'] or o['speaker'] or 'another source'}"
    body = f"{tag['label'].capitalize()} with a claim by {counter}: “{o['text']}”"
    if tag["note"]:
        body += f" Analyst's note: {tag['note']}"
    return {
        "@type": "ClaimReview",
        "identifier": f"pair-{pair['id']}-claim-{c['id']}-tag-{tag['id']}",
        "claimReviewed": clean(c["text"]),
        "itemReviewed": _claim(c, articles.get(c["article_id"], {}), registry),
        "author": {"@type": "Person", "name": clean(tag["analyst"])},
        "datePublished": tag["at"][:10],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": name,
        },
        "reviewBody": clean(body),
        "citation": _claim(o, articles.get(o["article_id"], {}), registry),
    }


def claim_reviews(doc: dict[str, Any], registry: Registry | None = None) -> list[dict[str, Any]]:
    registry = registry or Registry.load()
    articles = {a["id"]: a for a in doc["articles"]}
    out = []
    for pair in doc["pairs"]:
        for tag in latest_by_analyst(pair["tags"]).values():
            if tag["label"] in RATINGS:
                out += [_review(pair, tag, side, articles, registry) for side in ("a", "b")]
    return out


def to_claimreview(doc: dict[str, Any], registry: Registry | None = None) -> str:
    return dumps({"@context": "https://schema.org", "@graph": claim_reviews(doc, registry)})
