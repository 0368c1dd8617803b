"""Regenerate the README's captures from the real program, so they cannot drift.

    .venv/bin/python docs/captures.py            # rewrites the marked blocks of README.md

Runs the pipeline on seeds/ into a temporary database (the shipped models, offline), captures
what `make run` prints and the first disputes, and saves the board at 160x48 as docs/board.svg
(Textual's own screenshot, driven by Pilot). Each README block between
``<!-- capture:NAME -->`` and ``<!-- /capture -->`` is replaced by the fresh output.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verify.cli", *args, "--db", str(db)],
                          capture_output=True, text=True, cwd=REPO, check=True,
                          env={**os.environ, "COUNTERCLAIM_ANALYST": "ana", "CI": "1"})  # fmt: skip


def block(text: str, prompt: str) -> str:
    return f"```\n$ {prompt}\n{text.rstrip()}\n```"


async def board_svg(db: Path, out: Path) -> None:
    from tui.app import BoardApp

    app = BoardApp(db, "ana")
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(50):  # the load runs in a worker: wait until the table has rows
            await pilot.pause(0.2)
            if "pairs shown" in str(app.screen.title or "") or len(app.screen.query("DataTable")):
                break
        await pilot.pause(1.0)
        out.write_text(app.export_screenshot(title="counterclaim board"), encoding="utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "counterclaim.db"
        run = cli("run", "seeds/", db=db)
        captures = {
            "run": block(run.stderr.replace(tmp, "."), "counterclaim run seeds/"),
            "propositions": block(cli("disputes", "--top", "2", db=db).stdout,
                                  "counterclaim disputes --top 2"),
            "pairs": block(cli("disputes", "--pairs", "--top", "4", db=db).stdout,
                           "counterclaim disputes --pairs --top 4"),
        }  # fmt: skip
        asyncio.run(board_svg(db, REPO / "docs" / "board.svg"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, text in captures.items():
        # The block's own lines only: never across into the next marked block.
        pattern = re.compile(rf"(<!-- capture:{name} -->\n)(?:(?!<!-- capture:).)*?(<!-- /capture -->)",
                             re.S)  # fmt: skip
        if not pattern.search(readme):
            print(f"README.md has no capture:{name} block", file=sys.stderr)
            continue
        readme = pattern.sub(lambda m, t=text: m.group(1) + t + "\n" + m.group(2), readme)
    (REPO / "README.md").write_text(readme, encoding="utf-8")
    print("README.md captures and docs/board.svg regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
