"""Fit the claim space's map, USE-m -> MiniLM, on English sentences only (the MultiNLI dev
sample of ``data.mnli``, never XNLI, whose Russian-English pairs check it):

    python -m verify.multilingual.fit_space [--data ../shared/data/nli2] [--out models/multilingual]
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    from verify.atomic import write_bytes, write_text
    from verify.multilingual.cache import cached_encode
    from verify.multilingual.data import mnli, texts
    from verify.multilingual.encoder import MultilingualEncoder
    from verify.multilingual.space import fit_map
    from verify.stages.embed import Embedder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/nli2"))
    ap.add_argument("--out", type=Path, default=Path("models/multilingual"))
    ap.add_argument("--alpha", type=float, default=1.0)
    args = ap.parse_args(argv)
    sentences = texts([p for part in mnli(args.data, n=6000).values() for p in part])
    use = cached_encode(MultilingualEncoder(), sentences)
    mini = cached_encode(Embedder(), sentences)
    w, b = fit_map(use, mini, args.alpha)
    fitted = use @ w + b
    fitted /= np.linalg.norm(fitted, axis=1, keepdims=True)
    cos = float(np.mean(np.sum(fitted * mini, axis=1)))
    buf = io.BytesIO()
    np.savez(buf, w=w.astype(np.float16), b=b.astype(np.float16))
    args.out.mkdir(parents=True, exist_ok=True)
    write_bytes(args.out / "space.npz", buf.getvalue())
    facts = {"sentences": len(sentences), "alpha": args.alpha, "mean_cosine_on_fit": round(cos, 4)}
    write_text(args.out / "space.json", json.dumps(facts, indent=1) + "\n")
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
