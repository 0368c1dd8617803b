"""The engine never imports Textual: `verify` must stay usable headless (harlequin's rule)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import importlib, pkgutil, sys
import verify, verify.cli.main, verify.stages.pipeline, verify.store.database, verify.views.listings, verify.report
import verify.claims, verify.ingest, verify.stance, verify.registry.actors, verify.stages.topics, verify.stages.pairs
import verify.stages.embed
failed = []
for mod in pkgutil.walk_packages(verify.__path__, "verify."):
    try:
        importlib.import_module(mod.name)
    except Exception as exc:  # an optional dependency missing must not hide textual
        failed.append(f"{mod.name}: {exc!r}")
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, f"textual imported by the engine: {loaded[:5]}"
assert not failed, failed
print("ok", len([m for m in sys.modules if m.startswith("verify")]))
"""


def test_engine_never_imports_textual() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("ok")
