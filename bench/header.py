"""What a bench script prints first: the command that made its figures, and the machine with its
load (figures on a machine shared with other agents mean little without it)."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load() -> str:
    """The one-minute load average, as the figures print it."""
    return f"{os.getloadavg()[0]:.1f}"


def command(options: Mapping[str, object] | None = None) -> str:
    """The command as it can be typed again from the repository: the script and either
    ``options`` (``--name value`` each, defaults included, so a changed default cannot change
    what the line means) or the arguments it was given."""
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(REPO) if script.is_relative_to(REPO) else script
    args = (
        sys.argv[1:]
        if options is None
        else [x for k, v in options.items() for x in (f"--{k.replace('_', '-')}", str(v))]
    )
    return shlex.join(["python", str(shown), *args])


def print_header(options: Mapping[str, object] | None = None) -> None:
    """``command: ...`` and ``machine: ...`` lines (``command`` says what ``options`` is)."""
    print(f"command: {command(options)}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {load()} (shared with "
        f"other agents), Python {platform.python_version()}"
    )
