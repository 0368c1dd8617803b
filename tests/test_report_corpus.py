"""Report test corpora, built straight through ``verify.store.database.Store`` (no models needed): a small
two-sided dispute with tags and cached embeddings, and a hostile one full of markup.

Imported by the other ``test_report_*`` modules; its own tests check the corpora themselves."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from verify.stages.embed import DIM, MODEL_NAME
from verify.store.database import Store
from verify.types import Article, Claim, sha256

MODEL = "stance-test-v1"
# Probabilities in STANCE_LABELS order: contradiction, agreement, neutral, unrelated.
CONTRA = (0.9, 0.04, 0.04, 0.02)
AGREE = (0.1, 0.8, 0.05, 0.05)
NEUTRAL = (0.2, 0.1, 0.6, 0.1)
UNREL = (0.05, 0.05, 0.1, 0.8)


def _article(store: Store, article: Article, claims: list[tuple[str, str, list[str]]]) -> list[int]:
    """claims: (sentence, speaker, relay); the claim text is the sentence itself."""
    before = {r["id"] for r in store.claim_rows()}
    rows, pos = [], 0
    for sentence, speaker, relay in claims:
        rows.append(Claim(sentence, sentence, pos, pos + len(sentence), speaker, "said", relay))
        pos += len(sentence) + 1
    store.add_article(article, rows)
    return [r["id"] for r in store.claim_rows() if r["id"] not in before]


def _embed(store: Store, seed: int = 7) -> None:
    """Cached vectors for every claim, clustered by topic so the map has visible structure."""
    rng = np.random.default_rng(seed)
    centres: dict[int | None, np.ndarray] = {}
    vecs = {}
    for r in store.claim_rows():
        centre = centres.setdefault(r["topic_id"], rng.normal(size=DIM))
        v = centre + 0.3 * rng.normal(size=DIM)
        vecs[r["text_hash"]] = (v / np.linalg.norm(v)).astype(np.float32)
    store.save_embeddings(MODEL_NAME, vecs)


def _pair_ids(store: Store) -> dict[tuple[int, int], int]:
    return {(r["a_id"], r["b_id"]): r["id"] for r in store.db.execute("SELECT * FROM pairs")}


def build_dispute(path: Path) -> Path:
    """Three outlets, two sides plus unknowns, two topics, five scored pairs, three analysts' tags.

    Pair ids (in insertion order): 1 withdrawal-vs-massing (contradiction, tagged by ana and bob),
    2 withdrawal-vs-Biden (contradiction), 3 withdrawal-vs-convoys (neutral, bob changed his
    mind: agreement then contradiction), 4 history-vs-massing (unrelated, ana: unrelated),
    5 massing-vs-Biden (agreement)."""
    store = Store(path)
    tass = _article(
        store,
        Article(
            "x1", "tass.txt", "Troops return to bases", "TASS", "2022-02-15", "https://tass.com/1"
        ),
        [
            (
                "Units of the Southern Military District are returning to their bases.",
                "Russian Defense Ministry",
                ["TASS"],
            ),
            ("The date of February 15, 2022 will go down in history.", "Maria Zakharova", []),
        ],
    )
    cnn = _article(
        store,
        Article(
            "x2", "cnn.txt", "Satellite images", "CNN", "2022-02-16", "https://edition.cnn.com/2"
        ),
        [
            ("Satellite images show Russian troops still massing near the border.", "CNN", []),
            (
                "We have not verified that Russian units are returning to their home bases.",
                "Joe Biden",
                ["White House"],
            ),
        ],
    )
    bell = _article(
        store,
        Article("x3", "bell.txt", "Convoys", "Bellingcat", "", ""),
        [("Convoys were filmed moving toward the border overnight.", "open-source analysts", [])],
    )
    claims = tass + cnn + bell
    store.set_actors(
        [
            (claims[0], "Russian Defense Ministry", "Russia"),
            (claims[1], "Maria Zakharova", "Russia"),
            (claims[2], "CNN", "West"),
            (claims[3], "Joe Biden", "West"),
            (claims[4], "open-source analysts", "unknown"),
        ]
    )
    topic_of = {claims[0]: 0, claims[2]: 0, claims[3]: 0, claims[4]: 0, claims[1]: 1}
    store.replace_topics(["troop withdrawal from the border", "a historic date"], topic_of)
    c = claims
    pairs = [(c[0], c[2], 0.8), (c[0], c[3], 0.7), (c[0], c[4], 0.6), (c[1], c[2], 0.3)]
    pairs.append((c[2], c[3], 0.75))
    store.upsert_pairs(pairs)
    ids = _pair_ids(store)
    probs = [CONTRA, (0.7, 0.1, 0.1, 0.1), NEUTRAL, UNREL, AGREE]
    store.save_suggestions(
        MODEL,
        [(ids[(min(a, b), max(a, b))], pr) for (a, b, _), pr in zip(pairs, probs, strict=True)],
    )
    store.meta.stance_model = MODEL
    p = [ids[(min(a, b), max(a, b))] for a, b, _ in pairs]
    store.add_tag(p[0], "contradiction", "ana", "checked against satellite images")
    store.add_tag(p[0], "contradiction", "bob")
    store.add_tag(p[2], "agreement", "bob")
    store.add_tag(p[2], "contradiction", "bob", "convoys move toward, not away")
    store.add_tag(p[3], "unrelated", "ana")
    _embed(store)
    store.close()
    return path


XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
HOSTILE_MODEL = f"{XSS}model"
HOSTILE_URLS = (
    JS_URL,
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'http://example.com/" onmouseover="alert(1)',
    "https://example.org/ok?a=1&b=<2>",
)


def build_hostile(path: Path) -> Path:
    """Every field an article, registry or analyst controls holds markup or a script url."""
    store = Store(path)
    ids: list[int] = []
    for i, url in enumerate(HOSTILE_URLS):
        ids += _article(
            store,
            Article(
                f"h{i}",
                f"{XSS}{i}.txt",
                title=f"{XSS} title {i} </table>",
                outlet=f"{IMG} outlet {i}",
                date=f"2022-02-1{i}" if i % 2 else f"{XSS}",
                url=url,
                author=IMG,
            ),
            [
                (
                    f"</table></td></tr>{XSS} claim {i} [x]({JS_URL}) <{JS_URL}>",
                    IMG,
                    [JS_URL, "</table>"],
                ),
                (
                    f'"><svg onload=alert(1)> second claim {i} & &lt;b&gt; | pipe',
                    f"{XSS} speaker",
                    [],
                ),
            ],
        )
    side = "<b onclick=alert(1)>side"
    store.set_actors([(cid, f"{IMG} actor {k % 3}", f"{side}{k % 2}") for k, cid in enumerate(ids)])
    topics = [f"{XSS} topic </table>", f"{IMG} topic"]
    store.replace_topics(topics, {cid: k % 2 for k, cid in enumerate(ids)})
    pairs = [(ids[k], ids[k + 2], 0.5) for k in range(0, len(ids) - 2)]
    store.upsert_pairs(pairs)
    pid = _pair_ids(store)
    store.save_suggestions(
        HOSTILE_MODEL,
        [(pid[(a, b)], CONTRA if k % 2 else NEUTRAL) for k, (a, b, _) in enumerate(pairs)],
    )
    store.meta.stance_model = HOSTILE_MODEL
    first = pid[(pairs[0][0], pairs[0][1])]
    store.add_tag(
        first, "contradiction", '"><img src=x onerror=alert(1)>', f"{XSS} </table> [x]({JS_URL})"
    )
    store.add_tag(pid[(pairs[1][0], pairs[1][1])], "agreement", "=cmd|' /C calc'!A0", "@SUM(1)")
    store.add_tag(pid[(pairs[-1][0], pairs[-1][1])], "neutral", "carol", "-2+3")
    _embed(store)
    store.close()
    return path


VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "source", "col", "area", "base"}


class Audit(HTMLParser):
    """Parses a page like a browser's tokenizer and records what could run or fetch anything.

    ``problems``: mis-nested or unclosed elements, on* attributes, non-http(s) links.
    ``pair_rows``: cells per row of each pair's <tbody id="pair-N"> (8 and 5 when intact)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.stack: list[str] = []
        self.hrefs: list[str] = []
        self.problems: list[str] = []
        self.chunks: list[str] = []
        self.pair_rows: dict[int, tuple[int, ...]] = {}
        self._pair: int | None = None
        self._cells: list[int] = []

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "xlink:href", "action", "formaction", "srcdoc"):
                self.hrefs.append(value or "")
                if not (value or "").startswith(("#", "http://", "https://")):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag == "tbody" and (dict(attrs).get("id") or "").startswith("pair-"):
            self._pair, self._cells = int(str(dict(attrs)["id"])[5:]), []
        elif tag == "tr" and self._pair is not None:
            self._cells.append(0)
        elif tag == "td" and self._pair is not None:
            self._cells[-1] += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)  # <circle .../> inside SVG: opens and closes at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "tbody" and self._pair is not None:
            self.pair_rows[self._pair] = tuple(self._cells)
            self._pair = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.chunks)


