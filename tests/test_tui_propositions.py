"""Pilot tests of the proposition screen on the sample seed board (a real SQLite file), driven by
keys: stance tags land in ``stance_tags`` at once, undo appends to ``stance_tag_retractions``,
analyst text shows literally, and the screen is reachable from the topics screen and the board."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples.board import HOSTILE_TEXT, SampleIds, build_seed_db
from samples.board_props import WITHDRAWAL, add_sample_propositions
from samples.pilot import fresh_rows, screen_text, settle

from tui.app import BoardApp
from tui.board import BoardScreen
from tui.commands import BoardCommands
from tui.modals import ArticleScreen, HelpScreen
from tui.prop_parts import ProposeScreen, StanceColumn
from tui.propositions import PropositionScreen
from verify.propositions import edit
from verify.store.database import Store

pytestmark = pytest.mark.anyio

SIZE = (150, 48)


@pytest.fixture
def prop_db(tmp_path: Path) -> tuple[Path, SampleIds, dict[str, int]]:
    path = tmp_path / "props.db"
    ids = build_seed_db(path, hostile=True)
    return path, ids, add_sample_propositions(path, ids, hostile=True)


async def open_props(pilot) -> PropositionScreen:
    """From the topics screen: the most disputed topic (row 1), then p."""
    await settle(pilot)
    await pilot.press("j", "p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PropositionScreen)
    return screen


def column_of(screen: PropositionScreen, claim_id: int) -> str | None:
    for name in ("supporters", "refuters", "others"):
        if screen.query_one(f"#{name}", StanceColumn).index_of(claim_id) is not None:
            return name
    return None


async def test_tag_refutes_is_committed_then_undone(prop_db) -> None:
    path, ids, props = prop_db
    moscow = ids.claims["s13"]
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        assert screen.current is not None and screen.current["id"] == props["withdrawal"]
        assert WITHDRAWAL in screen_text(app)
        assert column_of(screen, moscow) == "supporters"
        assert screen.claim_id == moscow  # the most confident supporter is highlighted first
        after = screen.query_one("#supporters", StanceColumn).next_claim(moscow)
        await pilot.press("x")
        await pilot.pause()
        rows = fresh_rows(path, "SELECT proposition_id, claim_id, analyst, label FROM stance_tags")
        assert rows == [(props["withdrawal"], moscow, "alice", "refutes")]
        # The analyst's tag replaces the suggestion: the claim moves, the cursor goes on down
        # the same column (tests/test_tui_workflow.py).
        assert column_of(screen, moscow) == "refuters"
        assert screen.claim_id == after
        assert "✎ alice" in screen_text(app)
        await pilot.press("l")  # the refuters: the tagged claim is there, with its tag
        screen.query_one("#refuters", StanceColumn).go_to(moscow, None)
        await pilot.pause()
        assert f"claim #{moscow}: alice refutes" in screen_text(app)  # the status line
        await pilot.press("z")
        await pilot.pause()
        undone = fresh_rows(
            path,
            "SELECT t.claim_id, r.analyst FROM stance_tag_retractions r"
            " JOIN stance_tags t ON t.id=r.tag_id",
        )
        assert undone == [(moscow, "alice")]
        assert column_of(screen, moscow) == "supporters"
        assert len(fresh_rows(path, "SELECT * FROM stance_tags")) == 1  # kept, marked retracted


async def test_move_between_claims_and_propositions(prop_db) -> None:
    path, ids, props = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        await pilot.press("l")  # the refuters' column: CNN is the most confident refuter
        assert screen.column is not None and screen.column.column == "refuters"
        assert screen.claim_id == ids.claims["s20"]
        await pilot.press("j")
        assert screen.claim_id == ids.claims["s26"]
        await pilot.press("d")  # Grozev: discusses
        await pilot.pause()
        assert fresh_rows(path, "SELECT claim_id, label FROM stance_tags") == [
            (ids.claims["s26"], "discusses")
        ]
        assert column_of(screen, ids.claims["s26"]) == "others"
        await pilot.press("right_square_bracket")
        assert screen.current is not None and screen.current["id"] == props["hostile"]
        await pilot.press("left_square_bracket")
        assert screen.current["id"] == props["withdrawal"]


async def test_hostile_proposition_renders_literally(prop_db) -> None:
    path, _, _ = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_props(pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/bold] [/foo] \\x1b[31mred\\x1b[0m [link=x]y[/link]" in text
        assert "[i]Officials[/i]" in text  # the hostile claim's speaker, as typed
        assert "\x1b[31m" not in text
        assert HOSTILE_TEXT not in text  # the raw escape never reaches the terminal


async def test_typed_proposition_errors_change_nothing(prop_db) -> None:
    path, _, _ = prop_db
    before = fresh_rows(path, "SELECT id FROM propositions")
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_props(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProposeScreen)
        await pilot.press(*"?!...", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PropositionScreen)
        messages = [n.message for n in app._notifications]
        assert any("not added: a proposition needs words" in m for m in messages), messages
    assert fresh_rows(path, "SELECT id FROM propositions") == before


async def test_withdraw_and_pin(prop_db) -> None:
    path, ids, props = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        await pilot.press("right_square_bracket", "w", "y")
        await pilot.pause()
        assert fresh_rows(path, "SELECT proposition_id, analyst FROM proposition_retractions") == [
            (props["hostile"], "alice")
        ]
        assert [v["id"] for v in screen.views] == [props["withdrawal"]]
        # The cursor stays on CNN's claim (it refutes the proposition now shown): pin it.
        assert screen.claim_id == ids.claims["s20"] and screen.column.column == "refuters"
        await pilot.press("P")
        await pilot.pause()
        pinned = fresh_rows(
            path,
            "SELECT claim_id, pinned, analyst, origin FROM propositions WHERE id NOT IN (?, ?)",
            *props.values(),
        )
        assert pinned == [(ids.claims["s20"], 1, "alice", "analyst")]
        assert len(screen.views) == 2  # listed at once, scored in the background
        await settle(pilot)  # the real stance model scores the new proposition's topic
        scored = fresh_rows(
            path,
            "SELECT COUNT(*) FROM proposition_suggestions s JOIN"
            " propositions p ON p.id=s.proposition_id WHERE p.claim_id=?"
            " AND p.pinned=1",
            ids.claims["s20"],
        )
        assert scored[0][0] > 0


async def test_reachable_from_board_and_back_to_pairs(prop_db) -> None:
    path, _, _ = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PropositionScreen) and app.screen.topic == board.topic
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for line in (
            "Tag the claim: supports the proposition",
            "Withdraw the current",
            "Type a new proposition",
            "Pin the selected claim",
        ):
            assert line in text
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)  # pair review stays available


async def test_typed_proposition_is_added_and_scored(prop_db) -> None:
    path, _, props = prop_db
    typed = "Russian troops are still [b]massing[/b] on the border"
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*typed, "enter")
        await settle(pilot)  # the real embedder anchors it, the real stance model scores it
        await pilot.pause()
        rows = fresh_rows(
            path,
            "SELECT id, text, pinned, analyst FROM propositions WHERE id NOT IN (?, ?)",
            *props.values(),
        )
        assert [r[1:] for r in rows] == [(typed, 0, "alice")]
        new = rows[0][0]
        assert (
            fresh_rows(
                path, "SELECT COUNT(*) FROM proposition_suggestions WHERE proposition_id=?", new
            )[0][0]
            > 0
        )
        assert screen.current is not None and screen.current["id"] == new  # shown once scored
        assert typed in screen_text(app)


async def test_palette_runs_the_screen_keys(prop_db) -> None:
    path, ids, props = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        hits = [h async for h in BoardCommands(screen).search("Tag the claim: unrelated")]
        best = max(hits, key=lambda h: h.score)
        assert "key u" in str(best.help)
        await best.command()  # run_action, awaited as the palette does
        await pilot.pause()
        assert fresh_rows(path, "SELECT proposition_id, claim_id, label FROM stance_tags") == [
            (props["withdrawal"], ids.claims["s13"], "unrelated")
        ]


async def test_another_analysts_tag_shows_after_reload(prop_db) -> None:
    path, ids, props = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_props(pilot)
        assert "✎" not in screen_text(app)
        other = Store(path)  # bob tags from the CLI meanwhile
        try:
            edit.tag_stance(other, props["withdrawal"], ids.claims["s8"], "discusses", "bob")
        finally:
            other.close()
        await pilot.press("f5")
        await settle(pilot)
        assert column_of(screen, ids.claims["s8"]) == "others"
        assert "✎ bob" in screen_text(app)


async def test_open_the_claims_article(prop_db) -> None:
    path, _, _ = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_props(pilot)
        await pilot.press("l", "o")  # CNN's claim: the Scholz article
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert "massing of Russian troops" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PropositionScreen)


async def test_note_on_a_stance_tag(prop_db) -> None:
    path, ids, _ = prop_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_props(pilot)
        await pilot.press("N")  # no tag yet: refused
        await pilot.pause()
        assert isinstance(app.screen, PropositionScreen)
        await pilot.press("s")  # tagged: the cursor goes on to the next claim ...
        await pilot.pause()
        await pilot.press("k", "N")  # ... so back up to it for the note
        await pilot.pause()
        assert isinstance(app.screen, ProposeScreen)
        await pilot.press(*"[b]as announced[/b]", "enter")
        await pilot.pause()
        rows = fresh_rows(path, "SELECT claim_id, label, note FROM stance_tags ORDER BY id")
        assert rows == [
            (ids.claims["s13"], "supports", ""),
            (ids.claims["s13"], "supports", "[b]as announced[/b]"),
        ]
        assert "alice supports ([b]as announced[/b])" in screen_text(app)
