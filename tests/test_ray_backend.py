"""`counterclaim run --ray` on a real Ray cluster started here (`ray start --head`, two CPUs): the
same claims, topics, pairs and pair labels as the local path on the seeds, a killed run that the
next one completes, and an unreachable address refused before the store is touched."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SEEDS

from verify.backends.ray_backend import (
    CLIENT_PORT,
    DEFAULT_PORT,
    RayUnreachable,
    check_reachable,
    host_port,
)
from verify.cli.faults import EXIT_BACKEND
from verify.stance.loading import default_model_path

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(not default_model_path().is_dir(), reason="no shipped stance model"),
]

RAY = [sys.executable, "-c", "from ray.scripts.scripts import main; main()"]
AGENT_PORTS = (
    "--dashboard-agent-listen-port",
    "--dashboard-agent-grpc-port",
    "--runtime-env-agent-port",
    "--metrics-export-port",
)
PROB_TOL = 1e-4  # the same model on the same text; only batching (padding) may differ


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (Ray's workers leave its process group)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A one-node cluster of this machine, on free ports, stopped by process id afterwards."""
    temp = Path(tempfile.mkdtemp(prefix="ccray-", dir="/tmp"))  # Ray's socket paths must be short
    port = free_port()
    # Free ports for the agents too: another cluster on this machine may hold the defaults.
    ports = [f"{flag}={free_port()}" for flag in AGENT_PORTS]
    env = {**os.environ, "RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S": "0"}  # stop at once, not in 30 s
    log = temp / "start.log"
    with open(log, "w") as out:
        head = subprocess.Popen(
            [
                *RAY,
                "start",
                "--head",
                f"--port={port}",
                "--num-cpus=2",
                "--include-dashboard=false",
                "--disable-usage-stats",
                f"--temp-dir={temp}",
                *ports,
                "--block",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while "Ray runtime started" not in log.read_text():
            if head.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ray start failed:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        below = _descendants(head.pid)
        head.terminate()
        try:
            head.wait(60)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait()
        time.sleep(2)  # workers exit once their raylet is gone; any that did not are killed
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(temp, ignore_errors=True)


def _run(db: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db), *extra],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def snapshot(db: Path) -> dict:
    """What a run computed, keyed by article hash and claim position, not by row ids."""
    con = sqlite3.connect(db)
    try:
        key = {
            cid: (h, idx)
            for cid, h, idx in con.execute(
                "SELECT c.id, a.hash, c.idx FROM claims c JOIN articles a ON a.id = c.article_id"
            )
        }
        claims = {
            key[r[0]]: r[1:]
            for r in con.execute(
                'SELECT id, sentence, text, speaker, cue, relay, start, "end", actor, side FROM claims'
            )
        }
        members: dict[int, set] = {}
        for cid, topic in con.execute("SELECT id, topic_id FROM claims"):
            members.setdefault(topic, set()).add(key[cid])
        titles = dict(con.execute("SELECT id, title FROM topics"))
        model = con.execute("SELECT value FROM meta WHERE key = 'stance_model'").fetchone()[0]
        pairs = {
            (key[a], key[b]): np.array(p)
            for a, b, *p in con.execute(
                "SELECT a_id, b_id, p_contradiction, p_agreement, p_neutral, p_unrelated FROM pairs"
                " JOIN suggestions ON pair_id = pairs.id AND model = ?",
                (model,),
            )
        }
        n_pairs = con.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
        stances = {
            (text, key[c]): np.array(p)
            for text, c, *p in con.execute(
                "SELECT p.text, s.claim_id, p_refutes, p_supports, p_discusses, p_unrelated"
                " FROM proposition_suggestions s JOIN propositions p ON p.id = s.proposition_id"
                " WHERE s.model = ? AND p.retired_at IS NULL",
                (model,),
            )
        }
    finally:
        con.close()
    topics = {frozenset(m): titles.get(t) for t, m in members.items()}
    return {
        "claims": claims,
        "topics": topics,
        "model": model,
        "pairs": pairs,
        "n_pairs": n_pairs,
        "stances": stances,
    }


def assert_same(local: dict, remote: dict) -> None:
    assert remote["claims"] == local["claims"]  # texts, speakers, cues, relays, spans, actors
    assert remote["topics"] == local["topics"]  # memberships and titles
    assert remote["model"] == local["model"]  # scores stored under the same key
    assert remote["n_pairs"] == len(remote["pairs"]) and local["n_pairs"] == len(local["pairs"])
    for name in ("pairs", "stances"):
        mine, theirs = local[name], remote[name]
        assert set(theirs) == set(mine) and mine, name
        labels = {k: int(np.argmax(v)) for k, v in mine.items()}
        assert {k: int(np.argmax(v)) for k, v in theirs.items()} == labels, name
        assert max(float(np.abs(theirs[k] - mine[k]).max()) for k in mine) < PROB_TOL, name


def _copy(db: Path, to: Path) -> Path:
    """A copy through SQLite's backup: a run's last writes may still be in its WAL file."""
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()
    return to


@pytest.fixture(scope="module")
def ray_db(ray_address: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds run through the cluster by the command line."""
    db = tmp_path_factory.mktemp("raydb") / "ray.db"
    proc = _run(db, "--ray", ray_address)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    assert "ingested " in err and "2 articles added" in err
    return db


def test_ray_run_gives_the_local_outputs(seed_db: Path, ray_db: Path) -> None:
    assert_same(snapshot(seed_db), snapshot(ray_db))


def test_ray_and_local_runs_take_turns_on_one_store(
    ray_db: Path, ray_address: str, tmp_path: Path
) -> None:
    """A re-run finds nothing new either way: the same keys for articles, embeddings, scores."""
    db = _copy(ray_db, tmp_path / "again.db")
    for extra in (["--ray", ray_address], []):
        proc = _run(db, *extra)
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        assert "nothing new" in err and "0 embedded, 0 pairs scored" in err, extra


def test_retrained_head_on_the_driver_only_scores_on_the_workers(
    seed_db: Path, ray_db: Path, ray_address: str, tmp_path: Path
) -> None:
    """A head `counterclaim train` wrote here (the linear head stands in for one) is sent to
    the workers, which score with it under its own version, as the local path does."""
    head = shutil.copytree(REPO / "models" / "stance-sklearn", tmp_path / "retrained")
    local, remote = shutil.copy(seed_db, tmp_path / "local.db"), _copy(ray_db, tmp_path / "r.db")
    for db in (local, remote):
        con = sqlite3.connect(db)
        con.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('stance_model_dir', ?)", (str(head),)
        )
        con.commit()
        con.close()
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    store = Store(local)
    Pipeline(store, log=lambda _m: None).run([SEEDS])
    store.close()
    proc = _run(remote, "--ray", ray_address)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    mine, theirs = snapshot(local), snapshot(remote)
    assert mine["model"].startswith("sklearn-")
    assert_same(mine, theirs)


def test_killed_ray_run_is_completed_by_the_next(
    seed_db: Path, ray_address: str, tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    proc = _run(db, "--ray", ray_address)
    assert proc.stderr is not None
    for line in proc.stderr:  # mid-refresh: claims, topics and propositions stored, pairs not
        if "claim-proposition stances" in line:
            break
    proc.kill()
    proc.wait()
    con = sqlite3.connect(db)
    pending = con.execute("SELECT value FROM meta WHERE key = 'refresh_pending'").fetchone()
    con.close()
    assert pending == ("1",)
    again = _run(db, "--ray", ray_address)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-3000:]
    assert_same(snapshot(seed_db), snapshot(db))


def test_workers_with_other_models_stop_the_run_in_one_line(
    ray_address: str, tmp_path: Path
) -> None:
    """Here a stance model the workers lack (its decision layer changed): the run stops when it
    first scores, is marked interrupted, and keeps the claims it stored for the next run."""
    models, shipped = tmp_path / "models", REPO / "models"
    (models / "stance-cross").mkdir(parents=True)
    for sub in shipped.iterdir():  # links to the shipped files, but for one
        if sub.name != "stance-cross":
            (models / sub.name).symlink_to(sub)
    cross = models / "stance-cross"
    for f in (shipped / "stance-cross").iterdir():
        if f.name != "stance.json":
            (cross / f.name).symlink_to(f)
    cfg = json.loads((shipped / "stance-cross" / "stance.json").read_text())
    (cross / "stance.json").write_text(json.dumps(cfg | {"temperatures": {}, "temperature": 1.7}))
    db = tmp_path / "other.db"
    proc = _run(db, "--ray", ray_address, env={**os.environ, "COUNTERCLAIM_MODELS": str(models)})
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == EXIT_BACKEND, err[-3000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"counterclaim: Ray score job at {ray_address} failed: ModelMismatch: ")
    assert last.endswith(
        "every machine needs the same counterclaim models; what the run stored is kept"
    )
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM claims").fetchone()[0] > 0
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    finally:
        con.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("address", ["127.0.0.1:{free}", "no-such-host.invalid:6379"])
def test_unreachable_address_is_one_line_and_writes_nothing(address: str, tmp_path: Path) -> None:
    address = address.format(free=free_port())  # a port nothing listens on
    new = tmp_path / "new" / "s.db"
    new.parent.mkdir()
    proc = _run(new, "--ray", address)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_BACKEND
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"counterclaim: cannot reach Ray at {address}: ")
    assert not any(new.parent.iterdir())  # no database created
    from verify.store.database import Store

    old = tmp_path / "old" / "s.db"
    old.parent.mkdir()
    Store(old).close()
    before = _files(old.parent)
    proc = _run(old, "--ray", address)
    proc.communicate(timeout=120)
    assert proc.returncode == EXIT_BACKEND
    assert _files(old.parent) == before  # not opened: no run recorded, no journal left


def test_the_head_is_known_to_be_ray_in_seconds(ray_address: str) -> None:
    check_reachable(ray_address)  # the real GCS answers the gRPC (HTTP/2) hello


def test_an_address_that_is_not_ray_or_not_an_address_is_one_line_in_seconds(
    tmp_path: Path,
) -> None:
    silent = socket.socket()  # listens, accepts, never answers: Ray would retry it for minutes
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    talker = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(web := free_port())],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", web), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cases = {
            f"127.0.0.1:{silent.getsockname()[1]}": "no answer in",
            f"127.0.0.1:{web}": "not Ray",
            "host[1:6379": "not an address",
        }
        for address, reason in cases.items():
            db = tmp_path / "s.db"
            t0 = time.monotonic()
            proc = _run(db, "--ray", address)
            _, err = proc.communicate(timeout=120)
            assert time.monotonic() - t0 < 60  # seconds, not Ray's minutes of retries
            assert proc.returncode == EXIT_BACKEND, err
            lines = err.strip().splitlines()
            assert (
                len(lines) == 1
                and lines[0].startswith(f"counterclaim: cannot reach Ray at {address}: ")
                and reason in lines[0]
            ), err
            assert not db.exists()
    finally:
        talker.terminate()
        talker.wait()
        silent.close()


def test_addresses() -> None:
    assert host_port("10.0.0.5:7000") == ("10.0.0.5", 7000)
    assert host_port("head") == ("head", DEFAULT_PORT)
    assert host_port("ray://head") == ("head", CLIENT_PORT)
    assert host_port("[::1]:6380") == ("::1", 6380)
    assert host_port("auto") is None
    with pytest.raises(RayUnreachable, match="bad port"):
        host_port("head:port")
    with pytest.raises(RayUnreachable, match="no host"):
        host_port(":6379")
    with pytest.raises(RayUnreachable, match="not an address"):
        host_port("host[1:6379")