def audit(page: str) -> Audit:
    a = Audit()
    a.feed(page)
    a.close()
    if a.stack:
        a.problems.append(f"unclosed: {a.stack}")
    return a


def test_dispute_corpus_has_what_the_reports_need(tmp_path: Path) -> None:
    store = Store(build_dispute(tmp_path / "d.db"))
    assert len(store.articles()) == 3 and len(store.claim_rows()) == 5
    assert len(store.disputes(MODEL)) == 5 and len(store.tags()) == 5
    hashes = [r["text_hash"] for r in store.claim_rows()]
    assert len(store.load_embeddings(MODEL_NAME, hashes)) == 5
    assert all(sha256(r["text"]) == r["text_hash"] for r in store.claim_rows())


def test_hostile_corpus_holds_the_payloads(tmp_path: Path) -> None:
    store = Store(build_hostile(tmp_path / "h.db"))
    assert any(XSS in r["title"] for r in store.articles())
    assert {r["url"] for r in store.articles()} == set(HOSTILE_URLS)
    assert len(store.disputes(store.meta.stance_model)) == len(HOSTILE_URLS) * 2 - 2


# Stance probabilities in PROPOSITION_LABELS order: refutes, supports, discusses, unrelated.
S_SUPPORTS = (0.05, 0.9, 0.03, 0.02)
S_REFUTES = (0.85, 0.05, 0.06, 0.04)
S_REFUTES_WEAK = (0.6, 0.2, 0.1, 0.1)
S_DISCUSSES = (0.1, 0.1, 0.7, 0.1)
S_UNREL = (0.02, 0.03, 0.05, 0.9)
WITHDRAWAL = "Russian units are returning to their bases"
MASSING = "Russian troops are still massing near the border"


