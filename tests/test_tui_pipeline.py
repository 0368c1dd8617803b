"""The board on the real pipeline's output for seeds/: extraction, actors, embeddings, topics and
pairs as `counterclaim run` makes them. The stance scores come from the shipped model under
models/stance-sklearn when it exists, else from a keyword stub (so this test never waits for
model training)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from samples.pilot import settle

from tui.app import BoardApp
from tui.board import BoardScreen

ROOT = Path(__file__).resolve().parents[1]
WITHDRAWAL = "withdrawal of troops deployed on the border"
MASSING = "massing of Russian troops"


def _model_ready() -> bool:
    """The model ``Pipeline(stance=None)`` loads: the shipped default (the cross-encoder when
    there is one), not the linear head alone."""
    from verify.stance.loading import default_model_path

    path = default_model_path()
    return path.is_dir() and any(path.iterdir())


pytestmark = pytest.mark.anyio


class KeywordStance:
    """Stand-in stance model: "withdrawal" against "massing" is a contradiction, else neutral."""

    version = "keyword-stub"

    def predict_proba(self, a, b) -> np.ndarray:
        out = np.tile([0.1, 0.1, 0.7, 0.1], (len(a), 1))
        for i, pair in enumerate(zip(a, b, strict=True)):
            text = " ".join(pair)
            if "withdrawal" in text and "massing" in text:
                out[i] = [0.8, 0.05, 0.1, 0.05]
        return out


async def test_seeds_pipeline_then_tag_on_the_board(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    db = tmp_path / "seeds.db"
    store = Store(db)
    try:
        stance = None if _model_ready() else KeywordStance()
        report = Pipeline(store, stance=stance, log=lambda _msg: None).run([ROOT / "seeds"])
    finally:
        store.close()
    assert report.pairs_total > 0

    app = BoardApp(db, "alice")
    async with app.run_test(size=(150, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # all topics
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        wanted = [
            p
            for p in board.table.rows_
            if WITHDRAWAL in p.a.text + p.b.text and MASSING in p.a.text + p.b.text
        ]
        assert wanted, "the pipeline did not pair Moscow's withdrawal with CNN's massing"
        index = board.table.index_of(wanted[0].id)
        while board.table.cursor_row != index:
            await pilot.press("j")
        await pilot.press("c")
        await pilot.pause()
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT pair_id, label FROM tags WHERE analyst='alice'").fetchall()
    finally:
        con.close()
    assert rows == [(wanted[0].id, "contradiction")]
