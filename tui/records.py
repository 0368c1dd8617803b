"""Plain in-memory records for the board: built once by a worker, then read by the screens.

No Textual import here, so the rules (status, conflicts, filters, uncertainty) are unit-testable."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from verify.analysts import review
from verify.analysts.review import CONFLICT, SETTLE, TAG, UNTAGGED
from verify.registry.actors import UNKNOWN_SIDE, outlet_key, source_key
from verify.stages.pair_value import contradiction_value, count_pairs, model_label
from verify.views.listings import pair_topic

if TYPE_CHECKING:
    from rich.text import Text


@dataclass(frozen=True)
class ClaimItem:
    id: int
    article_id: int
    article: str  # source file (and row)
    article_title: str
    outlet: str
    date: str
    sentence: str
    text: str
    speaker: str
    cue: str
    relay: tuple[str, ...]
    actor: str
    side: str
    start: int
    end: int
    topic: int | None
    checkworthy: float | None = None  # None: no check-worthiness model scored it
    corrected: tuple[tuple[str, str], ...] = ()  # (field, analyst) an analyst corrected
    language: str = "en"  # verify.language code, an analyst's correction laid over

    @property
    def who(self) -> str:
        via = f" via {', '.join(self.relay)}" if self.relay else ""
        lang = f" [{self.language}]" if self.language != "en" else ""
        return f"{self.actor or self.speaker or '?'}{via}{lang}"

    @property
    def source_key(self) -> str:
        """Who stands behind the claim: the rule the pipeline pairs across sources by."""
        return source_key(self.actor or self.speaker, self.outlet)


@dataclass(frozen=True)
class TagItem:
    id: int
    pair_id: int
    analyst: str
    label: str
    note: str
    at: str
    kind: str = TAG  # SETTLE: a reviewer's settlement (verify.analysts.settle), not a vote

    @property
    def settles(self) -> bool:
        return self.kind == SETTLE


@dataclass
class PairItem:
    id: int
    a: ClaimItem
    b: ClaimItem
    probs: dict[str, float]
    similarity: float
    tags: list[TagItem] = field(default_factory=list)  # active (not retracted), oldest first
    reader: str = "english"  # who read it: english, multilingual, "english via #ID"

    @property
    def label(self) -> str:
        """The engine's label: the most probable class of the pair's one reading."""
        return model_label(self.probs)

    @property
    def confidence(self) -> float:
        """The pair's one value (``verify.stages.pair_value.contradiction_value``), as the CLI shows."""
        return contradiction_value(self.probs)

    @property
    def topic(self) -> int | None:
        return pair_topic(self.a.topic, self.b.topic)  # as `disputes --json` says

    @property
    def uncertainty(self) -> float:
        """0 at p(contradiction) = 0.5 (most uncertain), larger is surer."""
        return abs(self.confidence - 0.5)

    @property
    def entropy(self) -> float:
        return -sum(p * math.log(p) for p in self.probs.values() if p > 0)

    def latest(self) -> dict[str, TagItem]:
        """Each analyst's latest active tag."""
        return review.latest_by_analyst(self.tags)  # type: ignore[return-value]

    @property
    def status(self) -> str:
        return review.status(self.tags)

    @property
    def verdict(self) -> str | None:
        """The analysts' label, when they agree or a reviewer settled; else ``None``."""
        return review.verdict(self.tags)

    def settlement(self) -> TagItem | None:
        return review.latest_settlement(self.tags)  # type: ignore[return-value]

    def other(self, claim_id: int) -> ClaimItem:
        return self.b if self.a.id == claim_id else self.a

    def oriented(self, claim_id: int | None) -> tuple[ClaimItem, ClaimItem]:
        """(claim, counterclaim), with ``claim_id`` on the left when it is in the pair."""
        if claim_id is not None and self.b.id == claim_id:
            return self.b, self.a
        return self.a, self.b


@dataclass(frozen=True)
class TopicSummary:
    id: int | None  # None: every topic
    title: str
    claims: int
    sources: int
    sides: int
    pairs: int
    contradictions: int  # pairs the model labels contradiction
    untagged: int
    conflicts: int

    @property
    def reviewed(self) -> int:
        return self.pairs - self.untagged

    def progress(self) -> str:
        """ "31 of 244 reviewed, 4 conflicts": what the team has done on this topic."""
        s = "" if self.conflicts == 1 else "s"
        return f"{self.reviewed} of {self.pairs} reviewed, {self.conflicts} conflict{s}"


