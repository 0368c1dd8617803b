"""A seeded sample of bench/fuzz_inputs.py's hostile files through the real ingest stage
(readers, extractor, store): nothing raises, every refusal is one printable line naming its
file, every file is accounted for, and what an earlier run stored is still there after."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from verify.ingest import READERS
from verify.ingest.build import storable_path
from verify.ingest.metadata import SIDECAR_SUFFIX
from verify.stages.pipeline import Pipeline
from verify.store.database import Store

REPO = Path(__file__).resolve().parents[1]


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz_inputs", REPO / "bench" / "fuzz_inputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _article_files(root: Path) -> list[str]:
    """Regular files a folder walk reads: known extension, not hidden, not a sidecar."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if (
                not name.startswith(".")
                and not name.endswith(SIDECAR_SUFFIX)
                and path.suffix.lower() in READERS
                and path.is_file()
                and not path.is_symlink()
            ):
                out.append(storable_path(str(path)))
    return out


@pytest.mark.parametrize("seed", [11, 12])
def test_hostile_sample_never_stops_the_run(tmp_path: Path, seed: int) -> None:
    fuzz = _fuzz_module()
    store = Store(tmp_path / "s.db")
    good = tmp_path / "good.txt"
    good.write_text("Officials in Kyiv said that the dam on the Dnipro will hold.\n")
    Pipeline(store, log=lambda _m: None).ingest([good])
    before = store.db.execute("SELECT id, text, start FROM claims").fetchall()
    assert len(before) == 1

    root = tmp_path / "in"
    made = fuzz.generate(root, 110, seed=seed, scale=0.05)
    assert made >= 100
    lines: list[str] = []
    report = Pipeline(store, log=lines.append).ingest([root])

    assert all(line.isprintable() for line in lines)  # one line each, nothing raw
    assert all(str(r).isprintable() and r.reason.strip() for r in report.refused)
    assert all(r.source.startswith(str(root)) for r in report.refused)
    assert all(len(r.reason) < 240 for r in report.refused)
    assert len(report.refused) > 30 and report.articles_added > 10  # both kinds were made

    # Every article file was either stored (rows: "FILE:LINE") or refused, never skipped.
    named = [storable_path(r.source) for r in report.refused]
    named += [row[0] for row in store.db.execute("SELECT source FROM articles")]
    for path in _article_files(root):
        assert any(n == path or n.startswith(path + ":") for n in named), path

    after = store.db.execute("SELECT id, text, start FROM claims WHERE id=?", (before[0][0],))
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert store.runs()[-1]["status"] == "finished"

    again = Pipeline(store, log=lambda _m: None).ingest([root])  # nothing new, same refusals
    assert (again.articles_added, len(again.refused)) == (0, len(report.refused))


def test_cli_listings_never_print_raw_control_characters(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = Store(tmp_path / "s.db")
    hostile = tmp_path / "h.txt"
    hostile.write_text(
        "Officials in \x1b[31mKyiv\x1b[0m said that the dam \x1b]0;owned\x07 will hold.\n"
    )
    report = Pipeline(store, log=lambda _m: None).ingest([hostile])
    assert report.claims_added == 1
    store.close()
    out = subprocess.run(
        [sys.executable, "-m", "verify.cli", "claims", "--db", str(tmp_path / "s.db")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\\x1b[31m" in out.stdout
    assert all(line.isprintable() for line in out.stdout.splitlines())
