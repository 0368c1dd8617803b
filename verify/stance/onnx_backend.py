"""ONNX Runtime backend of the cross-encoder stance model: same weights, faster CPU inference.

The graph is not shipped (``models/`` has a size budget): it is traced from the loaded torch model
on first use and cached as ``<cache>/onnx/<weights version>-ort<onnxruntime version>.onnx``
(``cross-<weights hash>-ort1.30.0.onnx``), where ``<cache>`` is ``$COUNTERCLAIM_CACHE``, else
``$XDG_CACHE_HOME/counterclaim``, else ``~/.cache/counterclaim``. New weights get a new file; the
decision layer (temperature, biases) is applied after the graph and does not change it.
Every graph is checked against the torch model on a probe batch before it is used (fp32: they
agree to ~1e-5), so a stale or damaged cache file is re-exported rather than trusted.

``int8=True``: the fp32 graph with its weights quantized to int8 (ONNX Runtime's dynamic
quantization, per output channel), cached beside it as ``<version>-int8-ort<version>.onnx``.
Dynamic quantization scales the activations per tensor at run time, so a pair read in a batch
would get a reading that depends on the other pairs of the batch: the int8 graph reads one pair
per run (``OnnxLogits.chunk`` 1), which also pads nothing. Argmax labels agree with fp32 on
98 % of Emergent and SICK pairs and the contradiction AP moves by under 0.005; figures, pairs per
second included: ``python bench/agreement_onnx.py --int8``. Its check allows ``INT8_ATOL``. Asked
for by ``COUNTERCLAIM_STANCE_BACKEND=onnx-int8`` (``settings.INT8``, which says why not by default).

    python -m verify.stance.onnx_prepare --prepare [--model-dir DIR]   # export ahead of first use
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from verify.models_dir import cache_root

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "logits"
OPSET = 17
#: Probe pairs of unequal length, so the check covers padding and both segments.
PROBE = (
    ["The bridge reopened on Monday.", "Troops are withdrawing from the border region today."],
    ["The bridge did not reopen.", "The cat sat on the mat."],
)
PROBE_ATOL = 1e-3  # on logits; fp32 ORT vs torch differ by ~1e-5
INT8_ATOL = 1.0  # logits: int8 vs torch differ by up to ~0.6 on real pairs, a broken graph more
MAX_GRAPHS = 4  # cached graphs kept (the shipped model's, a retrained one's, ...)
logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    """``onnx/`` under the project's cache root (``models_dir.cache_root``)."""
    return cache_root() / "onnx"


def graph_path(version: str, directory: Path | None = None) -> Path:
    """The graph of ``version`` in ``directory`` (default: ``cache_dir()``)."""
    import onnxruntime as ort

    return (directory or cache_dir()) / f"{version}-ort{ort.__version__}.onnx"


def _probe_inputs(tokenizer, max_len: int) -> dict[str, np.ndarray]:
    enc = tokenizer(
        *PROBE, truncation="longest_first", max_length=max_len, padding=True, return_tensors="np"
    )
    return {k: enc[k].astype(np.int64) for k in INPUTS}


def export(model, tokenizer, path: Path, max_len: int = 128) -> Path:
    """Trace ``model`` (a ``CrossEncoder``) to ONNX at ``path``, atomically.

    Dynamic batch and sequence axes; int64 inputs ``INPUTS``; output ``logits`` (n, 4). The
    TorchScript tracer (not dynamo): deterministic, 3x faster to export, and its graph ran ~10%
    faster under ORT than the dynamo one on this model.
    """
    import torch

    feeds = _probe_inputs(tokenizer, max_len)
    args = tuple(torch.from_numpy(feeds[k]) for k in INPUTS)
    axes = {k: {0: "batch", 1: "sequence"} for k in INPUTS} | {OUTPUT: {0: "batch"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    # A private temp file, then os.replace: concurrent processes never see a half-written graph.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    was_training = model.training
    try:
        model.eval()  # dropout off in the traced graph
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer and deprecation warnings: checked below
            torch.onnx.export(
                model,
                args,
                tmp,
                dynamo=False,
                input_names=list(INPUTS),
                output_names=[OUTPUT],
                dynamic_axes=axes,
                opset_version=OPSET,
                do_constant_folding=True,
            )
        check(OnnxLogits(tmp, threads=1), model, tokenizer, max_len)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a shared $COUNTERCLAIM_CACHE needs reads
        os.replace(tmp, path)
    finally:
        model.train(was_training)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class OnnxLogits:
    """An ORT session over an exported graph: ``(tokenized batch) -> logits (n, 4)``.

    ``threads`` workers each run a slice of ``chunk`` rows of the batch on a one-thread session,
    rather than one run splitting every matrix product across threads: on 2 cores that scored the
    seed pairs ~10% faster (small slices also stay in L2 cache), with the same logits (~1e-6).
    """

    def __init__(self, path: str | Path, threads: int | None = 2, chunk: int = 8) -> None:
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = 1  # parallel over slices instead (see above)
        so.inter_op_num_threads = 1  # a chain of layers: nothing to run side by side
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3  # errors only: no optimizer chatter on stderr
        self.path, self.chunk = Path(path), chunk
        self.workers = max(1, threads or os.cpu_count() or 1)
        self.session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self._pool: ThreadPoolExecutor | None = None

    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        # Drop trailing columns that no row of this slice uses (exact, and less work).
        n = int(np.flatnonzero(feeds["attention_mask"].any(axis=0)).max(initial=0)) + 1
        return self.session.run(
            [OUTPUT], {k: np.ascontiguousarray(v[:, :n]) for k, v in feeds.items()}
        )[0]

    def __call__(self, enc: Mapping) -> np.ndarray:
        # Tensors or arrays from the tokenizer; ORT wants int64 arrays.
        feeds = {k: np.asarray(enc[k]).astype(np.int64, copy=False) for k in INPUTS}
        rows = len(feeds["input_ids"])
        slices = [
            {k: v[s : s + self.chunk] for k, v in feeds.items()} for s in range(0, rows, self.chunk)
        ]
        if self.workers == 1 or len(slices) == 1:
            return np.concatenate([self._run(f) for f in slices])
        if self._pool is None:  # ORT releases the GIL while it runs: threads suffice
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="stance-onnx")
        return np.concatenate(list(self._pool.map(self._run, slices)))


def check(
    runner: OnnxLogits, model, tokenizer, max_len: int = 128, atol: float = PROBE_ATOL
) -> None:
    """Raise unless the graph's logits match the torch model's on ``PROBE`` (within ``atol``)."""
    import torch

    feeds = _probe_inputs(tokenizer, max_len)
    with torch.no_grad():
        want = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).float().numpy()
    got = runner(feeds)
    if got.shape != want.shape or not np.allclose(got, want, atol=atol, rtol=0):
        diff = np.abs(got - want).max() if got.shape == want.shape else got.shape
        raise ValueError(f"{runner.path.name}: ONNX logits differ from torch ({diff})")


