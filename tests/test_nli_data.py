"""The NLI / claim-verification sets as stance records: label maps, orientation, grouping,
synthetic unrelated pairs, and the training mix flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify.labels import (
    AGREEMENT,
    CONTRADICTION,
    NEUTRAL,
    NLI_MAPS,
    STANCE_LABELS,
    UNRELATED,
)
from verify.stance.training.data import split_role
from verify.stance.training.mix import MIX_V2, MIX_V3, without_noncommercial
from verify.stance.training.nli import NONCOMMERCIAL, load_nli, orient

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_data = pytest.mark.skipif(not (DATA / "nli").exists(), reason=f"NLI data not at {DATA}/nli")


def test_label_maps_are_explicit_and_reach_only_stance_labels() -> None:
    assert NLI_MAPS["snli"] == {
        "entailment": AGREEMENT,
        "contradiction": CONTRADICTION,
        "neutral": NEUTRAL,
    }
    assert NLI_MAPS["anli"] == {"e": AGREEMENT, "c": CONTRADICTION, "n": NEUTRAL}
    assert NLI_MAPS["perspectrum"] == {"SUPPORT": AGREEMENT, "UNDERMINE": CONTRADICTION}
    assert NLI_MAPS["covidfact"] == {"SUPPORTED": AGREEMENT, "REFUTED": CONTRADICTION}
    assert NLI_MAPS["climate_fever"]["NOT_ENOUGH_INFO"] == NEUTRAL
    assert NLI_MAPS["climate_fever"]["REFUTES"] == CONTRADICTION
    assert NLI_MAPS["healthver"] == {
        "Supports": AGREEMENT,
        "Refutes": CONTRADICTION,
        "Neutral": NEUTRAL,
    }
    assert "not_entailment" not in NLI_MAPS["rte"]  # not a class we have
    for table in NLI_MAPS.values():
        assert set(table.values()) <= set(STANCE_LABELS) - {UNRELATED}


def test_orientation_puts_the_claim_first() -> None:
    assert orient("snli", "premise text", "hypothesis text") == ("hypothesis text", "premise text")
    assert orient("perspectrum", "debate claim", "perspective") == ("debate claim", "perspective")


def test_noncommercial_flag_removes_exactly_the_nc_sets() -> None:
    for mix in (MIX_V2, MIX_V3):
        free = without_noncommercial(mix)
        assert not set(free) & NONCOMMERCIAL and set(mix) - set(free) == NONCOMMERCIAL & set(mix)
    assert {"anli", "sick", "taxinli"} <= NONCOMMERCIAL


def _write(tmp: Path, name: str, rows: list[dict]) -> None:
    (tmp / "nli" / name).mkdir(parents=True)
    (tmp / "nli" / name / f"{name}.jsonl").write_text("\n".join(json.dumps(r) for r in rows))


def test_groups_join_rows_sharing_a_text_across_sets(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "snli",
        [
            {"premise": "A dog runs.", "hypothesis": "An animal moves.", "label": "entailment"},
            {"premise": "A cat sits.", "hypothesis": "An animal moves.", "label": "neutral"},
        ],
    )
    _write(
        tmp_path,
        "breaking_nli",
        [{"premise": "a dog  runs.", "hypothesis": "A dog sleeps.", "label": "contradiction"}],
    )
    out = load_nli(["snli", "breaking_nli"], tmp_path)
    groups = {r.group for recs in out.values() for r in recs}
    assert len(groups) == 1  # shared hypothesis + the same premise up to case and spacing


def test_unrelated_pairs_come_from_another_topic_in_the_same_split(tmp_path: Path) -> None:
    rows = [
        {
            "premise": f"evidence {i} about topic {i % 7}",
            "hypothesis": f"claim about topic {i % 7}",
            "label": "SUPPORTED" if i % 2 else "REFUTED",
        }
        for i in range(300)
    ]
    _write(tmp_path, "covidfact", rows)
    recs = load_nli(["covidfact"], tmp_path)["covidfact"]
    unrel = [r for r in recs if r.label == UNRELATED]
    assert unrel
    topic_of_evidence = {r["premise"]: r["hypothesis"] for r in rows}
    role = {}
    for r in recs:
        if r.label != UNRELATED:
            role[r.b] = split_role(r.group)
    for r in unrel:
        assert topic_of_evidence[r.b] != r.a  # evidence from another claim's topic
        assert role[r.b] == split_role(r.group)  # and from the same side of the split


def test_unknown_labels_are_left_out_only_where_the_map_says(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "rte",
        [
            {"premise": "p1", "hypothesis": "h1", "label": "entailment"},
            {"premise": "p2", "hypothesis": "h2", "label": "not_entailment"},
        ],
    )
    assert [r.label for r in load_nli(["rte"], tmp_path)["rte"]] == [AGREEMENT]
    with pytest.raises(ValueError, match="unknown NLI sets"):
        load_nli(["nope"], tmp_path)


@needs_data
def test_real_sets_split_cleanly_no_text_on_both_sides() -> None:
    out = load_nli(["snli", "breaking_nli", "perspectrum", "semeval2016_stance"], DATA)
    side: dict[str, str] = {}
    for name, recs in out.items():
        for r in recs:
            role = "test" if split_role(r.group) == "test" else "train"
            for text in (r.b,) if name == "semeval2016_stance" else (r.a, r.b):
                key = " ".join(text.lower().split())
                assert side.setdefault(key, role) == role, (name, text)
    assert any(split_role(r.group) == "test" for r in out["semeval2016_stance"])
