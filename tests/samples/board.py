"""Sample boards built straight through ``verify.store.database.Store``: no spaCy, no embedder, no model.

``build_seed_db`` stores the two seed articles with the claims the engine's extractor finds in
them (offsets, speakers, cues and relays frozen in ``samples.board_seeds``), sides from the shipped actor registry,
pairs after shared/gold/seeds_pairs.jsonl and hand-set model probabilities. Tests and the demo
use it so they never wait for model training. ``build_large_db`` makes a synthetic board of any
size for bench/bench_board.py."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from samples.board_seeds import (
    DRAGHI_CLAIMS,
    DRAGHI_LIVE_BLOG,
    SCHOLZ_CLAIMS,
    SCHOLZ_WITHDRAWAL,
    ClaimRow,
)
from verify.registry.actors import Registry
from verify.store.database import Store
from verify.types import Article, Claim

SAMPLE_MODEL = "sample-stance-v0"
STAMP = "2026-01-05T09:00:00+00:00"  # fixed tag times keep snapshots stable

# fmt: off
TOPICS = {
    "T": "troops · withdrawal · border",
    "D": "diplomacy · de-escalation · talks",
    "P": "partner · gas · Donbass",
}

#: (claim, claim, p(contradiction, agreement, neutral, unrelated)); S01..S14 follow the gold pairs.
PAIRS: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("s13", "s20", (0.86, 0.04, 0.07, 0.03)),  # S01 Moscow: withdrawal begun / CNN: still massing
    ("s13", "s26", (0.78, 0.05, 0.12, 0.05)),  # S02 / Bellingcat: no evidence of a withdrawal
    ("s13", "s8", (0.57, 0.08, 0.30, 0.05)),   # S03 / Biden: not yet verified
    ("s17", "s24", (0.49, 0.06, 0.38, 0.07)),  # S04 back to bases / tanks near Sereteno
    ("s15", "d11", (0.64, 0.05, 0.24, 0.07)),  # S05 media terrorism / upcoming campaign
    ("d8", "s2", (0.52, 0.06, 0.33, 0.09)),    # S06 who is generating tension
    ("s16", "s7", (0.45, 0.05, 0.41, 0.09)),   # S07 war propaganda failed / attack possible
    ("s13", "s27", (0.71, 0.06, 0.17, 0.06)),  # S08 / convoys still moving
    ("s20", "s26", (0.08, 0.74, 0.14, 0.04)),  # S09 agreement
    ("s8", "s26", (0.10, 0.61, 0.24, 0.05)),   # S10 agreement
    ("s13", "s17", (0.06, 0.80, 0.10, 0.04)),  # S11 agreement
    ("d12", "d0", (0.05, 0.70, 0.20, 0.05)),   # S12 agreement
    ("d2", "s20", (0.04, 0.03, 0.13, 0.80)),   # S13 unrelated
    ("s3", "s26", (0.05, 0.04, 0.16, 0.75)),   # S14 unrelated
    ("d3", "d14", (0.41, 0.07, 0.46, 0.06)),
    ("s0", "s9", (0.07, 0.55, 0.33, 0.05)),
    ("d10", "s12", (0.69, 0.05, 0.20, 0.06)),
    ("s6", "s19", (0.22, 0.06, 0.30, 0.42)),
)

#: Tags already in the sample: bob and carol disagree on S09 (a conflict to settle).
TAGS: tuple[tuple[str, str, str, str], ...] = (
    ("s20", "s26", "bob", "agreement"),
    ("s20", "s26", "carol", "contradiction"),
    ("d2", "s20", "bob", "unrelated"),
    ("s13", "s17", "carol", "agreement"),
)

#: A claim made of markup and terminal escapes: it must show literally, never style the screen.
HOSTILE_TEXT = "[bold]x[/bold] [/foo] \x1b[31mred\x1b[0m"
HOSTILE_ARTICLE = Article(
    text=f"Officials said {HOSTILE_TEXT}.\n\nNothing else happened.\x07",
    source="hostile.txt",
    title="[blink]Breaking[/blink] \x1b[2J",
    outlet="[red]Evil[/red] Outlet",
    date="2022-02-16",
)
# fmt: on


@dataclass(frozen=True)
class SampleIds:
    """What a test needs to find things again: claim key -> id, (key, key) -> pair id."""

    claims: dict[str, int]
    pairs: dict[tuple[str, str], int]

    def pair(self, a: str, b: str) -> int:
        return self.pairs[(a, b)] if (a, b) in self.pairs else self.pairs[(b, a)]


def _claims(text: str, rows: Sequence[ClaimRow]) -> list[Claim]:
    return [
        Claim(
            sentence=text[s0:s1],
            text=content or text[start:end],
            start=start,
            end=end,
            speaker=speaker,
            cue=cue,
            relay=list(relay),
        )
        for _key, start, end, s0, s1, speaker, cue, relay, content, _topic in rows
    ]


def build_seed_db(path: str | Path, tags: bool = True, hostile: bool = False) -> SampleIds:
    """The seed dispute as the pipeline would store it (claims, sides, topics, pairs, scores)."""
    store = Store(path)
    try:
        registry = Registry.load()
        articles = [
            (
                Article(
                    DRAGHI_LIVE_BLOG,
                    "seeds/000_4c4b7a315de9ba1b.txt",
                    "Ukraine crisis live: Draghi–Putin call, Johnson in Kiev, Blinken–Lavrov call",
                    date="2022-02-01",
                ),
                DRAGHI_CLAIMS,
            ),
            (
                Article(
                    SCHOLZ_WITHDRAWAL,
                    "seeds/003_9c7f7e83a747c763.txt",
                    "Scholz meets Putin in Moscow; Moscow: troop withdrawal from the Ukrainian border"
                    " has begun, but CNN shows troops massed on the border",
                    date="2022-02-15",
                ),
                SCHOLZ_CLAIMS,
            ),
        ]
        if hostile:
            start = HOSTILE_ARTICLE.text.index(HOSTILE_TEXT)
            row: ClaimRow = (
                "h0",
                start,
                start + len(HOSTILE_TEXT),
                0,
                start + len(HOSTILE_TEXT) + 1,
                "[i]Officials[/i]",
                "said",
                ("\x1b]8;;x\x07relay",),
                None,
                "T",
            )
            articles.append((HOSTILE_ARTICLE, (row,)))
        keys: dict[str, int] = {}
        topic_of: dict[int, int] = {}
        topic_keys = list(TOPICS)
        for article, rows in articles:
            ids = store.claim_ids(store.add_article(article, _claims(article.text, rows)))
            for claim_id, row in zip(ids, rows, strict=True):
                keys[row[0]] = claim_id
                topic_of[claim_id] = topic_keys.index(row[-1])
        store.set_actors(
            (r["id"], actor.name or r["speaker"], actor.side)
            for r in store.claim_rows()
            for actor in [registry.resolve(r["speaker"])]
        )
        store.replace_topics(list(TOPICS.values()), topic_of)
        pairs = list(PAIRS) + ([("h0", "s20", (0.66, 0.04, 0.2, 0.1))] if hostile else [])
        store.upsert_pairs((keys[a], keys[b], 0.5) for a, b, _ in pairs)
        pair_ids = {(a, b): store.pair_id(keys[a], keys[b]) or 0 for a, b, _ in pairs}
        store.save_suggestions(SAMPLE_MODEL, [(pair_ids[(a, b)], p) for a, b, p in pairs])
        store.meta.stance_model = SAMPLE_MODEL
        for a, b, who, label in TAGS if tags else ():
            store.add_tag(pair_ids[(a, b)], label, who, at=STAMP)
        return SampleIds(keys, pair_ids)
    finally:
        store.close()


# -- a large synthetic board, for bench/bench_board.py -------------------------------------------

_SUBJECTS = (
    "Russian troops",
    "The convoy",
    "Armoured units",
    "The withdrawal",
    "Talks in Geneva",
    "Gas supplies",
    "The exercise",
    "Satellite images",
    "The embassy",
    "Diplomacy",
)
_VERBS = (
    "are moving towards",
    "have left",
    "never reached",
    "continue near",
    "were seen at",
    "will return to",
    "do not depend on",
    "are ending at",
    "have resumed at",
    "threaten",
)
_PLACES = (
    "the Ukrainian border",
    "Belgorod",
    "Voronezh",
    "their bases",
    "Kursk",
    "Bryansk",
    "Crimea",
    "Belarus",
    "Kharkiv",
    "Rostov",
)
_SPEAKERS = (
    ("Moscow", "Russia"),
    ("Sergei Lavrov", "Russia"),
    ("Maria Zakharova", "Russia"),
    ("TASS", "Russia"),
    ("CNN", "West"),
    ("Joe Biden", "West"),
    ("Christo Grozev", "West"),
    ("Boris Johnson", "West"),
    ("local officials", "unknown"),
    ("a witness", "unknown"),
)
_OUTLETS = ("", "TASS", "CNN", "Reuters", "AFP", "ANSA")


def build_large_db(
    path: str | Path,
    n_pairs: int = 10_000,
    n_claims: int = 2_500,
    n_topics: int = 25,
    seed: int = 0,
) -> None:
    """A synthetic board of ``n_pairs`` scored pairs over ``n_claims`` claims (5 per article)."""
    rng = random.Random(seed)
    store = Store(path, durable=False)  # a throwaway file: build it fast
    try:
        per_article = 5
        for a in range(0, n_claims, per_article):
            sentences = [
                f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_PLACES)}"
                f" (report {a + i})."
                for i in range(per_article)
            ]
            speaker = rng.choice(_SPEAKERS)[0]
            claims, text = [], ""
            for s in sentences:
                start = len(text) + len(f"{speaker} said ")
                text += f"{speaker} said {s}\n\n"
                claims.append(
                    Claim(
                        sentence=f"{speaker} said {s}",
                        text=s,
                        start=start,
                        end=start + len(s),
                        speaker=speaker,
                        cue="said",
                    )
                )
            article = Article(
                text,
                f"synthetic/{a // per_article:05d}.txt",
                f"Report {a}",
                rng.choice(_OUTLETS),
                f"2022-02-{1 + a % 28:02d}",
            )
            store.add_article(article, claims)
        rows = store.claim_rows()
        sides = dict(_SPEAKERS)
        store.set_actors((r["id"], r["speaker"], sides[r["speaker"]]) for r in rows)
        ids = [r["id"] for r in rows]
        store.replace_topics(
            [f"synthetic topic {t} · troops · border" for t in range(n_topics)],
            {cid: rng.randrange(n_topics) for cid in ids},
        )
        seen: set[tuple[int, int]] = set()
        while len(seen) < n_pairs:
            a, b = rng.sample(ids, 2)
            seen.add((min(a, b), max(a, b)))
        store.upsert_pairs((a, b, rng.random()) for a, b in seen)
        scored = []
        for pid in store.pair_ids():
            raw = [rng.random() ** 2 for _ in range(4)]
            total = sum(raw)
            scored.append((pid, [x / total for x in raw]))
        store.save_suggestions(SAMPLE_MODEL, scored)
        store.meta.stance_model = SAMPLE_MODEL
    finally:
        store.close()
