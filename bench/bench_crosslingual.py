"""Cross-lingual candidates: is a Russian sentence's English rendering among its 8 nearest
neighbours, in the claim space the engine uses? And does English keep MiniLM?

    .venv/bin/python bench/bench_crosslingual.py [--data ../shared/data/nli2] [--k 8]

Pool: every distinct Russian sentence of XNLI validation (premises and hypotheses) and its
aligned English one. For each Russian sentence, the neighbours are the whole pool but itself;
a hit is its English rendering among the first k. Spaces: USE-m alone (512-d), and the engine's
(``verify.multilingual.space``: MiniLM for English, the mapped USE-m vector for Russian).
English-English: for each English premise, the share of its three hypotheses among its k nearest
English sentences (the candidate list of a claim), MiniLM against USE-m.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def hits_at_k(query: np.ndarray, pool: np.ndarray, target: np.ndarray, self_idx, k: int) -> float:
    sims = query @ pool.T
    sims[np.arange(len(query)), self_idx] = -np.inf
    top = np.argpartition(-sims, k, axis=1)[:, :k]
    return float(np.mean([t in row for t, row in zip(target, top, strict=True)]))


def main() -> int:
    from verify.multilingual.cache import cached_encode
    from verify.multilingual.encoder import MultilingualEncoder
    from verify.multilingual.space import place, space_file
    from verify.stages.embed import Embedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/nli2"))
    ap.add_argument("--k", type=int, default=8)
    args = ap.parse_args()
    print(f"$ python bench/bench_crosslingual.py --data {args.data} --k {args.k}")
    rows = [json.loads(x) for x in (args.data / "xnli_ru_en" / "xnli_ru_en.jsonl").open()]
    ru_rows = [r for r in rows if r["lang"] == "ru"]
    en_of = {}
    for r in ru_rows:
        en_of[r["premise"]] = r["premise_en"]
        en_of[r["hypothesis"]] = r["hypothesis_en"]
    ru = list(en_of)
    en = list(dict.fromkeys(en_of.values()))
    en_idx = {t: i for i, t in enumerate(en)}
    target = np.array([len(ru) + en_idx[en_of[t]] for t in ru])
    use, mini = MultilingualEncoder(), Embedder()
    use_ru, use_en = cached_encode(use, ru), cached_encode(use, en)
    mini_en = cached_encode(mini, en)
    self_idx = np.arange(len(ru))
    out = {"russian sentences": len(ru), "english sentences": len(en), "k": args.k}
    pool = np.vstack([use_ru, use_en])
    out["ru->en hit@k, USE-m alone"] = hits_at_k(use_ru, pool, target, self_idx, args.k)
    placed = place(use_ru, space_file())
    pool = np.vstack([placed, mini_en])
    out["ru->en hit@k, engine space (MiniLM + mapped USE-m)"] = hits_at_k(
        placed, pool, target, self_idx, args.k
    )
    # English-English: a premise's own hypotheses among its k nearest English sentences.
    en_rows = [r for r in rows if r["lang"] == "en"]
    hyps: dict[str, list[str]] = {}
    for r in en_rows:
        hyps.setdefault(r["premise"], []).append(r["hypothesis"])
    sents = list(dict.fromkeys([*hyps, *(h for hs in hyps.values() for h in hs)]))
    at = {t: i for i, t in enumerate(sents)}
    for name, enc in (("MiniLM", mini), ("USE-m", use)):
        vecs = cached_encode(enc, sents)
        q = vecs[[at[p] for p in hyps]]
        sims = q @ vecs.T
        sims[np.arange(len(q)), [at[p] for p in hyps]] = -np.inf
        top = np.argsort(-sims, axis=1)[:, : args.k]
        recall = np.mean(
            [np.mean([at[h] in row for h in hyps[p]]) for p, row in zip(hyps, top, strict=True)]
        )
        out[f"en-en own hypotheses in premise's k nearest, {name}"] = float(recall)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
