"""Each filter (--topic, --min-confidence, --label, --tagged-only), in every format.

The dispute corpus (see test_report_corpus.build_dispute): pair verdicts 1 contradiction
(tagged), 2 contradiction (model), 3 contradiction (tagged over a neutral model), 4 unrelated
(tagged, topic 2), 5 agreement (model); contradiction confidences .9 .7 .2 .05 .1."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_report_corpus import audit, build_dispute

from verify.report import FORMATS, Filters, ReportError, write_report
from verify.store.database import Store


def _json(text: str) -> set[int]:
    return {p["id"] for p in json.loads(text)["pairs"]}


def _csv(text: str) -> set[int]:
    return {int(r["pair_id"]) for r in csv.DictReader(io.StringIO(text))}


def _md(text: str) -> set[int]:
    return {int(m) for m in re.findall(r"^\| (\d+) \| \d\.\d\d \|", text, re.MULTILINE)}


def _html(text: str) -> set[int]:
    return set(audit(text).pair_rows)


# Claim ids of the dispute corpus's pairs (pair id -> its two claims), to read pairs back from
# ClaimReview, which reviews claims and cites the claims they were judged against.
CLAIMS_OF = {1: {1, 3}, 2: {1, 4}, 3: {1, 5}, 4: {2, 3}, 5: {3, 4}}


def _claimreview(text: str) -> set[int]:
    judged = {
        frozenset({int(r["identifier"].removeprefix("claim-")), int(c["identifier"][6:])})
        for r in json.loads(text)["@graph"]
        for c in r["citation"]
    }
    return {pid for pid, claims in CLAIMS_OF.items() if claims in judged}


PAIRS_IN: dict[str, Callable[[str], set[int]]] = {
    "json": _json,
    "csv": _csv,
    "md": _md,
    "html": _html,
    "claimreview": _claimreview,
}
REVIEWED = {1, 3}  # pairs with a non-"unrelated" analyst tag: the only ones ClaimReview publishes

CASES = [
    (Filters(), {1, 2, 3, 4, 5}),
    (Filters(topic=2), {4}),
    (Filters(topic=1), {1, 2, 3, 5}),
    (Filters(min_confidence=0.5), {1, 2}),
    (Filters(label="contradiction"), {1, 2, 3}),
    (Filters(label="agreement"), {5}),
    (Filters(label="unrelated"), {4}),
    (Filters(tagged_only=True), {1, 3, 4}),
    (Filters(topic=1, tagged_only=True, min_confidence=0.5, label="contradiction"), {1}),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(build_dispute(tmp_path_factory.mktemp("filters") / "d.db"))
    yield s
    s.close()


def test_every_format_covers_every_format() -> None:
    assert set(PAIRS_IN) == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("filters", "expected"), CASES, ids=[repr(c[0]) for c in CASES])
def test_filter(
    store: Store, tmp_path: Path, fmt: str, filters: Filters, expected: set[int]
) -> None:
    out = tmp_path / f"r.{fmt}"
    write_report(store, fmt, out, filters)
    want = expected & REVIEWED if fmt == "claimreview" else expected
    assert PAIRS_IN[fmt](out.read_text()) == want


def test_claims_of_matches_the_corpus(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    write_report(store, "json", out)
    pairs = json.loads(out.read_text())["pairs"]
    assert {p["id"]: {p["a"], p["b"]} for p in pairs} == CLAIMS_OF


def test_topic_filter_narrows_claims_and_topics(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    write_report(store, "json", out, Filters(topic=2))
    doc = json.loads(out.read_text())
    assert [t["id"] for t in doc["topics"]] == [2]
    in_scope = [c["id"] for c in doc["claims"] if c["topic"] == 2]
    assert len(in_scope) == 1 == doc["summary"]["claims"]
    # Besides it, only the claims its listed pairs name (pairs name claims by id, schema 2).
    named = {p[k] for p in doc["pairs"] for k in ("a", "b")}
    assert {c["id"] for c in doc["claims"]} == set(in_scope) | named
    assert doc["summary"]["articles"] == 3  # the corpus is always reported whole


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(topic=99), "no topic 99"),
        (Filters(min_confidence=1.5), "between 0 and 1"),
        (Filters(label="maybe"), "unknown label"),
    ],
)
def test_bad_filters_are_refused_in_one_line(
    store: Store, tmp_path: Path, filters: Filters, message: str
) -> None:
    with pytest.raises(ReportError, match=message) as info:
        write_report(store, "html", tmp_path / "x.html", filters)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "x.html").exists()


def test_min_checkworthy_hides_claims_and_says_how_many(tmp_path: Path) -> None:
    from verify.report import Filters, render
    from verify.store.database import Store
    from verify.types import Article, Claim

    store = Store(tmp_path / "cw.db")
    store.add_article(
        Article("A said x. B said y. C said z.", "a.txt"),
        [
            Claim("A said x.", "x", 0, 9, "A", "said"),
            Claim("B said y.", "y", 10, 19, "B", "said"),
            Claim("C said z.", "z", 20, 29, "C", "said"),
        ],
    )
    a, b, c = (r["id"] for r in store.claim_rows())
    store.upsert_pairs([(a, b, 0.9), (b, c, 0.8)])
    store.save_suggestions(
        "m", [(r["id"], [0.6, 0.2, 0.1, 0.1]) for r in store.db.execute("SELECT id FROM pairs")]
    )
    store.meta.stance_model = "m"
    store.set_checkworthy([(a, 0.9), (b, 0.8), (c, 0.1)])
    doc = json.loads(render(store, "json", min_checkworthy=0.5))
    assert doc["summary"]["hidden_below_checkworthy"] == 1
    assert {cl["id"] for cl in doc["claims"]} == {a, b} and len(doc["pairs"]) == 1
    md = render(store, "md", min_checkworthy=0.5)
    assert "Hidden as not check-worthy" in md and "1 claims" in md
    assert json.loads(render(store, "json"))["summary"]["hidden_below_checkworthy"] == 0
    assert Filters(min_checkworthy=0.5).min_checkworthy == 0.5
