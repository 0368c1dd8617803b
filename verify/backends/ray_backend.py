"""The Ray backend: claim extraction, embedding and stance scoring as Ray Data jobs on a cluster.

This process is the driver: it reads the input, writes the store (SQLite, on this machine only)
and sends each batch the pipeline would compute here to the cluster as one job, whose rows carry
their index so the results come back in input order, equal to the local path's. Workers build
the models from their own installed files (``ray_tasks``) and run offline, on few threads.

Jobs map plain functions (Ray tasks), not callable classes: a class gets a fresh actor pool in
every job, so each of the pipeline's many small jobs (one per committed batch) would load torch,
spaCy and the models again (~20 s a job on a 2-core box); task workers outlive a job and keep
their models loaded, so a warm job costs about a second.
"""

from __future__ import annotations

import logging
import math
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from verify.backends import BackendError, ray_tasks
from verify.labels import STANCE_LABELS
from verify.settings import BACKEND_ENV, Settings
from verify.stages.embed import DIM, MODEL_NAME
from verify.stance.base import StanceModel, StancePairs
from verify.types import Claim

DEFAULT_PORT = 6379  # `ray start --head`'s
CLIENT_PORT = 10001  # a ray:// (Ray Client) address's
CONNECT_TIMEOUT_S = 5.0
SHIP_LIMIT = 16 << 20  # a retrained head's files travel to the workers below this size


class RayUnreachable(Exception):
    """No cluster at the address: ``str()`` is the one-line reason."""


def _reason(err: BaseException) -> str:
    """``Type: first line`` of the worker's own error where Ray wrapped one, else of ``err``."""
    link: BaseException | None = err
    while link is not None:
        cause = getattr(link, "cause", None)  # a RayTaskError holds the task's error here
        if isinstance(cause, BaseException):
            err = cause
            break
        link = link.__cause__
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else ''}".rstrip(": ")


#: ``--ray local``: the cluster running on this machine, or a throwaway one started for the run.
LOCAL = "local"


def host_port(address: str) -> tuple[str, int] | None:
    """Where a ``HOST[:PORT]`` or ``ray://HOST[:PORT]`` address listens; None for ``auto``."""
    if address in ("auto", LOCAL):
        return None
    client = address.startswith("ray://")
    try:
        parts = urlsplit("//" + address.removeprefix("ray://"))
    except ValueError as err:  # e.g. an unbalanced "[": urlsplit reads it as an IPv6 literal
        raise RayUnreachable(
            f"not an address ({err}; expected HOST:PORT, ray://HOST:PORT or auto)"
        ) from None
    try:
        port = parts.port
    except ValueError as err:
        raise RayUnreachable(f"bad port ({err})") from None
    if not parts.hostname:
        raise RayUnreachable("no host (expected HOST:PORT, ray://HOST:PORT or auto)")
    return parts.hostname, port or (CLIENT_PORT if client else DEFAULT_PORT)


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """A TCP connection to the head, in seconds: Ray itself retries an address for minutes."""
    where = host_port(address)
    if where is None:
        return
    try:
        with socket.create_connection(where, timeout=timeout) as conn:
            conn.settimeout(timeout)
            answer = _http2_hello(conn)
    except TimeoutError:
        raise RayUnreachable(f"no answer in {timeout:g} s") from None
    except OSError as err:
        raise RayUnreachable((err.strerror or str(err)).lower()) from None
    if answer is None:  # Ray would retry this address for minutes before giving up
        raise RayUnreachable("something answers there, but not Ray (no gRPC)")


#: An HTTP/2 client preface and an empty SETTINGS frame: a gRPC server (Ray's GCS and its
#: client server) answers with its own SETTINGS frame, anything else with something else.
_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def _http2_hello(conn: socket.socket) -> bytes | None:
    """The server's first frame header if it speaks HTTP/2 (a SETTINGS frame), else None."""
    conn.sendall(_PREFACE)
    head = b""
    while len(head) < 9:
        chunk = conn.recv(9 - len(head))
        if not chunk:
            return None  # closed on us
        head += chunk
    return head if head[3] == 4 else None  # frame type 4: SETTINGS


def connect(address: str, settings: Settings | None = None, threads: int = 1) -> RayBackend:
    """Join the cluster at ``address`` as its driver, or raise RayUnreachable (nothing else done).

    ``settings``: the driver's; the ones that change which model scores, or how, reach the workers;
    ``threads``: CPU threads per worker task (each task takes one Ray CPU)."""
    check_reachable(address)
    try:
        import ray
    except ImportError as err:
        raise RayUnreachable(f"ray is not installed ({err})") from None
    env = {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
    }
    if settings is not None:
        env["COUNTERCLAIM_STANCE"] = settings.stance_kind
        if settings.stance_backend:
            env[BACKEND_ENV] = settings.stance_backend
    if ray.is_initialized():  # another cluster, or another runtime environment
        ray.shutdown()
    common: dict[str, Any] = {
        "logging_level": logging.WARNING,
        "log_to_driver": False,
        "runtime_env": {"env_vars": env},
    }
    try:
        if address == LOCAL:  # the cluster running on this machine, else a throwaway one
            try:
                ray.init(address="auto", **common)
            except ConnectionError:
                ray.init(include_dashboard=False, **common)  # ends with this process
        else:
            ray.init(address=address, **common)
        cpus = int(ray.cluster_resources().get("CPU", 1))
    except Exception as err:  # Ray raises ConnectionError, RuntimeError, ...
        raise RayUnreachable(_reason(err)) from None
    _configure_ray_data()
    return RayBackend(address, cpus)


