"""The HTML report in a real headless browser (Debian's /usr/bin/chromium): it renders to a
non-trivial picture, and the DOM the browser builds holds no script and no event handler.
Skipped where chromium is not installed (CI may not have it); see docs/report.md."""

from __future__ import annotations

import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_report_corpus import XSS, audit, build_dispute, build_hostile

from verify.report import write_report
from verify.store.database import Store

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=90,
        )


def _report(tmp_path: Path, builder) -> Path:
    store = Store(builder(tmp_path / "r.db"))
    try:
        return write_report(store, "html", tmp_path / "report.html")[0]
    finally:
        store.close()


def test_screenshot_is_not_blank(tmp_path: Path) -> None:
    page = _report(tmp_path, build_dispute)
    png = tmp_path / "report.png"
    _chromium(f"--screenshot={png}", "--window-size=1280,2000", page.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1280, 2000)
    # A blank page of this size compresses to ~12 kB; the report (text, tables, pictures) is
    # several times that.
    assert len(data) > 60_000


def test_browser_dom_has_no_script(tmp_path: Path) -> None:
    page = _report(tmp_path, build_hostile)
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    a = audit(dom)
    assert a.tags["table"] >= 3 and a.tags["svg"] == 4
    assert a.tags["script"] == 0 and not a.problems, a.problems[:5]
    assert XSS in a.text
