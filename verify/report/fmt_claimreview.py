"""schema.org ClaimReview JSON-LD, following Google's fact-check markup guidance: what the
analysts decided, one review per claim, never a model's reading unless asked for.

An analyst's tag judges how two claims relate, not whether either is true: a contradiction
verdict means each claim is disputed by the other source. A claim gets one review, with one
rating, from every decision about it: the pairs with an analysts' verdict (they agree, or a
reviewer settled their conflict: ``verify.analysts.review``), and the propositions on which analysts
tagged its stance and another source's (opposite sides contradict, the same side agree). The
rating names the sides that dispute the claim ("Disputed by West"), so each claim's rating is
tied to its side of the dispute; ``itemReviewed`` is the claim itself, its ``author`` the one
who states it and its ``appearance`` the article it was read in (with its url where known).
``include_model`` (``export --include-model``) adds reviews of claims no analyst decided on,
from the model's labels and stances, marked in the rating and the body. The review is authored
by the publishing team (an Organization, ``Publisher``); the analysts are its contributors.
Ratings use the usual 1 (false) .. 5 (true) scale and never its ends (see RATINGS)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from verify.labels import AGREEMENT, CONTRADICTION, NEUTRAL
from verify.registry.actors import Registry, kind_of, source_key
from verify.registry.kinds import PERSON
from verify.report.data import ReportError, latest_by_analyst, parse_date
from verify.report.escape import clean, safe_url

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

#: How a review from the model's readings alone (``export --include-model``) is marked.
MODEL_MARK = " (model reading)"
MODEL_NOTE = "Model reading, not checked by an analyst."

DEFAULT_PUBLISHER = "Counterclaim analysts"
#: A placeholder (example.org is reserved for examples): Google wants the url of the page that
#: hosts the fact check, which only the publisher knows; ``export --review-url`` sets it.
DEFAULT_REVIEW_URL = "https://example.org/counterclaim/fact-checks"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the reviews (ClaimReview ``author``), the page that will host them, and
    whether claims no analyst decided on are published from the model's reading (marked)."""

    name: str = DEFAULT_PUBLISHER
    review_url: str = DEFAULT_REVIEW_URL
    include_model: bool = False

    def check(self) -> None:
        if not clean(self.name).strip():
            raise ReportError("the ClaimReview publisher needs a name")
        if safe_url(self.review_url) is None:
            raise ReportError(
                f"--review-url must be an absolute http(s) url, not {self.review_url!r}"
            )


