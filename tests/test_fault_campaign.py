"""A seeded sample of bench/fault_campaign.py: the real CLI in subprocesses, on a copy of the
seed store holding analyst records of every kind. No traceback, no raw control character, no
silent nonzero exit, no hang, no analyst record lost.

The sample draws from the deterministic kinds (hostile text, registries, store faults, paths);
signals (where a signal lands depends on the machine's speed) and Ray addresses (a cluster per
case) run in the full campaign, ``python bench/fault_campaign.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CI_KINDS = ("hostile", "registry", "store", "paths")
PER_KIND = 6


def _campaign():
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location(
        "fault_campaign", REPO / "bench" / "fault_campaign.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fault_campaign"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_seeded_sample_of_the_fault_campaign_passes(seed_db: Path) -> None:
    campaign = _campaign()
    every = campaign.all_cases(seed=19)
    assert len(every) >= 300 and {c.kind for c in every} == {
        "store",
        "signals",
        "hostile",
        "paths",
        "registry",
        "ray",
    }
    # Commands that load no model keep the sample fast; the others stay in the full campaign.
    quick = [c for c in every if c.argv[0] not in ("run", "propose", "train")]
    cases = [c for kind in CI_KINDS for c in campaign.pick(quick, PER_KIND, 19, {kind})]
    lines: list[str] = []
    outcomes, totals = campaign.run_campaign(cases, seed_db, echo=lines.append)
    assert totals["tried"] == len(CI_KINDS) * PER_KIND
    assert (totals["failures"], totals["lost"]) == (0, 0), "\n".join(lines)
    # The cases did reach the store: the base's analyst records were there to lose.
    assert all(not o.failures for o in outcomes)


def test_the_campaign_judges_what_it_should() -> None:
    campaign = _campaign()
    assert campaign.judge("x", 0, b"ok\n", b"") == []
    assert campaign.judge("x", 0, b"\x1b[31m\n", b"")[0].startswith("x: raw U+001B")
    assert campaign.judge("x", 0, b"", "\u202e".encode())  # stderr counts too
    assert "exit 1 without a message" in campaign.judge("x", 1, b"", b"")[0]
    assert "traceback" in campaign.judge("x", 1, b"", b"Traceback (most recent call last):\nE")[0]
    assert "hang" in campaign.judge("x", None, b"", b"")[0]
