"""The report document: what every format renders, assembled once from the store and filtered.

The dict built here *is* the JSON export (schema in docs/report-schema.md); the other formats
only lay it out. Claims and pairs keep the shapes of ``verify.views.listings`` (plus a few report keys)."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from verify import __version__
from verify.analysts import review
from verify.labels import CONTRADICTION, STANCE_LABELS
from verify.report.prop_data import collect_propositions, proposition_summary
from verify.stages import ranking
from verify.store.database import Store
from verify.views.claim import claim_view
from verify.views.listings import disputes, tag_view

#: 2: pairs and stances name their claims by id (``fmt_json.public``); 1 embedded them.
SCHEMA_VERSION = 2
UNASSIGNED = "(no topic)"
#: Pairs listed per topic unless the analyst asks for all (``export --all``): a topic of 223
#: pairs is unreadable in a brief; the report says how many it left out.
DEFAULT_PER_TOPIC = 15
#: Claims listed per stance group (supporters, refuters, others) of a proposition, likewise.
DEFAULT_PER_SIDE = 8


class ReportError(ValueError):
    """A filter or option the report cannot honour; the message is one line for the analyst."""


@dataclass(frozen=True)
class Filters:
    """Which pairs (and, for ``topic``, which claims) go into a report; every format honours them."""

    topic: int | None = None
    min_confidence: float = 0.0
    label: str | None = None  # matched against each pair's verdict (see ``verdict``)
    tagged_only: bool = False
    # Claims scored below this are hidden (and counted in the summary, never silently dropped).
    min_checkworthy: float | None = None
    # The highest-ranked pairs listed per topic (None: all); the rest are counted, not listed.
    per_topic: int | None = DEFAULT_PER_TOPIC
    # The most confident claims listed per stance group of a proposition (None: all).
    per_side: int | None = DEFAULT_PER_SIDE

    def check(self, topic_ids: set[int]) -> None:
        if self.per_topic is not None and self.per_topic < 1:
            raise ReportError(f"pairs per topic must be at least 1, not {self.per_topic}")
        if self.per_side is not None and self.per_side < 1:
            raise ReportError(f"claims per side must be at least 1, not {self.per_side}")
        if self.min_checkworthy is not None and not 0.0 <= self.min_checkworthy <= 1.0:
            raise ReportError(
                f"--min-checkworthy must be between 0 and 1, not {self.min_checkworthy}"
            )
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ReportError(
                f"--min-confidence must be between 0 and 1, not {self.min_confidence}"
            )
        if self.label is not None and self.label not in STANCE_LABELS:
            raise ReportError(
                f"unknown label {self.label!r}; choose one of {', '.join(STANCE_LABELS)}"
            )
        if self.topic is not None and self.topic not in topic_ids:
            known = ", ".join(map(str, sorted(topic_ids))) or "none"
            raise ReportError(f"no topic {self.topic} in this database (topics: {known})")

    def keep(self, pair: dict[str, Any]) -> bool:
        return (
            (self.topic is None or pair["topic"]["id"] == self.topic)
            and pair["confidence"] >= self.min_confidence
            and (self.label is None or pair["verdict"] == self.label)
            and (not self.tagged_only or bool(pair["tags"]))
        )


def latest_by_analyst(tags: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each analyst's latest tag on one pair (tags come oldest first), as training counts them."""
    return {t["analyst"]: t for t in tags}


def verdict(model_label: str, tags: list[dict[str, Any]]) -> tuple[str, str]:
    """(label, "analysts" | "conflict" | "model"), by the engine's review rule: analysts overrule
    the model when they agree or a reviewer settled; an open conflict keeps the model's label."""
    tag_likes = [review.TagFields(t) for t in tags]
    label = review.verdict(tag_likes)
    if label is not None:
        return label, "analysts"
    if review.status(tag_likes) == review.CONFLICT:
        return model_label, "conflict"
    return model_label, "model"