def build_propositions(path: Path) -> Path:
    """The dispute corpus plus propositions, as the pipeline leaves them (model stances under
    ``MODEL``) and as analysts add them.

    Proposition 1 (engine, topic 1) "units are returning": TASS supports it; CNN, Biden and the
    open-source analysts refute it (bob tagged the analysts' claim "refutes"). Proposition 2
    (engine, topic 2): its one claim is unrelated, so no claim takes a side. Proposition 3
    (typed by ana, topic 1) "troops still massing": CNN supports it, TASS refutes it, Biden
    discusses it."""
    from verify.store.propositions import PropositionTables

    build_dispute(path)
    store = Store(path)
    c = [r["id"] for r in store.claim_rows()]
    tables = PropositionTables(store)
    tables.set_engine([(c[0], WITHDRAWAL, 0.9), (c[1], "The date will go down in history", 0.5)])
    ids = {r["claim_id"]: r["id"] for r in tables.active()}
    withdrawal, history = ids[c[0]], ids[c[1]]
    massing = tables.add_analyst(MASSING, c[2], "ana", pinned=False)
    rows = [
        (withdrawal, c[0], S_SUPPORTS),
        (withdrawal, c[2], S_REFUTES),
        (withdrawal, c[3], S_REFUTES_WEAK),
        (withdrawal, c[4], S_DISCUSSES),
        (history, c[1], S_UNREL),
        (massing, c[2], S_SUPPORTS),
        (massing, c[0], S_REFUTES),
        (massing, c[3], S_DISCUSSES),
        (massing, c[4], S_UNREL),
    ]
    tables.save_suggestions(MODEL, rows)
    # The model read the analysts' claim as discussing it; bob says it refutes it.
    tables.add_tag(withdrawal, c[4], "refutes", "bob", "filmed moving toward the border")
    store.close()
    return path
