"""Reports lead with the propositions: who supports and who refutes each, by side, in every
format; pairs known only through a proposition (``id`` None) are shown as such.

The small corpus is ``test_report_corpus.build_propositions`` (real SQLite, stances stored as the
pipeline stores them); the last test runs on the seed database the real pipeline built."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_corpus import MASSING, WITHDRAWAL, audit, build_propositions

from verify.labels import PROPOSITION_LABELS
from verify.report import Filters, ReportError, build, render, write_report
from verify.report.fmt_csv import CSV_COLUMNS, PROPOSITION_COLUMNS
from verify.report.fmt_md import to_markdown
from verify.store.database import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_propositions(tmp_path_factory.mktemp("props") / "p.db")


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def _actors(doc: dict, prop: dict, group: str) -> list[str]:
    """The actors of a group's claims (schema 2 names each claim by id, in ``claims[]``)."""
    claims = {c["id"]: c for c in doc["claims"]}
    return [claims[s["claim"]]["actor"] for s in prop[group]]


# -- JSON ---------------------------------------------------------------------------------------


def test_json_leads_with_propositions_disputes_first(store: Store) -> None:
    doc = json.loads(render(store, "json"))
    keys = list(doc)
    assert keys.index("propositions") < keys.index("topics") < keys.index("pairs")
    props = doc["propositions"]
    assert [(p["id"], p["is_dispute"]) for p in props] == [(1, True), (3, True), (2, False)]
    first = props[0]
    assert (first["text"], first["origin"], first["analyst"]) == (WITHDRAWAL, "engine", None)
    assert first["topic"] == {"id": 1, "title": "troop withdrawal from the border"}
    assert _actors(doc, first, "supporters") == ["Russian Defense Ministry"]
    assert set(_actors(doc, first, "refuters")) == {"CNN", "Joe Biden", "open-source analysts"}
    assert first["sides"] == {"supporters": {"Russia": 1}, "refuters": {"West": 2, "unknown": 1}}
    # bob's stance tag replaces the model's "discusses" and is listed with his note.
    actor = {c["id"]: c["actor"] for c in doc["claims"]}
    tagged = next(s for s in first["refuters"] if actor[s["claim"]] == "open-source analysts")
    assert tagged["tagged"] and tagged["stance"] == "refutes" and tagged["confidence"] == 1.0
    assert [(t["analyst"], t["note"]) for t in tagged["tags"]] == [
        ("bob", "filmed moving toward the border")
    ]
    cnn = next(s for s in first["refuters"] if actor[s["claim"]] == "CNN")
    assert (cnn["stance"], cnn["confidence"], cnn["tagged"]) == ("refutes", 0.85, False)
    assert set(cnn["probs"]) == set(PROPOSITION_LABELS)
    typed = props[1]
    assert (typed["text"], typed["origin"], typed["analyst"]) == (MASSING, "analyst", "ana")
    assert typed["counts"] == {"supporters": 1, "refuters": 1, "others": 2}
    named = {s["claim"] for p in props for g in ("supporters", "refuters", "others") for s in p[g]}
    assert named <= set(actor) and all("text_hash" not in c for c in doc["claims"])
    s = doc["summary"]
    assert (s["propositions"], s["proposition_disputes"], s["analyst_propositions"]) == (3, 2, 1)


def test_json_pairs_implied_by_propositions_have_no_id(store: Store) -> None:
    doc = json.loads(render(store, "json"))
    implied = [p for p in doc["pairs"] if p["id"] is None]
    # Biden and the analysts both refute "units are returning": the pair model never read them.
    actor = {c["id"]: c["actor"] for c in doc["claims"]}
    assert {(actor[p["a"]], actor[p["b"]]) for p in implied} == {
        ("Joe Biden", "open-source analysts"),
        ("CNN", "open-source analysts"),
    }
    assert all(p["tags"] == [] and p["verdict_by"] == "model" for p in implied)