def open_logits(
    model,
    tokenizer,
    version: str,
    threads: int | None = 2,
    max_len: int = 128,
    directory: Path | None = None,
    int8: bool = False,
) -> OnnxLogits:
    """The cached graph of ``version`` (``int8``: its int8 form) in ``directory`` (default:
    ``cache_dir()``), made first if missing or failing its check."""
    if not version:
        raise ValueError("no model version to key the ONNX cache on")
    path = graph_path(version, directory)
    want = graph_path(f"{version}-int8", directory) if int8 else path
    atol = INT8_ATOL if int8 else PROBE_ATOL
    chunk = 1 if int8 else 8  # int8: one pair per run (see the module's docstring)
    if want.exists():
        try:
            runner = OnnxLogits(want, threads, chunk)
            check(runner, model, tokenizer, max_len, atol)
            os.utime(want)  # recently used: kept by prune()
            return runner
        except Exception as e:
            logger.warning("making %s again (%s)", want.name, e)
    # The int8 graph is quantized from the fp32 one: a damaged fp32 file is made again first.
    if not int8 or not _sound(path, model, tokenizer, max_len):
        export(model, tokenizer, path, max_len)
    if int8:
        quantize(path, want)
        check(OnnxLogits(want, threads=1, chunk=1), model, tokenizer, max_len, atol)
    prune(keep=want)
    return OnnxLogits(want, threads, chunk)


def _sound(path: Path, model, tokenizer, max_len: int) -> bool:
    """Whether the fp32 graph at ``path`` is there and passes its check."""
    if not path.exists():
        return False
    try:
        check(OnnxLogits(path, threads=1), model, tokenizer, max_len, PROBE_ATOL)
        return True
    except Exception as e:
        logger.warning("making %s again (%s)", path.name, e)
        return False


def quantize(source: Path, target: Path) -> Path:
    """``source``'s weights as int8 at ``target``, atomically (a private temp file, then
    ``os.replace``, as ``export``)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    pre = f"{tmp}.pre.onnx"
    # ORT's quantization tools configure the root logger: every later log line would be doubled.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        # Fused and shape-annotated first, as ORT's quantization docs advise; the graph's
        # dynamic axes defeat the symbolic shape pass, which ORT's own inference replaces.
        quant_pre_process(str(source), pre, skip_symbolic_shape=True)
        quantize_dynamic(pre, tmp, weight_type=QuantType.QInt8, per_channel=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        root.handlers[:], root.level = handlers, level
        for leftover in (tmp, pre):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return target


def prune(keep: Path, max_graphs: int = MAX_GRAPHS) -> None:
    """Delete all but the ``max_graphs`` most recently used graphs (each is ~90 MB).

    Every retrained model (and ORT upgrade) adds a graph; old ones would pile up unseen. A process
    still running a deleted graph is unaffected: its session holds the model in memory.
    """

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:  # deleted meanwhile by another process's prune()
            return 0.0

    graphs = sorted(keep.parent.glob("*.onnx"), key=mtime, reverse=True)
    for old in [g for g in graphs if g != keep][max(0, max_graphs - 1) :]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass  # not ours to delete (shared cache): harmless
