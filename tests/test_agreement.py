"""Inter-annotator agreement (verify/analysts/agreement.py) and `counterclaim agreement [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples.board import SampleIds, build_seed_db
from sklearn.metrics import cohen_kappa_score

from verify.analysts.agreement import agreement, cohen_kappa, krippendorff_alpha
from verify.analysts.settle import settle
from verify.cli.main import main
from verify.store.database import Store


def test_krippendorff_alpha_matches_the_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units,
    # missing values; nominal alpha 0.743.
    coders = {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
    units = [{c: v.split()[i] for c, v in coders.items() if v.split()[i] != "."} for i in range(12)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_cohen_kappa_matches_sklearn_and_undefined_is_none() -> None:
    a = "contradiction agreement contradiction neutral agreement neutral".split()
    b = "contradiction agreement agreement neutral agreement contradiction".split()
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert cohen_kappa(["neutral"] * 3, ["neutral"] * 3) is None  # no variation: not measurable
    assert krippendorff_alpha([{"x": "a"}, {"y": "b"}]) is None  # nothing pairable


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path)


def test_agreement_on_the_store_counts_only_latest_ordinary_tags(seed_db) -> None:
    path, ids = seed_db
    store = Store(path)
    try:
        # bob and carol share one pair in the sample and disagree on it; give them two more
        p1, p2 = ids.pair("s13", "s20"), ids.pair("s13", "s26")
        for pid, label in ((p1, "contradiction"), (p2, "contradiction")):
            store.add_tag(pid, label, "bob")
            store.add_tag(pid, label, "carol")
        store.add_tag(p2, "neutral", "carol")  # carol changed her mind: her latest counts
        settle(store, ids.pair("s20", "s26"), "agreement", "rita", ("rita",))  # not a vote
        result = agreement(store.tags())
    finally:
        store.close()
    assert result["method"] == "cohen_kappa"
    assert result["analysts"] == {"bob": 4, "carol": 4}
    assert result["shared_pairs"] == 3 and result["disagreements"] == 2
    bob = ["agreement", "contradiction", "contradiction"]
    carol = ["contradiction", "contradiction", "neutral"]
    assert result["overall"] == pytest.approx(cohen_kappa_score(bob, carol))
    contra = cohen_kappa_score(
        [x == "contradiction" for x in bob], [x == "contradiction" for x in carol]
    )
    assert result["per_label"]["contradiction"] == pytest.approx(contra)


def test_three_analysts_use_alpha(seed_db) -> None:
    path, ids = seed_db
    store = Store(path)
    store.add_tag(ids.pair("s20", "s26"), "agreement", "dan")
    result = agreement(store.tags())
    store.close()
    assert result["method"] == "krippendorff_alpha"
    assert len(result["pairwise"]) == 3


def test_cli_agreement_json_and_text(seed_db, capsys) -> None:
    path, _ = seed_db
    assert main(["agreement", "--json", "--db", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["analysts"] == {"bob": 2, "carol": 2}
    assert set(result["per_label"]) == {"contradiction", "agreement", "neutral", "unrelated"}
    assert main(["agreement", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Cohen's kappa" in out and "bob / carol: 1 shared, 0 agreed" in out