@dataclass(frozen=True)
class Filters:
    side: str | None = None
    actor: str | None = None
    outlet: str | None = None
    label: str | None = None  # the model's label
    status: str | None = None  # one of STATUSES
    text: str = ""  # search: case-insensitive substring of either claim or its attribution
    min_checkworthy: float | None = None  # hide claims scored below (the title counts them)

    @property
    def active(self) -> bool:
        return self != Filters()

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def worthy(self, c: ClaimItem) -> bool:
        """False for a claim scored below the threshold; unscored claims always stay."""
        return (
            self.min_checkworthy is None
            or c.checkworthy is None
            or c.checkworthy >= self.min_checkworthy
        )

    def hidden_count(self, claims: Iterable[ClaimItem]) -> int:
        return sum(not self.worthy(c) for c in claims)

    def claim_matches(self, c: ClaimItem) -> bool:
        return (
            self.worthy(c)
            and (self.side is None or c.side == self.side)
            and (self.actor is None or c.actor == self.actor)
            and (self.outlet is None or c.outlet == self.outlet)
        )

    def claim_visible(self, c: ClaimItem) -> bool:
        """Shown in a side column: the claim filters plus the search text."""
        if not self.claim_matches(c):
            return False
        hay = " ".join((c.text, c.who, c.outlet)).casefold()
        return not self.text or self.text.casefold() in hay

    def pair_matches(self, p: PairItem) -> bool:
        if not (self.worthy(p.a) and self.worthy(p.b)):
            return False
        if not (self.claim_matches(p.a) or self.claim_matches(p.b)):
            return False
        if self.label is not None and p.label != self.label:
            return False
        if self.status is not None and p.status != self.status:
            return False
        if self.text:
            needle = self.text.casefold()
            hay = " ".join((p.a.text, p.a.who, p.a.outlet, p.b.text, p.b.who, p.b.outlet))
            if needle not in hay.casefold():
                return False
        return True

    def describe(self) -> str:
        parts = [
            f"{k}={v}"
            for k in ("side", "actor", "outlet", "label", "status")
            if (v := getattr(self, k)) is not None
        ]
        if self.text:
            parts.append(f"search={self.text!r}")
        if self.min_checkworthy is not None:
            parts.append(f"check-worthy≥{self.min_checkworthy:.2f}")
        return ", ".join(parts)


@dataclass(eq=False)  # identity: a reload is always news, and 10,000 pairs are never compared
class BoardData:
    db_path: str
    model: str
    claims: dict[int, ClaimItem]
    pairs: list[PairItem]  # most likely contradiction first
    topic_titles: dict[int, str]
    #: pair id -> (claim cell, counterclaim cell) as rich Text, built by the load worker so the UI
    #: thread does not build 20,000 of them when the board opens.
    claim_cells: dict[int, tuple[Text, Text]] = field(default_factory=dict)
    #: What this load saw: the poller fetches tags and retractions after these.
    max_tag_id: int = 0
    retracted: frozenset[int] = frozenset()
    max_correction: int = 0  # a newer correction anywhere: the poller reloads the board
    #: A large store: only the most likely contradictions (and tagged pairs) are loaded, with
    #: their claims; these are the counts over everything (``verify.views.board.topic_totals``).
    totals: dict[int | None, dict[str, int]] | None = None
    #: Only the tagged pairs so far (a large store's first screen): the rest is being read.
    more_coming: bool = False
    by_id: dict[int, PairItem] = field(init=False)
    by_claim: dict[int, list[PairItem]] = field(init=False)
    _claims_by_topic: dict[int | None, list[ClaimItem]] = field(init=False)
    _pairs_by_topic: dict[int | None, list[PairItem]] = field(init=False)

    def __post_init__(self) -> None:
        # Indexed once, so screens never scan 10,000 pairs per keypress.
        self.by_id = {p.id: p for p in self.pairs}
        self.by_claim = {}
        self._claims_by_topic = {}
        self._pairs_by_topic = {}
        for p in self.pairs:
            self.by_claim.setdefault(p.a.id, []).append(p)
            self.by_claim.setdefault(p.b.id, []).append(p)
            self._pairs_by_topic.setdefault(p.topic, []).append(p)
        for c in self.claims.values():
            self._claims_by_topic.setdefault(c.topic, []).append(c)

    def topic_claims(self, topic: int | None) -> list[ClaimItem]:
        if topic is None:
            return list(self.claims.values())
        return self._claims_by_topic.get(topic, [])

    def topic_pairs(self, topic: int | None) -> list[PairItem]:
        if topic is None:
            return self.pairs
        return self._pairs_by_topic.get(topic, [])

    def title(self, topic: int | None) -> str:
        return "All topics" if topic is None else self.topic_titles.get(topic, f"topic {topic}")

    def sides(self, topic: int | None = None) -> list[str]:
        """Sides in display order: largest camp first, ``unknown`` last."""
        counts: dict[str, int] = {}
        for c in self.topic_claims(topic):
            counts[c.side] = counts.get(c.side, 0) + 1
        return sorted(counts, key=lambda s: (s == UNKNOWN_SIDE, -counts[s], s))

    def summary(self, topic: int | None) -> TopicSummary:
        claims = self.topic_claims(topic)
        pairs = self.topic_pairs(topic)
        statuses = [p.status for p in pairs]
        if self.totals is not None:  # every tagged pair is loaded: the rest are untagged
            t = self.totals.get(topic, {})
            return TopicSummary(
                topic,
                self.title(topic),
                t.get("claims", 0),
                t.get("sources", 0),
                t.get("sides", 0),
                t.get("pairs", 0),
                t.get("contradictions", 0),
                t.get("pairs", 0) - len(pairs) + statuses.count(UNTAGGED),
                statuses.count(CONFLICT),
            )
        counts = count_pairs((p.id, p.probs) for p in pairs)  # the engine's one count
        return TopicSummary(
            id=topic,
            title=self.title(topic),
            claims=len(claims),
            sources=len({outlet_key(c.outlet, c.article_id) for c in claims}),
            sides=len({c.side for c in claims} - {UNKNOWN_SIDE}),
            pairs=counts["scored"],
            contradictions=counts["contradictions"],
            untagged=statuses.count(UNTAGGED),
            conflicts=statuses.count(CONFLICT),
        )

    def summaries(self) -> list[TopicSummary]:
        """Every topic, most disputed first, after one "All topics" row."""
        rows = [self.summary(t) for t in self.topic_titles]
        rows.sort(key=lambda s: (-s.contradictions, -s.pairs, s.id or 0))
        return [self.summary(None), *rows]

    def values(self, attr: str) -> list[str]:
        """Distinct values of a claim attribute (side, actor, outlet), for the filter menus."""
        return sorted({getattr(c, attr) for c in self.claims.values()})


