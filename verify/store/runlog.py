"""Run bookkeeping: each row of ``runs`` says whether its run finished, is still going, or was
interrupted (killed, crashed, stopped with Ctrl-C or SIGTERM) before it could finish.

A killed process cannot mark its own run, so every new run first marks the open runs whose
process is gone. Runs on one store do not overlap: a run that finds another one alive refuses
to start (``RunInProgress``) before it writes anything; the check and its own row are one
transaction, so of two started at once exactly one goes on. A run is owned by ``host:pid``; an
open run of another host is left alone (its process cannot be checked from here). What an
interrupted run stored is kept: articles are stored one transaction each, and the next run reads
the rest again.

A part of the store: ``verify.store.database.Store`` calls these with its own connection; nothing else
holds one.
"""

from __future__ import annotations

import os
import socket
import sqlite3

from verify.types import now

RUNNING, FINISHED, INTERRUPTED = "running", "finished", "interrupted"


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(run_owner: str | None) -> bool:
    host, _, pid = (run_owner or "").rpartition(":")
    if not pid.isdigit():
        return False  # a run from before owners were recorded, left open: long gone
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, under another user
    return True


class RunInProgress(Exception):
    """Another run on this store is alive; this one did not start."""


def mark_interrupted(db: sqlite3.Connection) -> list[int]:
    """Mark open runs whose process is gone as interrupted; their ids."""
    rows = db.execute(
        f"SELECT id, owner FROM runs WHERE finished_at IS NULL"
        f" AND COALESCE(status, '{RUNNING}') = '{RUNNING}'"
    ).fetchall()
    gone = [int(r[0]) for r in rows if not _alive(r[1])]
    db.executemany(f"UPDATE runs SET status = '{INTERRUPTED}' WHERE id = ?", [(i,) for i in gone])
    return gone


def interrupt_own(db: sqlite3.Connection) -> int:
    """Mark this process's open runs as interrupted (it is stopping); how many."""
    cur = db.execute(
        f"UPDATE runs SET status = '{INTERRUPTED}'"
        f" WHERE finished_at IS NULL AND owner = ? AND status = '{RUNNING}'",
        (owner(),),
    )
    return cur.rowcount


class RunRows:
    """The runs' methods of ``verify.store.database.Store`` (mixed in; ``db`` is the store's connection)."""

    db: sqlite3.Connection

    def start_run(self) -> int:
        """A new run, owned by this process; first the open runs of killed processes are marked.
        Raises ``RunInProgress`` when one of another live process is open."""
        self.db.execute("BEGIN IMMEDIATE")  # the check and the new row: one writer at a time
        try:
            mark_interrupted(self.db)
            busy = self.db.execute(
                f"SELECT id, owner FROM runs WHERE finished_at IS NULL AND status = '{RUNNING}'"
                " AND owner != ? ORDER BY id LIMIT 1",
                (owner(),),
            ).fetchone()
            if busy is not None:
                raise RunInProgress(
                    f"run {busy[0]} ({busy[1]}) is still going on this store; "
                    "try again when it finishes"
                )
            cur = self.db.execute(
                "INSERT INTO runs(started_at, status, owner) VALUES (?, ?, ?)",
                (now(), RUNNING, owner()),
            )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, **counts: int) -> None:
        cols = "".join(f", {k}=?" for k in counts)  # column names from the pipeline, not input
        self.db.execute(
            f"UPDATE runs SET finished_at=?, status=?{cols} WHERE id=?",
            (now(), FINISHED, *counts.values(), run_id),
        )

    def interrupt_own(self) -> int:
        """This process is stopping: its open runs are marked interrupted (``runlog``)."""
        return interrupt_own(self.db)

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id").fetchall()