def test_schema_doc_names_every_proposition_key(store: Store) -> None:
    schema = (REPO / "docs" / "report-schema.md").read_text()
    doc = json.loads(render(store, "json"))
    p = doc["propositions"][0]
    keys = set(doc) | set(doc["summary"]) | set(doc["filters"]) | set(p) | set(p["counts"])
    keys |= set(p["refuters"][0]) | set(p["refuters"][0]["tags"][0])
    missing = sorted(k for k in keys if f"`{k}`" not in schema)
    assert not missing, f"undocumented keys: {missing}"


def test_filters_cap_and_scope_the_propositions(store: Store) -> None:
    capped = build(store, Filters(per_side=1), pictures=False).doc["propositions"][0]
    assert len(capped["refuters"]) == 1 and capped["counts"]["refuters"] == 3
    assert capped["left_out"]["refuters"] == 2
    assert capped["sides"]["refuters"] == {"West": 2, "unknown": 1}  # counted over all three
    every = build(store, Filters(per_side=None), pictures=False).doc["propositions"][0]
    assert len(every["refuters"]) == 3 and every["left_out"]["refuters"] == 0
    text = to_markdown(build(store, Filters(per_side=1), pictures=False).doc, [], "x")
    assert "2 more refuting claim(s) (" in text and "export --all lists them" in text
    only_two = json.loads(render(store, "json", topic=2))["propositions"]
    assert [p["id"] for p in only_two] == [2]
    with pytest.raises(ReportError, match="claims per side must be at least 1"):
        render(store, "json", per_side=0)


def test_hidden_claims_leave_the_propositions(db: Path, tmp_path: Path) -> None:
    """--min-checkworthy hides claims from the propositions too, and their sides follow."""
    copy = tmp_path / "c.db"
    shutil.copy(db, copy)
    store = Store(copy)
    ids = {r["speaker"]: r["id"] for r in store.claim_rows()}
    store.set_checkworthy(
        [(cid, 0.1 if name == "Russian Defense Ministry" else 0.9) for name, cid in ids.items()]
    )
    props = json.loads(render(store, "json", min_checkworthy=0.5))["propositions"]
    shown = {s["claim"] for p in props for g in ("supporters", "refuters", "others") for s in p[g]}
    assert ids["Russian Defense Ministry"] not in shown
    withdrawal = next(p for p in props if p["id"] == 1)
    assert withdrawal["counts"]["supporters"] == 0 and not withdrawal["is_dispute"]
    store.close()


# -- Markdown and HTML --------------------------------------------------------------------------


def test_markdown_leads_with_propositions_by_side(store: Store) -> None:
    text = render(store, "md")
    assert text.index("## Propositions") < text.index("## Pictures") < text.index("## Topic 1")
    # Numbered by rank in the report, the proposition's id in brackets.
    assert "### 1. Dispute (P1) · topic 1: troop withdrawal from the border" in text
    assert f"> {WITHDRAWAL}" in text and f"> {MASSING}" in text
    assert "typed by analyst ana" in text and "proposed by the engine from claim 1" in text
    section = text[text.index("### 1. Dispute (P1)") : text.index("### 2. Dispute (P3)")]
    assert section.index("**Supports** (1)") < section.index("**Refutes** (3)")
    refutes = section[section.index("**Refutes** (3)") :]
    # Grouped by side: the two West claims together, then the unknown one.
    rows = [r for r in refutes.splitlines() if r.startswith("| ") and "**" in r]
    assert [r.split(" | ")[0] for r in rows] == ["| West", "| West", "| unknown"]
    assert "| 0.85 (model) |" in refutes and "| refutes (analysts) |" in refutes
    assert "bob: refutes — filmed moving toward the border" in refutes
    assert "[CNN](https://edition.cnn.com/2)" in refutes
    assert "### Propositions no claim takes a side on" in text
    # A pair the pair model never read is listed without a number.
    assert text.count("| — | 0.") == 2