def cap_per_topic(
    pairs: list[dict[str, Any]], per_topic: int | None
) -> tuple[list[dict[str, Any]], Counter[int | None]]:
    """The first ``per_topic`` pairs of each topic, in the ranking's order, and how many each
    topic left out."""
    if per_topic is None:
        return pairs, Counter()
    seen: Counter[int | None] = Counter()
    left_out: Counter[int | None] = Counter()
    listed = []
    for p in pairs:
        tid = p["topic"]["id"]
        seen[tid] += 1
        if seen[tid] <= per_topic:
            listed.append(p)
        else:
            left_out[tid] += 1
    return listed, left_out


_ROW = re.compile(r"(:\d+)$")  # "feed.jsonl:12": the row of a JSONL/CSV file


def corpus_paths(sources: list[str]) -> list[str]:
    """Each article's source relative to the folder holding the whole corpus (row suffixes
    kept), so a report does not carry the analyst's home folder; sources that share no folder
    (relative mixed with absolute) are kept as given."""
    files = [_ROW.sub("", s) for s in sources]
    try:
        root = os.path.commonpath([os.path.dirname(f) for f in files]) if files else ""
    except ValueError:
        return list(sources)
    if not root:
        return list(sources)
    return [os.path.relpath(f, root) + s[len(f) :] for f, s in zip(files, sources, strict=True)]


def parse_date(text: str | None) -> date | None:
    """The calendar date of an ISO 8601 article date, or None where there is none."""
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _claims(store: Store) -> list[dict[str, Any]]:
    out = []
    for row in store.claim_rows():
        c = claim_view(row)
        c["article_id"] = row["article_id"]
        c["text_hash"] = row["text_hash"]  # the key of the embeddings cache
        c["checkworthy"] = row["checkworthy"]  # None where no check-worthiness model ran
        out.append(c)
    return out


