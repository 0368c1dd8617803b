"""Every file the program writes goes through here: a temporary file in the same folder, fsynced,
then renamed over the target, so a failure (a full disk, a size limit, a kill) leaves the previous
file whole and never a truncated one under the final name. Also the one rule that keeps an output
path off the open database (``refuse_store``)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

#: The files SQLite keeps beside a database; none may be overwritten by an output.
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class OutputIsStore(ValueError):
    """An output path that is the open database (or one of its side files)."""


def _same(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links too
    except OSError:
        return False


def refuse_store(outputs: Iterable[str | os.PathLike[str]], store: str | os.PathLike[str]) -> None:
    """Raise ``OutputIsStore`` if any of ``outputs`` resolves (symlinks, relative parts, hard
    links) to ``store`` or its -wal / -shm / -journal."""
    base = Path(store).expanduser()
    guarded = [base.with_name(base.name + s) for s in STORE_SUFFIXES]
    for out in outputs:
        path = Path(out).expanduser()
        for g in guarded:
            if _same(path, g):
                raise OutputIsStore(f"{out}: is the open database ({g}); refusing to write over it")


def _fsync_dir(folder: Path) -> None:
    """The rename itself survives a power cut once the folder is synced (POSIX; skipped where
    a folder cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """A file opened for writing that becomes ``path`` only when the block ends without error."""
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_open writes whole files, not mode {mode!r}")
    target = Path(path)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # no such folder, not a folder, not writable: name the target
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a report or a model is read by others
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not exc.filename:  # a write to the temp file: name ours
            raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
        raise
    _fsync_dir(target.parent)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    with atomic_open(path, "w") as f:
        f.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    with atomic_open(path, "wb") as f:
        f.write(data)
    return Path(path)
