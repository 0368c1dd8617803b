"""Progress of long stages: a tqdm bar (count, rate, time left) on a terminal, nothing otherwise.

Quiet when stderr is not a terminal (pipes, files) or ``$CI`` is set (``Settings.progress``), so
logs and CI output hold only the stage summaries the pipeline writes itself."""

from __future__ import annotations

import sys
from typing import Any

from verify.settings import resolve


class _Quiet:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def progress(
    desc: str, total: int | None = None, unit: str = "it", enabled: bool | None = None
) -> Any:
    """A context manager with ``update(n)``: a bar when ``enabled`` (default: the environment's
    ``Settings.progress``, a terminal outside CI), a no-op otherwise."""
    if not (resolve(None).progress if enabled is None else enabled):
        return _Quiet()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True, file=sys.stderr)
