"""`counterclaim eval pairs FILE.jsonl --labels MAP`: the shipped model on any premise/hypothesis
JSONL; bad files get one line naming the file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from verify.evaluation.pairs import PairFileError, parse_map, restrict
from verify.labels import LABEL_INDEX

KEYS = {"dataset", "n", "accuracy", "macro_f1", "f1", "confusion", "pairs_per_second", "model"}


def _eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verify.cli", "eval", "pairs", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


ROWS = [
    {
        "premise": "A man is playing a guitar on stage.",
        "hypothesis": "A man plays music.",
        "label": "entailment",
    },
    {
        "premise": "A man is playing a guitar on stage.",
        "hypothesis": "Nobody is playing.",
        "label": "contradiction",
    },
    {
        "premise": "Two dogs run in a field.",
        "hypothesis": "The dogs are brothers.",
        "label": "neutral",
    },
]


@pytest.mark.models
def test_a_named_map_reports_the_common_json_keys(tmp_path: Path) -> None:
    proc = _eval(str(_jsonl(tmp_path / "p.jsonl", ROWS)), "--labels", "snli", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert KEYS <= set(out) and out["n"] == 3 and out["dataset"] == "p.jsonl"
    assert sum(map(sum, out["confusion"])) == 3
    assert out["confusion"][LABEL_INDEX["unrelated"]] == [0, 0, 0, 0]


def test_an_inline_map_and_its_errors() -> None:
    assert parse_map("yes=agreement,no=contradiction") == {
        "yes": "agreement",
        "no": "contradiction",
    }
    for bad in ("yes", "yes=maybe"):
        with pytest.raises(PairFileError):
            parse_map(bad)


def test_restrict_reads_only_the_classes_the_map_reaches() -> None:
    p = np.array([[0.1, 0.2, 0.3, 0.4]])
    assert restrict(p, {"contradiction", "agreement", "neutral"})[0].tolist() == pytest.approx(
        [0.1, 0.2, 0.7, 0.0]
    )
    assert restrict(p, {"contradiction", "agreement"})[0].tolist() == pytest.approx(
        [1 / 3, 2 / 3, 0, 0]
    )


@pytest.mark.parametrize(
    ("rows", "expect"),
    [
        ([], "no pairs"),
        (["{not json"], ":1: not JSON"),
        ([{"premise": "p", "label": "entailment"}], ":1: missing or non-text field hypothesis"),
        ([ROWS[0], {"premise": "p", "hypothesis": "h", "label": "maybe"}], ":2: label 'maybe'"),
    ],
)
def test_bad_pair_files_get_one_line_naming_file_and_line(
    tmp_path: Path, rows: list, expect: str
) -> None:
    path = _jsonl(tmp_path / "bad.jsonl", rows) if rows else tmp_path / "bad.jsonl"
    if not rows:
        path.write_text("")
    proc = _eval(str(path), "--labels", "snli")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and expect in lines[0], lines