def _configure_ray_data() -> None:
    """Ray Data logs every job on the terminal; the pipeline reports each stage itself, and a
    failed job as one line (the session's ``logs/ray-data.log`` keeps Ray Data's own lines),
    naming the worker's own error rather than Ray Data's wrapper of it."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.raise_original_map_exception = True
    for handler in logging.getLogger("ray.data").handlers:
        if type(handler).__name__ != "SessionFileHandler":
            handler.setLevel(logging.CRITICAL)


class RayBackend:
    """The three batch maps on a Ray cluster joined by ``connect``; ``close`` leaves it."""

    # Per task: spaCy parses a few articles together; MiniLM and the cross-encoder take more.
    per_task = {"extract": 4, "embed": 256, "score": 128}

    def __init__(self, address: str, cpus: int) -> None:
        self.address, self.cpus = address, max(1, cpus)
        # A batch per commit that keeps every CPU of the cluster busy.
        self.batch_articles = max(32, 4 * self.per_task["extract"] * self.cpus)
        self.batch_pairs = max(1024, 2 * self.per_task["score"] * self.cpus)

    def close(self) -> None:
        import ray

        ray.shutdown()

    def run(
        self,
        stage: str,
        fn: Callable[..., Any],
        columns: dict[str, Sequence[Any]],
        **fn_kwargs: Any,
    ) -> list[dict[str, Any]]:
        """One Ray Data job: ``fn`` over the rows of ``columns``, rows returned in input order."""
        import ray

        n = len(next(iter(columns.values())))
        size = self.per_task[stage]
        rows = [{"i": i, **{k: v[i] for k, v in columns.items()}} for i in range(n)]
        try:
            blocks = ray.data.from_items(rows, override_num_blocks=max(1, math.ceil(n / size)))
            out = blocks.map_batches(
                fn, batch_size=size, batch_format="numpy", num_cpus=1, fn_kwargs=fn_kwargs
            ).take_all()
        except Exception as err:  # whatever the cluster raised, the run stops
            raise BackendError(f"Ray {stage} job at {self.address} failed: {_reason(err)}") from err
        out.sort(key=lambda r: int(r["i"]))
        if [int(r["i"]) for r in out] != list(range(n)):
            raise BackendError(f"Ray {stage} job at {self.address} returned {len(out)} of {n} rows")
        return out

    def extractor(self) -> RayExtractor:
        return RayExtractor(self)

    def embedder(self) -> RayEmbedder:
        return RayEmbedder(self)

    def stance(
        self, store: Any, encoder: Any, log: Callable[[str], None], settings: Any = None
    ) -> StanceModel:
        """The model ``engine_models.stance_model`` would load here: its English model built on
        each worker, behind the same language router (pairs not both English are read here by
        the multilingual reader, never by the English model)."""
        from verify.multilingual.router import LanguageRouter

        return LanguageRouter(self._english_stance(store, log, settings))

    def _english_stance(
        self, store: Any, log: Callable[[str], None], settings: Any = None
    ) -> RayStance:
        from verify.stages.engine_models import stance_source
        from verify.stance.loading import default_model_path

        path, symmetric, version, camps = stance_source(store, log, settings)
        if path == default_model_path(settings):  # the shipped model: installed on every machine
            return RayStance(self, ray_tasks.StanceSpec(version, symmetric), camps)
        files = sorted(p for p in path.iterdir() if p.is_file())  # a retrained head: here only
        if sum(p.stat().st_size for p in files) > SHIP_LIMIT:  # the workers must have it too
            return RayStance(self, ray_tasks.StanceSpec(version, symmetric, path=str(path)), camps)
        shipped = tuple((p.name, p.read_bytes()) for p in files)
        return RayStance(self, ray_tasks.StanceSpec(version, symmetric, files=shipped), camps)


def _claims(record: str) -> list[Claim] | Exception:
    import json

    out = json.loads(record)
    if "error" in out:
        name, message = out["error"]
        # The worker's exception type by name, so a refusal reads as the local path's does.
        return type(str(name), (Exception,), {})(message)
    return [Claim(**c) for c in out["claims"]]


class RayExtractor:
    name = "ray:extract"

    def __init__(self, backend: RayBackend) -> None:
        self.backend = backend

    def extract_batch(self, items: list[tuple[str, str]]) -> list[list[Claim] | Exception]:
        if not items:
            return []
        rows = self.backend.run(
            "extract",
            ray_tasks.extract,
            {"text": [t for t, _ in items], "outlet": [o for _, o in items]},
        )
        return [_claims(str(r["out"])) for r in rows]

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        found = self.extract_batch([(text, outlet)])[0]
        if isinstance(found, Exception):
            raise found
        return found


class RayEmbedder:
    name = MODEL_NAME  # the same model as ``embed.Embedder``: the store's cache is shared

    def __init__(self, backend: RayBackend) -> None:
        self.backend = backend

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, DIM), dtype=np.float32)
        rows = self.backend.run("embed", ray_tasks.embed, {"text": list(texts)})
        return np.stack([r["vec"] for r in rows]).astype(np.float32)


class RayStance:
    """A ``StanceModel`` whose reads run on the workers; ``version`` is the model's own."""

    def __init__(self, backend: RayBackend, spec: ray_tasks.StanceSpec, camps: bool) -> None:
        self.backend, self.spec, self.uses_camps = backend, spec, camps

    @property
    def version(self) -> str:
        return self.spec.version

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        if not len(pairs):
            return np.zeros((0, len(STANCE_LABELS)))
        columns: dict[str, Sequence[Any]] = {"a": list(pairs.a), "b": list(pairs.b)}
        if pairs.camps is not None and self.uses_camps:  # only what the model reads travels
            columns["camp"] = list(pairs.camps)
        rows = self.backend.run("score", ray_tasks.score, columns, spec=self.spec)
        return np.stack([r["p"] for r in rows])
