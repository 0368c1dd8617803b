"""`counterclaim eval fnc1|sick|emergent` on tiny files in the public formats, with the shipped model."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from verify.evaluation.stance import three_way
from verify.labels import LABEL_INDEX, STANCE_LABELS
from verify.stance.training.metrics import fnc_points

KEYS = {"dataset", "n", "accuracy", "macro_f1", "f1", "confusion", "pairs_per_second", "model"}


def _eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verify.cli", "eval", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_fnc_points_follow_the_official_weights() -> None:
    y = np.array([LABEL_INDEX[x] for x in ("agreement", "contradiction", "unrelated", "neutral")])
    pred = np.array([LABEL_INDEX[x] for x in ("agreement", "neutral", "unrelated", "unrelated")])
    # agree right: 1.0; disagree called discuss: 0.25; unrelated right: 0.25; discuss called unrelated: 0
    assert fnc_points(y, pred) == (1.5, 0.25 * 4 + 0.75 * 3)


def test_three_way_folds_unrelated_into_neutral() -> None:
    p = np.array([[0.1, 0.2, 0.3, 0.4]])
    out = three_way(p)
    assert out[0].tolist() == pytest.approx([0.1, 0.2, 0.7, 0.0]) and out.sum() == pytest.approx(
        1.0
    )


@pytest.mark.models
def test_eval_fnc1_format(tmp_path: Path) -> None:
    bodies, stances = tmp_path / "bodies.csv", tmp_path / "stances.csv"
    with bodies.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Body ID", "articleBody"])
        w.writerow(
            ["1", "Officials confirmed the bridge collapsed on Monday.\nRescue teams are on site."]
        )
        w.writerow(["2", "The festival sold a record number of tickets this summer."])
    with stances.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(
            [
                ["Bridge collapses in the city", "1", "agree"],
                ["Bridge collapse report is a hoax", "1", "disagree"],
                ["Bridge collapses in the city", "2", "unrelated"],
            ]
        )
    result = _eval("fnc1", str(bodies), str(stances), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert KEYS | {"relative_score"} <= set(out) and out["dataset"] == "fnc1" and out["n"] == 3
    assert 0 <= out["relative_score"] <= 100 and len(out["confusion"]) == len(STANCE_LABELS)
    assert out["model"].startswith(("cross-", "sklearn-"))
    if out["model"].startswith("cross-"):  # ordered public pairs: the mode dev chose, not the
        from verify.stance.loading import load_default_model  # engine's symmetric reading

        assert out["model"] == load_default_model(symmetric=None).version
        assert out["model"] != load_default_model().version


@pytest.mark.models
def test_eval_sick_and_emergent_formats(tmp_path: Path) -> None:
    sick = tmp_path / "SICK.txt"
    sick.write_text(
        "pair_ID\tsentence_A\tsentence_B\tentailment_label\n"
        "1\tA man is playing a guitar\tA man is not playing a guitar\tCONTRADICTION\n"
        "2\tA dog runs in the park\tAn animal runs in the park\tENTAILMENT\n"
        "3\tA woman is cooking\tA woman is cooking pasta in a kitchen\tNEUTRAL\n"
    )
    out = json.loads(_eval("sick", str(sick), "--json").stdout)
    assert KEYS <= set(out) and out["n"] == 3 and "relative_score" not in out
    assert out["confusion"][LABEL_INDEX["unrelated"]] == [0, 0, 0, 0]  # 3-way readout
    emergent = tmp_path / "emergent.csv"
    emergent.write_text(
        ",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
        "0,Apple will sell 19 million watches,Apple to sell 19M watches,for,a1,c1\n"
        "1,Apple will sell 19 million watches,Report of 19M watch sales is false,against,a2,c1\n"
    )
    out = json.loads(_eval("emergent", str(emergent), "--json").stdout)
    assert out["dataset"] == "emergent" and out["n"] == 2


def test_unreadable_file_is_one_clear_line(tmp_path: Path) -> None:
    result = _eval("sick", str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and "missing.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
