"""MiniLM sentence embeddings on ONNX Runtime: the same weights as ``embed.Embedder`` (the torch
path through sentence-transformers), mean pooling and L2 normalisation in numpy, texts tokenised
once and run in batches sorted by token count (a batch pads to its own longest text only).

The graph is not shipped: it is traced from the installed weights on first use and cached as
``<cache>/onnx/minilm-l6-v2-<weights size>-ort<version>.onnx`` (``models_dir.cache_root``), and
checked against the torch path on probe sentences when it is made: every probe's cosine with the torch vector
must be at least ``MIN_COSINE``, else it is deleted and the torch path is used
(``backends.local``). The file is written atomically, so a cached graph is one that passed.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from verify.stages.embed import DIM, MODEL_NAME, Embedder, model_path

MIN_COSINE = 0.999
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
logger = logging.getLogger(__name__)
PROBE = [
    "Moscow says the troop withdrawal from the Ukrainian border has begun.",
    "Satellite images show troops still massing, according to Bellingcat.",
    "No.",
    "The ministry said on Monday that the talks had failed, and that a new round "
    "would be held in Geneva next month with observers from both sides present.",
]


def graph_path(directory: Path) -> Path:
    import onnxruntime as ort

    weights = Path(model_path()) / "model.safetensors"
    return directory / f"minilm-l6-v2-{weights.stat().st_size}-ort{ort.__version__}.onnx"


def _export(path: Path) -> None:
    """Trace the transformer (token embeddings out) to ``path``, atomically."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    class Tokens(torch.nn.Module):  # keyword inputs, the token embeddings out
        def __init__(self) -> None:
            super().__init__()
            self.inner = AutoModel.from_pretrained(model_path())

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Tokens().eval()
    enc = AutoTokenizer.from_pretrained(model_path())(PROBE[:2], padding=True, return_tensors="pt")
    axes = {k: {0: "batch", 1: "sequence"} for k in INPUTS} | {
        "tokens": {0: "batch", 1: "sequence"}
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer warnings: the graph is checked before use
            torch.onnx.export(
                model,
                tuple(enc[k] for k in INPUTS),
                tmp,
                dynamo=False,
                input_names=list(INPUTS),
                output_names=["tokens"],
                dynamic_axes=axes,
                opset_version=17,
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class OnnxEmbedder:
    """``encode(texts) -> (n, 384) float32``, L2-normalised; ``Embedder``'s vectors (cosine >=
    ``MIN_COSINE``), under the same name so the store's cache of vectors stays valid."""

    name = MODEL_NAME

    def __init__(
        self, directory: Path | None = None, batch_size: int = 64, threads: int = 2
    ) -> None:
        # Nothing is loaded until the first text: a run with nothing new never pays for it.
        self.directory, self.batch_size, self.threads = directory, batch_size, threads
        self.path: Path | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._torch: Embedder | None = None

    def _load(self) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        from verify.models_dir import cache_root

        self._tokenizer = AutoTokenizer.from_pretrained(model_path())
        path = graph_path(self.directory or cache_root() / "onnx")
        so = ort.SessionOptions()
        so.intra_op_num_threads = self.threads
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        fresh = not path.exists()
        if fresh:  # checked once, when made: a later start loads no torch model at all
            _export(path)
        self._session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self.path = path
        if fresh and (worst := self.agreement()) < MIN_COSINE:
            path.unlink(missing_ok=True)
            raise ValueError(f"{path.name}: ONNX embeddings differ from torch (cosine {worst:.5f})")

    def _ready(self) -> bool:
        """Whether the ONNX path runs; else (one warning) the torch path from then on."""
        if self._session is None and self._torch is None:
            try:
                self._load()
            except Exception as exc:  # no onnxruntime, an export that failed or disagreed
                self._session = None
                logger.warning("embedding on torch: the ONNX graph is not used (%s)", exc)
                self._torch = Embedder(self.batch_size)
        return self._session is not None

    def agreement(self) -> float:
        """The lowest cosine between this graph's and the torch path's vectors on ``PROBE``."""
        return float((self.encode(PROBE) * Embedder().encode(PROBE)).sum(axis=1).min())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        if not self._ready():
            assert self._torch is not None
            return self._torch.encode(texts)
        ids = self._tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS)["input_ids"]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # little padding per batch
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            width = max(len(ids[i]) for i in idx)
            batch = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(batch)
            for row, i in enumerate(idx):
                batch[row, : len(ids[i])], mask[row, : len(ids[i])] = ids[i], 1
            feeds = {
                "input_ids": batch,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(batch),
            }
            tokens = self._session.run(["tokens"], feeds)[0]
            summed = (tokens * mask[:, :, None]).sum(axis=1)
            vecs = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[idx] = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return out
