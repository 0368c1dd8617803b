"""A large store without spaCy or MiniLM: synthetic articles whose claims come with cached vectors.

Claims are short sentences drawn from per-story vocabularies, their embeddings clustered unit
vectors around the story's centre, written into the embeddings cache under the pipeline's model
name, so the real pipeline (topics, neighbour graph, propositions, stance scores, rankings) runs
on them and never loads the embedder. Used by ``bench/bench_scale.py --synthetic`` (the stages at
10,000-article size) and by the report-size test.

    .venv/bin/python bench/synthetic_store.py /tmp/big.db --articles 2000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verify.stages.embed import DIM, MODEL_NAME
from verify.store.database import Store
from verify.types import Article, Claim, sha256

WORDS = (
    "troops border withdrawal talks sanctions gas pipeline election vote fraud dam flood "
    "ceasefire shelling convoy refugees embassy minister summit treaty missile drill port "
    "grain exports strike union wages inflation court ruling protest police arrests vaccine "
    "outbreak hospital school budget deficit tariffs factory layoffs storm power outage "
    "bridge collapse rescue miners fire forest drought water rationing reactor inspection"
).split()
VERBS = ("said", "stated", "claimed", "denied", "confirmed", "told reporters", "announced")
NEG = ("has not", "has", "will not", "will", "never", "already")


class Corpus:
    """Stories (a centre vector and a few keywords each), speakers and outlets, all seeded."""

    def __init__(self, n_stories: int, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.centres = self.np.normal(size=(n_stories, DIM)).astype(np.float32)
        self.keys = [self.rng.sample(WORDS, 4) for _ in range(n_stories)]
        self.speakers = [f"Speaker {i}" for i in range(300)]
        self.outlets = [f"Outlet {i}" for i in range(30)]
        self.count = 0

    def claim(self, story: int) -> tuple[str, np.ndarray]:
        self.count += 1
        w = self.keys[story]
        text = (
            f"The {w[0]} {self.rng.choice(NEG)} {w[1]} near the {w[2]} {w[3]} (report {self.count})"
        )
        vec = self.centres[story] + 0.9 * self.np.normal(size=DIM).astype(np.float32)
        return text, vec / np.linalg.norm(vec)

    def article(
        self, i: int, per_article: int
    ) -> tuple[Article, list[Claim], dict[str, np.ndarray]]:
        story = int(self.np.integers(len(self.centres)))
        claims, vecs, body = [], {}, ""
        for _ in range(per_article):
            text, vec = self.claim(
                story if self.rng.random() < 0.8 else int(self.np.integers(len(self.centres)))
            )
            speaker = self.rng.choice(self.speakers)
            sentence = f"{speaker} {self.rng.choice(VERBS)} that {text}."
            start = len(body) + sentence.index(text)
            body += sentence + "\n\n"
            claims.append(
                Claim(
                    sentence=sentence,
                    text=text,
                    start=start,
                    end=start + len(text),
                    speaker=speaker,
                    cue="said",
                )
            )
            vecs[sha256(text)] = vec
        art = Article(
            body,
            f"synthetic/{i:06d}.txt",
            f"Story {i}",
            self.rng.choice(self.outlets),
            f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}",
        )
        return art, claims, vecs


def add_articles(store: Store, corpus: Corpus, first: int, n: int, per_article: int = 17) -> None:
    """``n`` synthetic articles with their claims and cached vectors (not yet refreshed)."""
    store.db.execute("PRAGMA synchronous=OFF")  # a throwaway file: build it fast
    cache: dict[str, np.ndarray] = {}
    for i in range(first, first + n):
        art, claims, vecs = corpus.article(i, per_article)
        store.add_article(art, claims)
        cache.update(vecs)
        if len(cache) >= 5000:
            store.save_embeddings(MODEL_NAME, cache)
            cache.clear()
    store.save_embeddings(MODEL_NAME, cache)
    store.meta.refresh_pending = True
    store.db.execute("PRAGMA synchronous=FULL")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--per-article", type=int, default=17)
    args = ap.parse_args()
    corpus = Corpus(max(1, args.articles // 8))
    store = Store(args.db)
    add_articles(store, corpus, 0, args.articles, args.per_article)
    store.close()


if __name__ == "__main__":
    main()
