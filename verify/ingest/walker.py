"""Expand the paths a user gave into files to read, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from verify.ingest.decoding import os_reason
from verify.ingest.metadata import SIDECAR_SUFFIX
from verify.types import Refusal


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith(SIDECAR_SUFFIX)


def _walk(
    folder: Path, known: Collection[str], seen: set[tuple[int, int]]
) -> Iterator[Path | Refusal]:
    """Known files under ``folder``, depth first, each folder's entries sorted by name."""
    try:
        st = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Refusal(str(folder), os_reason(err))  # unreadable: say so, keep walking
        return
    if (st.st_dev, st.st_ino) in seen:  # a symlink loop
        return
    seen.add((st.st_dev, st.st_ino))
    for entry in entries:
        if _skipped(entry.name):
            continue
        path = folder / entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, known, seen)
        elif path.suffix.lower() in known:
            yield path


def walk(folder: Path, known: Collection[str]) -> Iterator[Path | Refusal]:
    """The known files under ``folder`` (an empty folder yields nothing: `watch` waits on it)."""
    return _walk(folder, known, set())


def expand(paths: Iterable[str | Path], known: Collection[str]) -> Iterator[Path | Refusal]:
    """Each file given, or the known files under each folder given; a Refusal for the rest.

    Unknown extensions, hidden files and sidecars inside folders are skipped silently; a
    file named explicitly is read (hidden or not) or refused, never skipped.
    """
    kinds = ", ".join(sorted(known))
    for given in paths:
        if str(given) == "":
            yield Refusal("''", "empty path")
            continue
        path = Path(given)
        source = str(given)
        try:
            if path.is_dir():
                found = False
                for item in _walk(path, known, set()):
                    found = found or isinstance(item, Path)
                    yield item
                if not found:
                    yield Refusal(source, f"folder has no article files ({kinds})")
            elif not path.exists():
                yield Refusal(source, "no such file or directory")
            elif path.suffix.lower() not in known:
                kind = f"file type '{path.suffix}'" if path.suffix else "file without extension"
                yield Refusal(source, f"unsupported {kind} (known: {kinds})")
            else:
                yield path
        except OSError as err:
            yield Refusal(source, os_reason(err))
