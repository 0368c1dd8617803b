"""Every environment variable the engine honours, resolved into one frozen ``Settings``.

An entry point (``counterclaim``'s ``main``, the training and evaluation ``__main__``s, the bench
scripts) builds it once with ``Settings.from_env()`` and passes it, or the paths it holds, down.
Library functions take an optional ``settings``; called without one (tests, the board, a notebook)
they resolve the process environment as it is at that call through ``resolve``. This module is
the only one under ``verify/`` that reads ``os.environ`` (``verify.offline`` writes the hub flags;
tests/test_settings.py checks both).

    COUNTERCLAIM_MODELS   shipped models            (default: <repo>/models)
    COUNTERCLAIM_CACHE    derived files: embedded datasets, ONNX graphs, public features
                          (default: $XDG_CACHE_HOME/counterclaim, else ~/.cache/counterclaim)
    XDG_CONFIG_HOME       the analyst config folder (default: ~/.config) + /counterclaim
    COUNTERCLAIM_DATA     public training and evaluation data (default: <repo>/../shared/data)
    COUNTERCLAIM_DB       the SQLite store          (default: ./counterclaim.db)
    COUNTERCLAIM_STANCE   stance model kind: cross (default) or sklearn
    COUNTERCLAIM_STANCE_BACKEND   cross-encoder inference: onnx (default: the fp32 graph),
                          torch, or onnx-int8 (the engine's gated reader on the int8 graph,
                          1.5x the reads per second, for large corpora; the rest on fp32)
    COUNTERCLAIM_SCREEN   0: the cross-encoder reads every pair, not only those the
                          relatedness screen lets through (default: 1; for benches)
    COUNTERCLAIM_EXTRACT_PROCESSES   worker processes extracting claims (default: the
                          machine's cores, at most 4; 1: in the running process only)
    COUNTERCLAIM_ANALYST, USER    who tags, after the --analyst flag
    CI                    set: no progress bars (nor when stderr is not a terminal)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = "counterclaim.db"
BACKENDS = ("onnx", "torch")
#: The gated reader on the int8 graph (``onnx_backend.quantize``); ``onnx`` everywhere else.
#: Not the default: on the disputes benches it moved AP by +0.02 (dev) and -0.02 (test) but
#: took precision at 20 from 0.80 / 0.90 to 0.70 / 0.75 (README, "Speed").
INT8 = "onnx-int8"
BACKEND_ENV = "COUNTERCLAIM_STANCE_BACKEND"


@dataclass(frozen=True)
class Settings:
    models_dir: Path
    cache_dir: Path
    config_dir: Path  # holds config.toml
    data_dir: Path
    db_path: str
    #: What was asked for; ``stance.loading.default_kind`` falls back to sklearn when the
    #: cross-encoder's weights are absent.
    stance_kind: str = "cross"
    #: As asked, lower-cased, "" when unset; ``cross_encoder.default_backend`` names a bad value.
    stance_backend: str = ""
    progress: bool = False  # tqdm bars on stderr
    screen: bool = True  # the relatedness screen decides what the cross-encoder reads
    analyst: str = ""  # $COUNTERCLAIM_ANALYST
    extract_processes: int = 1  # worker processes extracting claims (``backends.processes``)

    @property
    def quantized(self) -> bool:
        """The engine's gated reader runs on the int8 graph (``INT8`` asked for)."""
        return self.stance_backend == INT8

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, stderr: TextIO | None = None
    ) -> Settings:
        """Resolve ``environ`` (default: ``os.environ`` now); ``stderr`` decides progress bars."""
        env = os.environ if environ is None else environ
        stream = sys.stderr if stderr is None else stderr
        home = Path(env.get("HOME") or Path.home())
        xdg_cache = env.get("XDG_CACHE_HOME")
        cache = env.get("COUNTERCLAIM_CACHE") or (
            (Path(xdg_cache) if xdg_cache else home / ".cache") / "counterclaim"
        )
        config = env.get("XDG_CONFIG_HOME") or home / ".config"
        try:
            tty = bool(stream.isatty())
        except (AttributeError, ValueError):  # a closed or stand-in stream
            tty = False
        return cls(
            models_dir=Path(env.get("COUNTERCLAIM_MODELS") or REPO / "models"),
            cache_dir=Path(cache),
            config_dir=Path(config) / "counterclaim",
            data_dir=Path(env.get("COUNTERCLAIM_DATA") or REPO.parent / "shared" / "data"),
            db_path=env.get("COUNTERCLAIM_DB", DEFAULT_DB),
            stance_kind=env.get("COUNTERCLAIM_STANCE", "cross"),
            stance_backend=env.get(BACKEND_ENV, "").strip().lower(),
            progress=tty and not env.get("CI"),
            screen=env.get("COUNTERCLAIM_SCREEN", "1").strip() != "0",
            analyst=env.get("COUNTERCLAIM_ANALYST", ""),
            extract_processes=_processes(env.get("COUNTERCLAIM_EXTRACT_PROCESSES", "")),
        )


def _processes(value: str) -> int:
    """Extraction processes: ``value`` when a positive number, else the cores (at most 4:
    past that the store's single writer and the later stages gain nothing)."""
    try:
        return max(1, int(value))
    except ValueError:
        return max(1, min(4, os.cpu_count() or 1))


def resolve(settings: Settings | None) -> Settings:
    """``settings`` as given, else the environment as it is now (for callers below no entry
    point: tests, the board, library use)."""
    return settings if settings is not None else Settings.from_env()