def _pairs(store: Store, claims_by_id: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    tags: dict[int, list[dict[str, Any]]] = {}
    for t in store.tags():  # retracted (undone) tags are already left out
        tags.setdefault(t["pair_id"], []).append({"id": t["id"], **tag_view(t)})
    pairs = []
    for p in disputes(store):
        p["tags"] = tags.get(p["id"], [])
        p["a"], p["b"] = claims_by_id[p["a"]["id"]], claims_by_id[p["b"]["id"]]
        p["verdict"], p["verdict_by"] = verdict(p["label"], p["tags"])
        pairs.append(p)
    return pairs


def _topics(
    topics: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    pairs: list[dict[str, Any]],
    left_out: Counter[int | None],
) -> list[dict[str, Any]]:
    n_claims = Counter(c["topic"] for c in claims)
    by_topic: dict[int | None, list[dict[str, Any]]] = {}
    for p in pairs:  # once, not once per topic: a large corpus has thousands of each
        by_topic.setdefault(p["topic"]["id"], []).append(p)
    out = []
    for t in topics:
        mine = by_topic.get(t["id"], [])
        out.append(
            {
                "id": t["id"],
                "title": t["title"],
                "claims": n_claims[t["id"]],
                "pairs": len(mine),
                "pairs_listed": len(mine) - left_out[t["id"]],
                "pairs_left_out": left_out[t["id"]],
                "contradictions": sum(p["verdict"] == CONTRADICTION for p in mine),
                "max_confidence": max((p["confidence"] for p in mine), default=None),
            }
        )
    return out


def _summary(
    articles: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    topics: list[dict[str, Any]],
    pairs: list[dict[str, Any]],
    pairs_scored: int,
    implied_left_out: int = 0,  # ranking.implied_left_out
) -> dict[str, Any]:
    from verify.propositions.disputes import MAX_IMPLIED_PER_PROPOSITION
    from verify.stages.pair_value import count_pairs

    counts = count_pairs((p["id"], p["probs"]) for p in pairs)
    analysts: Counter[str] = Counter()
    tag_labels: Counter[str] = Counter()
    for p in pairs:
        for t in latest_by_analyst(p["tags"]).values():
            analysts[t["analyst"]] += 1
            tag_labels[t["label"]] += 1
    return {
        "articles": len(articles),
        "dated_articles": sum(parse_date(a["date"]) is not None for a in articles),
        "outlets": len({a["outlet"] for a in articles if a["outlet"]}),
        "claims": len(claims),
        "speakers": len({c["actor"] for c in claims if c["actor"]}),
        "sides": dict(sorted(Counter(c["side"] for c in claims).items())),
        "topics": len(topics),
        "pairs_scored": pairs_scored,
        "pairs": len(pairs),
        "pairs_implied": counts["implied"],  # known only through a shared proposition
        # ... each proposition implying at most this many (its likeliest contradictions), and
        # how many (proposition, pair) readings that cap left out
        "implied_cap": MAX_IMPLIED_PER_PROPOSITION,
        "implied_left_out": implied_left_out,
        "contradictions": sum(p["verdict"] == CONTRADICTION for p in pairs),
        "model_contradictions": counts["contradictions"],  # scored pairs, as the board counts
        "tagged_pairs": sum(bool(p["tags"]) for p in pairs),
        "analysts": dict(sorted(analysts.items())),
        "tag_labels": {lab: tag_labels[lab] for lab in STANCE_LABELS if tag_labels[lab]},
    }


def collect_all(
    store: Store, filters: Filters | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the report document, every pair matching the filters): the pictures and the summary
    count all matching pairs; the document lists at most ``filters.per_topic`` per topic."""
    filters = filters or Filters()
    topic_rows = [{"id": t["id"], "title": t["title"]} for t in store.topics()]
    filters.check({t["id"] for t in topic_rows})

    all_claims = _claims(store)
    all_pairs = _pairs(store, {c["id"]: c for c in all_claims})
    hidden = _below_checkworthy(all_claims, filters.min_checkworthy)
    if hidden:
        all_claims = [c for c in all_claims if c["id"] not in hidden]
        all_pairs = [
            p for p in all_pairs if p["a"]["id"] not in hidden and p["b"]["id"] not in hidden
        ]
    pairs = [p for p in all_pairs if filters.keep(p)]
    listed, left_out = cap_per_topic(pairs, filters.per_topic)
    if filters.topic is None:
        claims, topic_rows_in = all_claims, topic_rows
    else:
        claims = [c for c in all_claims if c["topic"] == filters.topic]
        topic_rows_in = [t for t in topic_rows if t["id"] == filters.topic]

    articles = [
        {k: a[k] for k in ("id", "source", "title", "outlet", "date", "url", "author")}
        for a in store.articles()
    ]
    for a, rel in zip(articles, corpus_paths([a["source"] for a in articles]), strict=True):
        a["path"] = rel
    topics = _topics(topic_rows_in, claims, pairs, left_out)
    tags = sorted(
        ({"pair_id": p["id"], **t} for p in listed for t in p["tags"]), key=lambda t: t["id"]
    )
    props = collect_propositions(
        store, {c["id"]: c for c in all_claims}, filters.topic, filters.per_side
    )
    stance_model = store.meta.stance_model
    doc = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"counterclaim {__version__}",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filters": asdict(filters),
        "stance_model": stance_model,
        "models": {"stance": stance_model, "embedding": embedding_model(store)},
        "summary": {
            **_summary(
                articles,
                claims,
                topics,
                pairs,
                sum(p["id"] is not None for p in all_pairs),
                ranking.implied_left_out(store),
            ),
            "hidden_below_checkworthy": len(hidden),
            "pairs_listed": len(listed),
            "pairs_left_out": sum(left_out.values()),
            **proposition_summary(props),
        },
        "propositions": props,  # the report leads with them
        "articles": articles,
        "topics": topics,
        "claims": claims,
        "pairs": listed,
        "tags": tags,
    }
    return doc, pairs


def _below_checkworthy(claims: list[dict[str, Any]], threshold: float | None) -> set[int]:
    """Ids of claims scored below ``threshold``; unscored claims are always kept."""
    if threshold is None:
        return set()
    return {
        c["id"] for c in claims if c["checkworthy"] is not None and c["checkworthy"] < threshold
    }


def embedding_model(store: Store) -> str:
    """The sentence-embedding model whose vectors are cached (the pipeline's, if present)."""
    from verify.stages.embed import MODEL_NAME

    names = store.embedding_models()
    if MODEL_NAME in names or not names:
        return MODEL_NAME if MODEL_NAME in names else ""
    return names[0]
