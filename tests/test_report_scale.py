"""The HTML report at corpus scale: it leads with the hottest topics, propositions and pairs,
says how many more the JSON/CSV export holds, and its size does not grow with the corpus (a
synthetic store written straight through ``Store``: real SQLite, no model)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from verify.report import render
from verify.report.fmt_html import EXPORT_NOTE, HTML_TOPICS
from verify.stages.embed import DIM, MODEL_NAME
from verify.store.database import Store
from verify.store.propositions import PropositionTables
from verify.types import Article, Claim, sha256

MODEL = "synthetic-stance"


def build(path: Path, articles: int, per_article: int = 8, seed: int = 0) -> None:
    """``articles`` articles in topics of ~20 claims, 6 candidate pairs a claim, 2 propositions a
    topic, each with a few supporters and refuters and the rest unrelated."""
    rng, vec_rng = random.Random(seed), np.random.default_rng(seed)
    store = Store(path)
    store.db.execute("PRAGMA synchronous=OFF")
    vecs = {}
    for a in range(articles):
        claims = []
        for i in range(per_article):
            text = f"Speaker {a % 40} said the convoy {i} reached the border at dawn ({a})."
            claims.append(
                Claim(
                    sentence=text,
                    text=text,
                    start=0,
                    end=len(text),
                    speaker=f"Speaker {a % 40}",
                    cue="said",
                )
            )
            vecs[sha256(text)] = vec_rng.normal(size=DIM).astype(np.float32)
        store.add_article(
            Article(
                " ".join(c.text for c in claims),
                f"corpus/{a:05d}.txt",
                f"Story {a}",
                f"Outlet {a % 25}",
                f"2022-02-{1 + a % 28:02d}",
                f"https://news.example/{a}",
            ),
            claims,
        )
    store.save_embeddings(MODEL_NAME, vecs)
    ids = [r["id"] for r in store.claim_rows()]
    store.set_actors((c, f"Speaker {c % 40}", ("West", "Russia", "unknown")[c % 3]) for c in ids)
    n_topics = max(1, len(ids) // 20)
    topic = {c: n * n_topics // len(ids) for n, c in enumerate(ids)}
    store.replace_topics([f"convoy · border · dawn {t}" for t in range(n_topics)], topic)
    topic = dict(store.db.execute("SELECT id, topic_id FROM claims"))  # the stored topic ids
    members: dict[int, list[int]] = {}
    for c, t in topic.items():
        members.setdefault(t, []).append(c)
    pairs = {
        (min(a, b), max(a, b)) for a in ids for b in rng.sample(members[topic[a]], 6) if a != b
    }
    store.upsert_pairs((a, b, 0.5) for a, b in pairs)
    probs = [(pid, _probs(rng, 4)) for (pid,) in store.db.execute("SELECT id FROM pairs")]
    store.save_suggestions(MODEL, probs)
    store.meta.stance_model = MODEL
    tables = PropositionTables(store)
    tables.set_engine(
        [
            (m[k], f"The convoy {k} reached the border ({t}).", 0.5)
            for t, m in members.items()
            for k in (0, 1)
        ]
    )
    rows = []
    for p in tables.active():
        for n, c in enumerate(members[p["topic_id"]]):
            lean = n % 7  # a couple of supporters and refuters, the rest unrelated
            rows.append(
                (
                    p["id"],
                    c,
                    [0.8, 0.1, 0.05, 0.05]
                    if lean == 1
                    else [0.1, 0.8, 0.05, 0.05]
                    if lean == 2
                    else [0.02, 0.02, 0.06, 0.9],
                )
            )
    tables.save_suggestions(MODEL, rows)
    store.close()


def _probs(rng: random.Random, n: int) -> list[float]:
    raw = [rng.random() ** 3 for _ in range(n)]
    return [x / sum(raw) for x in raw]


@pytest.mark.slow
def test_html_stays_small_and_points_to_the_export(tmp_path: Path) -> None:
    sizes = []
    for articles in (300, 900):
        db = tmp_path / f"r{articles}.db"
        build(db, articles)
        html = render(Store(db), "html")
        sizes.append(len(html.encode()))
        topics = html.count('<section id="topic-')
        assert topics == HTML_TOPICS, topics
        assert html.count(EXPORT_NOTE) >= 4  # topic sections, topics table, propositions, articles
    assert sizes[1] < 1.25 * sizes[0] and sizes[1] < 5_000_000, sizes
    full = render(Store(tmp_path / "r300.db"), "html", per_topic=None, per_side=None)
    assert len(full.encode()) > 2 * sizes[0] and EXPORT_NOTE not in full  # --all: everything
