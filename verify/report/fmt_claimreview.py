"""schema.org ClaimReview JSON-LD, following Google's fact-check markup guidance: one review per
proposition that claims take a side on (``claimreview_props``, listed first), then one review per
claim that analysts judged against another source (this module).

An analyst's tag judges how two claims relate, not whether either is true: a contradiction
verdict means each claim is disputed by the other source. So a claim in pairs with an analysts'
verdict (they agree, or a reviewer settled their conflict: ``verify.review``) gets one review
with one rating, citing the other claims as the evidence. The review is authored by the
publishing team (an Organization, ``Publisher``); the analysts are its contributors. Ratings use
the usual 1 (false) .. 5 (true) scale and never its ends (see RATINGS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actors import PERSON, Registry, kind_of
from ..labels import AGREEMENT, CONTRADICTION, NEUTRAL
from .data import ReportError, latest_by_analyst, parse_date
from .escape import clean, safe_url

#: verdict -> (ratingValue, alternateName). "unrelated" publishes no review: the other claim
#: says nothing about this one.
RATINGS: dict[str, tuple[int, str]] = {
    CONTRADICTION: (2, "Disputed"),
    NEUTRAL: (3, "Unresolved"),
    AGREEMENT: (4, "Corroborated"),
}
MIXED = (3, "Mixed")  # corroborated by one source, disputed by another
BEST, WORST = 5, 1
_VERBS = {CONTRADICTION: "Contradicted", AGREEMENT: "Corroborated", NEUTRAL: "Discussed"}

DEFAULT_PUBLISHER = "Counterclaim analysts"
#: A placeholder (example.org is reserved for examples): Google wants the url of the page that
#: hosts the fact check, which only the publisher knows; ``export --review-url`` sets it.
DEFAULT_REVIEW_URL = "https://example.org/counterclaim/fact-checks"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the reviews (ClaimReview ``author``) and the page that will host them."""

    name: str = DEFAULT_PUBLISHER
    review_url: str = DEFAULT_REVIEW_URL

    def check(self) -> None:
        if not clean(self.name).strip():
            raise ReportError("the ClaimReview publisher needs a name")
        if safe_url(self.review_url) is None:
            raise ReportError(
                f"--review-url must be an absolute http(s) url, not {self.review_url!r}"
            )


def agent(name: str, registry: Registry) -> dict[str, str]:
    """A speaker as schema.org Person or Organization: the registry's ``kind`` where it knows
    the speaker, else guessed from the name (``verify.actors.guess_kind``); places stand for
    their government, so they are organisations."""
    kind = kind_of(registry.resolve(name)) if name.strip() else ""
    return {"@type": "Person" if kind == PERSON else "Organization", "name": clean(name)}


def appearance_of(c: dict[str, Any], art: dict[str, Any]) -> dict[str, Any]:
    """The article a claim was read in, as a schema.org NewsArticle."""
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
    return appearance


def _claim(c: dict[str, Any], art: dict[str, Any], registry: Registry) -> dict[str, Any]:
    appearance = appearance_of(c, art)
    day = parse_date(art.get("date"))
    claim: dict[str, Any] = {
        "@type": "Claim",
        "identifier": f"claim-{c['id']}",
        "text": clean(c["sentence"]),
    }
    speaker = c["actor"] or c["speaker"]
    if speaker:
        claim["author"] = agent(speaker, registry)
    elif c["outlet"]:  # unattributed: the outlet itself asserts it
        claim["author"] = {"@type": "Organization", "name": clean(c["outlet"])}
    if day:
        claim["datePublished"] = day.isoformat()
    claim["appearance"] = appearance
    return claim


def rating(verdicts: list[str]) -> tuple[int, str]:
    """One rating for a claim from the verdicts of its judged pairs."""
    if CONTRADICTION in verdicts and AGREEMENT in verdicts:
        return MIXED
    for label in (CONTRADICTION, AGREEMENT):
        if label in verdicts:
            return RATINGS[label]
    return RATINGS[NEUTRAL]


def review_rating(value: int, name: str, explanation: str) -> dict[str, Any]:
    """A schema.org Rating on this module's scale (``WORST``..``BEST``)."""
    return {"@type": "Rating", "ratingValue": value, "bestRating": BEST, "worstRating": WORST,
            "alternateName": name, "name": name, "ratingExplanation": explanation}  # fmt: skip


def _review(
    judged: list[tuple[dict[str, Any], str]],
    articles: dict[int, dict[str, Any]],
    registry: Registry,
    publisher: Publisher,
) -> dict[str, Any]:
    """The review of one claim; ``judged``: (pair, "a" | "b": the claim's side in it)."""
    pair0, side0 = judged[0]
    c = pair0[side0]
    body: list[str] = []
    notes: list[str] = []
    analysts: dict[str, None] = {}  # ordered set
    days: list[str] = []
    for pair, side in judged:
        o = pair["b" if side == "a" else "a"]
        by = o["actor"] or o["speaker"] or "another source"
        body.append(f"{_VERBS[pair['verdict']]} by {by}: “{o['text']}”")
        for t in latest_by_analyst(pair["tags"]).values():
            analysts.setdefault(t["analyst"], None)
            days.append(t["at"][:10])
            if t["note"]:
                notes.append(f"{t['analyst']}: {t['note']}")
    text = " ".join(body)
    if notes:
        text += " Analysts' notes: " + "; ".join(notes)
    verdicts = [p["verdict"] for p, _ in judged]
    value, name = rating(verdicts)
    explanation = "; ".join(
        f"{_VERBS[v].lower()} by {n} other source(s)"
        for v in (CONTRADICTION, AGREEMENT, NEUTRAL)
        if (n := verdicts.count(v))
    )
    return {
        "@type": "ClaimReview",
        "identifier": f"claim-{c['id']}",
        "url": f"{safe_url(publisher.review_url)}#claim-{c['id']}",
        "claimReviewed": clean(c["text"]),
        "itemReviewed": _claim(c, articles.get(c["article_id"], {}), registry),
        "author": {"@type": "Organization", "name": clean(publisher.name)},
        "contributor": [{"@type": "Person", "name": clean(a)} for a in analysts],
        "datePublished": max(days),
        "reviewRating": review_rating(value, name, explanation[:1].upper() + explanation[1:] + "."),
        "reviewBody": clean(text),
        "citation": [
            _claim(o, articles.get(o["article_id"], {}), registry)
            for o in (p["b" if s == "a" else "a"] for p, s in judged)
        ],
    }


def claim_reviews(
    doc: dict[str, Any], registry: Registry | None = None, publisher: Publisher | None = None
) -> list[dict[str, Any]]:
    registry = registry or Registry.load()
    publisher = publisher or Publisher()
    publisher.check()
    articles = {a["id"]: a for a in doc["articles"]}
    judged: dict[int, list[tuple[dict[str, Any], str]]] = {}
    for pair in doc["pairs"]:
        # Only the analysts' verdict (agreement or a settled conflict): an open conflict or a
        # model label is no fact check.
        if pair["verdict_by"] != "analysts" or pair["verdict"] not in RATINGS:
            continue
        for side in ("a", "b"):
            judged.setdefault(pair[side]["id"], []).append((pair, side))
    return [_review(items, articles, registry, publisher) for items in judged.values()]
