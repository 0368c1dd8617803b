"""The engine's warnings reach the board as notifications, from whichever thread logs them."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from samples.board import build_seed_db
from samples.pilot import settle

from tui.app import BoardApp
from tui.engine_log import NotifyHandler
from verify.config import load_config

pytestmark = pytest.mark.anyio


def _engine_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger("verify").handlers if isinstance(h, NotifyHandler)]


async def test_a_broken_config_read_in_a_worker_thread_is_notified(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    build_seed_db(db)
    broken = tmp_path / "config.toml"
    broken.write_text("analyst = \n", encoding="utf-8")
    app = BoardApp(db, "alice", poll_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(_engine_handlers()) == 1
        # The real engine code, off the UI thread, as a job's worker runs it.
        worker = threading.Thread(target=load_config, args=(broken,))
        worker.start()
        worker.join()
        logging.getLogger("verify.stages.pipeline").info("a progress line: not a notification")
        await pilot.pause()
        toasts = [n for n in app._notifications if n.title == "engine"]
        assert len(toasts) == 1, [n.message for n in toasts]
        assert "config.toml: ignored" in toasts[0].message and toasts[0].severity == "warning"
    assert not _engine_handlers()  # a closed board leaves the engine's logger as it found it