def test_html_propositions_in_two_columns(store: Store) -> None:
    page = render(store, "html")
    a = audit(page)
    assert not a.problems, a.problems[:5]
    assert a.tags["script"] == 0
    assert page.index('id="propositions"') < page.index("<h2>Pictures</h2>")
    assert 'id="proposition-1"' in page and 'class="prop dispute"' in page
    assert a.tags["blockquote"] == 2 and a.tags["table"] == 4  # sections are lists, not tables
    assert WITHDRAWAL in a.text and "Supports (1)" in a.text and "Refutes (3)" in a.text
    assert "bob: refutes — filmed moving toward the border" in a.text
    assert page.count('<tbody id="implied-') == 2
    assert set(a.pair_rows.values()) == {(8, 5)}


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_writes_the_propositions_beside_the_pairs(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "brief.csv"
    written = write_report(store, "csv", out)
    assert written == [out, tmp_path / "brief.propositions.csv"]
    pairs = list(csv.DictReader(io.StringIO(out.read_text())))
    assert tuple(pairs[0]) == CSV_COLUMNS
    assert sum(r["pair_id"] == "" for r in pairs) == 2  # implied by a proposition
    rows = list(csv.DictReader(io.StringIO(written[1].read_text())))
    assert tuple(rows[0]) == PROPOSITION_COLUMNS
    # One row per (proposition, claim): 4 + 4 + 1 stances, supporters first.
    assert [(int(r["proposition_id"]), r["group"]) for r in rows][:2] == [
        (1, "supporters"),
        (1, "refuters"),
    ]
    assert len(rows) == 9 and len({(r["proposition_id"], r["claim_id"]) for r in rows}) == 9
    tagged = next(r for r in rows if r["stance_by"] == "analysts")
    assert (tagged["actor"], tagged["stance"], tagged["tags"]) == (
        "open-source analysts",
        "refutes",
        "bob:refutes",
    )
    cnn = next(r for r in rows if r["proposition_id"] == "1" and r["actor"] == "CNN")
    assert (cnn["side"], float(cnn["p_refutes"]), cnn["url"]) == (
        "West",
        0.85,
        "https://edition.cnn.com/2",
    )
    assert {r["proposed_by"] for r in rows if r["proposition_id"] == "3"} == {"ana"}


# -- the seed database the real pipeline built --------------------------------------------------


def test_seed_report_leads_with_the_engine_propositions(seed_db: Path, tmp_path: Path) -> None:
    from verify.propositions.views import proposition_views
    from verify.views.listings import claims

    store = Store(seed_db)
    views = proposition_views(store, {c["id"]: c for c in claims(store)})
    assert views, "the pipeline proposed nothing on the seeds"
    doc = json.loads(render(store, "json", per_side=None))
    assert [p["id"] for p in doc["propositions"]] == [v["id"] for v in views]
    for p, v in zip(doc["propositions"], views, strict=True):
        for group in ("supporters", "refuters", "others"):
            assert [s["claim"] for s in p[group]] == [s["claim"]["id"] for s in v[group]]
    text = render(store, "md")
    sided = [p for p in doc["propositions"] if p["supporters"] or p["refuters"]]
    # Numbered by rank: "### 1. Dispute (P3) · …", "### 2. …", as many as there are.
    headings = re.findall(r"\n### (\d+)\. (?:Dispute|Proposition) \(P(\d+)\)", text)
    assert [int(n) for n, _ in headings] == list(range(1, len(sided) + 1))
    assert [int(p) for _, p in headings] == [p["id"] for p in sided]
    written = write_report(store, "csv", tmp_path / "seeds.csv", Filters(per_side=None))
    rows = list(csv.DictReader(io.StringIO(written[1].read_text())))
    assert len(rows) == sum(len(v[g]) for v in views for g in ("supporters", "refuters", "others"))
    assert not audit(render(store, "html", per_topic=None)).problems
    store.close()
