"""Progress of long stages: a tqdm bar (count, rate, time left) on a terminal, nothing otherwise.

Quiet when stderr is not a terminal (pipes, files) or ``$CI`` is set, so logs and CI output hold
only the stage summaries the pipeline writes itself."""

from __future__ import annotations

import os
import sys
from typing import Any


class _Quiet:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(desc: str, total: int | None = None, unit: str = "it") -> Any:  # noqa: ANN401
    """A context manager with ``update(n)``: a bar on a terminal, a no-op elsewhere."""
    if not interactive():
        return _Quiet()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True, file=sys.stderr)