def next_untagged(rows: list[PairItem], current: int | None) -> int | None:
    """Index of the first untagged row after ``current``, wrapping around."""
    n = len(rows)
    start = -1 if current is None else current
    for step in range(1, n + 1):
        i = (start + step) % n
        if rows[i].status == UNTAGGED:
            return i
    return None


def next_uncertain(rows: list[PairItem], after: int | None) -> int | None:
    """Index of the most uncertain untagged row (p(contradiction) nearest 0.5, then entropy).

    ``after``: the row a previous call chose, when the cursor is still on it: then the next one
    in that order, so skipping a pair never sticks on it."""
    ranked = sorted(
        (i for i, p in enumerate(rows) if p.status == UNTAGGED),
        key=lambda i: (rows[i].uncertainty, -rows[i].entropy, rows[i].id),
    )
    if not ranked:
        return None
    if after in ranked:
        return ranked[(ranked.index(after) + 1) % len(ranked)]
    return ranked[0]


def tag_item(record: Mapping[str, Any]) -> TagItem:
    """A ``verify.views.board.tag_record`` as the board keeps it."""
    return TagItem(
        record["id"],
        record["pair_id"],
        record["analyst"],
        record["label"],
        record["note"],
        record["at"],
        record["kind"],
    )


def claim_item(record: Mapping[str, Any]) -> ClaimItem:
    """A ``verify.views.board.board_claim`` as the board keeps it."""
    return ClaimItem(
        id=record["id"],
        article_id=record["article_id"],
        article=record["article"],
        article_title=record["article_title"],
        outlet=record["outlet"],
        date=record["date"],
        sentence=record["sentence"],
        text=record["text"],
        speaker=record["speaker"],
        cue=record["cue"],
        relay=tuple(record["relay"]),
        actor=record["actor"] or "",
        side=record["side"],
        start=record["start"],
        end=record["end"],
        topic=record["topic"],
        checkworthy=record["checkworthy"],
        corrected=record["corrected"],
        language=record.get("language", "en"),
    )


def mine(pairs: Iterable[PairItem], analyst: str) -> int:
    """Pairs ``analyst`` has an active ordinary tag on."""
    return sum(analyst in p.latest() for p in pairs)


def agreement_units(pairs: Iterable[PairItem]) -> dict[int, dict[str, str]]:
    """pair id -> analyst -> label, for ``verify.analysts.agreement.summarize``."""
    out = {}
    for p in pairs:
        if p.tags:
            latest = p.latest()
            if latest:
                out[p.id] = {who: t.label for who, t in latest.items()}
    return out
