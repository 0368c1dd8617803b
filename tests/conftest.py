"""Shared fixtures. Models are real (offline); databases are real SQLite files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _gold_dir() -> Path:
    """The shared gold labels (read-only, beside the repo); a copy under tests/gold otherwise."""
    for candidate in (REPO.parent / "shared" / "gold", REPO / "tests" / "gold"):
        if (candidate / "seeds_claims.jsonl").exists():
            return candidate
    raise FileNotFoundError("seed gold labels not found")


def load_gold(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (_gold_dir() / name).read_text().splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built by the real pipeline from seeds/ (built once per test session)."""
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    path = tmp_path_factory.mktemp("seeddb") / "seeds.db"
    store = Store(path)
    Pipeline(store, log=lambda _m: None).run([SEEDS])
    store.close()
    return path
