"""The board's rules without a screen: escaping, tag status, conflicts, navigation, filters."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from samples.board import build_seed_db

from tui.data import load_board
from tui.records import Filters, PairItem, TagItem, next_uncertain, next_untagged
from tui.render import in_context
from tui.text import literal, one_line, safe
from verify.analysts.review import CONFLICT, SETTLE, SETTLED, TAG, TAGGED, UNTAGGED


def test_control_characters_are_escaped_visibly() -> None:
    assert safe("a\x1b[31mb\x07\x00") == "a\\x1b[31mb\\x07\\x00"
    assert safe("right\u202eleft") == "right\\u202eleft"
    assert safe("line\nbreak") == "line\\x0abreak"
    assert safe("line\nbreak", keep_newlines=True) == "line\nbreak"
    assert one_line("  two\n\nlines\tand  tabs ") == "two lines and tabs"
    assert one_line("abcdef", 4) == "abc…"


def test_markup_stays_literal() -> None:
    text = literal("[bold]x[/bold] [/foo] \x1b[31mred\x1b[0m")
    assert isinstance(text, Text)
    assert text.plain == "[bold]x[/bold] [/foo] \\x1b[31mred\\x1b[0m"
    assert not text.spans


def _pair(seed_db: Path, *tags: tuple[str, str, str]) -> PairItem:
    """Tags as (analyst, label, kind)."""
    pair = load_board(seed_db).pairs[0]
    pair.tags = [
        TagItem(i, pair.id, who, label, "", "", kind)
        for i, (who, label, kind) in enumerate(tags, start=1)
    ]
    return pair


def test_status_conflict_and_settling(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_seed_db(db, tags=False)
    assert _pair(db).status == UNTAGGED
    assert _pair(db, ("bob", "agreement", TAG), ("carol", "agreement", TAG)).status == TAGGED
    # bob changed his mind: only each analyst's latest tag counts
    assert (
        _pair(
            db,
            ("bob", "contradiction", TAG),
            ("bob", "agreement", TAG),
            ("carol", "agreement", TAG),
        ).status
        == TAGGED
    )
    conflict = _pair(db, ("bob", "agreement", TAG), ("carol", "contradiction", TAG))
    assert conflict.status == CONFLICT and conflict.verdict is None
    settled = _pair(
        db, ("bob", "agreement", TAG), ("carol", "contradiction", TAG), ("dora", "neutral", SETTLE)
    )
    assert settled.status == SETTLED and settled.verdict == "neutral"
    assert set(settled.latest()) == {"bob", "carol"}  # a settlement is not a vote
    # a later tag that disagrees reopens the conflict
    reopened = _pair(
        db,
        ("bob", "agreement", TAG),
        ("carol", "contradiction", TAG),
        ("dora", "contradiction", SETTLE),
        ("bob", "neutral", TAG),
    )
    assert reopened.status == CONFLICT


def test_navigation_wraps_and_chains(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_seed_db(db)
    rows = load_board(db).pairs
    untagged = [i for i, p in enumerate(rows) if p.status == UNTAGGED]
    assert len(untagged) > 1 and len(untagged) < len(rows)
    assert next_untagged(rows, untagged[-1]) == untagged[0]  # wraps around, past tagged rows
    tagged = next(i for i, p in enumerate(rows) if p.status != UNTAGGED)
    assert next_untagged(rows, tagged) == next(i for i in untagged if i > tagged)
    first = next_uncertain(rows, None)
    second = next_uncertain(rows, first)
    assert rows[first].uncertainty <= rows[second].uncertainty
    assert first != second
    assert next_untagged([], None) is None and next_uncertain([], None) is None


def test_filters(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_seed_db(db)
    data = load_board(db)
    russia = [p for p in data.pairs if Filters(side="Russia").pair_matches(p)]
    assert russia and all("Russia" in (p.a.side, p.b.side) for p in russia)
    cnn = [p for p in data.pairs if Filters(actor="CNN", text="MASSING").pair_matches(p)]
    assert cnn and all("massing" in (p.a.text + p.b.text) for p in cnn)
    assert Filters().describe() == "" and not Filters().active
    assert Filters(status="conflict", text="x").describe() == "status=conflict, search='x'"


def test_claim_in_its_paragraph_is_highlighted(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = build_seed_db(db)
    data = load_board(db)
    claim = data.claims[ids.claims["s13"]]
    from verify.store.database import Store

    store = Store(db)
    try:
        article = store.db.execute(
            "SELECT text FROM articles WHERE id=?", (claim.article_id,)
        ).fetchone()[0]
    finally:
        store.close()
    text = in_context(article, claim)
    assert text.plain.startswith("On Tuesday morning, Moscow announced the start of the withdrawal")
    assert "\n" not in text.plain  # one paragraph, not the article
    highlighted = [text.plain[s.start : s.end] for s in text.spans if "reverse" in str(s.style)]
    assert highlighted == [claim.text]
    # offsets outside the article never crash: the sentence alone is shown
    broken = type(claim)(**{**claim.__dict__, "start": 10**6, "end": 10**6 + 5})
    assert in_context(article, broken).plain == claim.sentence