def agent(name: str, registry: Registry) -> dict[str, str]:
    """A speaker as schema.org Person or Organization: the registry's ``kind`` where it knows
    the speaker, else guessed from the name (``verify.registry.actors.guess_kind``); places stand for
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
    return {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST,
        "worstRating": WORST,
        "alternateName": name,
        "name": name,
        "ratingExplanation": explanation,
    }


@dataclass(frozen=True)
class Evidence:
    """How another claim bears on a reviewed claim: ``relation`` a pair label, ``by`` "analysts"
    (a verdict or two stance tags) or "model" (only with ``include_model``), ``via`` the
    proposition both claims took a side on, when that is where the relation comes from."""

    other: dict[str, Any]
    relation: str
    by: str
    tags: tuple[dict[str, Any], ...]
    via: str = ""


def _source(c: dict[str, Any]) -> str:
    return source_key(c["actor"] or c["speaker"], c["outlet"])


def _from_pairs(
    doc: dict[str, Any], include_model: bool
) -> Iterator[tuple[dict[str, Any], Evidence]]:
    for pair in doc["pairs"]:
        # The analysts' verdict (they agree, or a reviewer settled their conflict); an open
        # conflict is no fact check, and the model's label only when asked for.
        if pair["verdict_by"] == "analysts" and pair["verdict"] in RATINGS:
            by, label = "analysts", pair["verdict"]
        elif include_model and pair["verdict_by"] == "model" and pair["label"] in RATINGS:
            by, label = "model", pair["label"]
        else:
            continue
        tags = tuple(latest_by_analyst(pair["tags"]).values())
        for side, other in (("a", "b"), ("b", "a")):
            yield pair[side], Evidence(pair[other], label, by, tags)


def _from_propositions(
    doc: dict[str, Any], include_model: bool
) -> Iterator[tuple[dict[str, Any], Evidence]]:
    """Two claims from different sources on one proposition: opposite sides contradict, the
    same side agree; decided when analysts tagged both stances."""
    for prop in doc.get("propositions", []):
        stances = [
            (s, g)
            for g in ("supporters", "refuters")
            for s in prop[g]
            if s["tagged"] or include_model
        ]
        for s, g in stances:
            for o, h in stances:
                if o is s or _source(o["claim"]) == _source(s["claim"]):
                    continue
                by = "analysts" if s["tagged"] and o["tagged"] else "model"
                tags = tuple(latest_by_analyst([*s["tags"], *o["tags"]]).values())
                label = AGREEMENT if g == h else CONTRADICTION
                yield s["claim"], Evidence(o["claim"], label, by, tags, prop["text"])


def _side_names(evidence: list[Evidence], relation: str) -> str:
    sides = sorted({e.other["side"] for e in evidence if e.relation == relation} - {"unknown"})
    return ", ".join(sides)


def _review(
    c: dict[str, Any],
    evidence: list[Evidence],
    articles: dict[int, dict[str, Any]],
    registry: Registry,
    publisher: Publisher,
    today: str,
) -> dict[str, Any]:
    """The one review of claim ``c`` from its ``evidence`` (all analysts', or all the model's)."""
    body: list[str] = []
    notes: list[str] = []
    analysts: dict[str, None] = {}  # ordered set
    days: list[str] = []
    model = evidence[0].by == "model"
    for e in evidence:
        o = e.other
        by = o["actor"] or o["speaker"] or "another source"
        on = f" (on “{e.via}”)" if e.via else ""
        body.append(f"{_VERBS[e.relation]} by {by} [{o['side']}]{on}: “{o['text']}”")
        for t in e.tags:
            analysts.setdefault(t["analyst"], None)
            days.append(t["at"][:10])
            if t["note"]:
                notes.append(f"{t['analyst']}: {t['note']}")
    text = (MODEL_NOTE + " " if model else "") + " ".join(body)
    if notes:
        text += " Analysts' notes: " + "; ".join(dict.fromkeys(notes))
    verdicts = [e.relation for e in evidence]
    value, name = rating(verdicts)
    # The rating says whose claims dispute this one: Moscow's claim is "Disputed by West",
    # CNN's "Disputed by Russia".
    if name == RATINGS[CONTRADICTION][1] and (sides := _side_names(evidence, CONTRADICTION)):
        name = f"{name} by {sides}"
    if model:
        name += MODEL_MARK
    explanation = "; ".join(
        f"{_VERBS[v].lower()} by {n} other source(s)"
        for v in (CONTRADICTION, AGREEMENT, NEUTRAL)
        if (n := len({_source(e.other) for e in evidence if e.relation == v}))
    )
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "identifier": f"claim-{c['id']}",
        "url": f"{safe_url(publisher.review_url)}#claim-{c['id']}",
        "claimReviewed": clean(c["text"]),
        "itemReviewed": _claim(c, articles.get(c["article_id"], {}), registry),
        "author": {"@type": "Organization", "name": clean(publisher.name)},
        "datePublished": max(days) if days else today,
        "reviewRating": review_rating(value, name, explanation[:1].upper() + explanation[1:] + "."),
        "reviewBody": clean(text),
        "citation": [
            _claim(o, articles.get(o["article_id"], {}), registry)
            for o in {e.other["id"]: e.other for e in evidence}.values()
        ],
    }
    if analysts:
        review["contributor"] = [{"@type": "Person", "name": clean(a)} for a in analysts]
    return review


def claim_reviews(
    doc: dict[str, Any],
    registry: Registry | None = None,
    publisher: Publisher | None = None,
    include_model: bool = False,
) -> list[dict[str, Any]]:
    """One review per claim with evidence, in the order claims are first met: the analysts'
    evidence where there is any, else (``include_model``) the model's, marked as such."""
    registry = registry or Registry.load()
    publisher = publisher or Publisher()
    publisher.check()
    include_model = include_model or publisher.include_model
    articles = {a["id"]: a for a in doc["articles"]}
    claims: dict[int, dict[str, Any]] = {}
    found: dict[tuple[int, int, str], Evidence] = {}
    for sources in (_from_pairs, _from_propositions):
        for c, e in sources(doc, include_model):
            key = (c["id"], e.other["id"], e.by)
            claims.setdefault(c["id"], c)
            if key in found:  # a pair verdict and a proposition: said once, the pair's label
                old = found[key]
                tags = tuple({id(t): t for t in (*old.tags, *e.tags)}.values())
                found[key] = replace(old, tags=tags, via=old.via or e.via)
            else:
                found[key] = e
    by_claim: dict[int, dict[str, list[Evidence]]] = {}
    for (cid, _, whose), e in found.items():
        by_claim.setdefault(cid, {}).setdefault(whose, []).append(e)
    today = doc["generated_at"][:10]
    out = []
    for cid, kinds in by_claim.items():
        evidence = kinds.get("analysts") or kinds.get("model") or []
        out.append(_review(claims[cid], evidence, articles, registry, publisher, today))
    return out
