"""Incremental refresh: what a run adding articles computes equals what a full run computes where
that is guaranteed (claims, the neighbour graph and its candidate pairs, the stored rankings), and
a run killed half-way is completed by the next. Real spaCy, MiniLM, stance model and SQLite."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from verify.stages import neighbours, ranking
from verify.stages.pairs import candidate_pairs, neighbour_lists, pairs_of, source_codes
from verify.stages.pipeline import Pipeline
from verify.stance.loading import default_model_path
from verify.store import totals
from verify.store.database import Store
from verify.types import Article, Claim
from verify.views import board as board_view
from verify.views import listings as views

needs_model = pytest.mark.skipif(
    not default_model_path().is_dir(), reason="no shipped stance model"
)


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _store_with_claims(path: Path, n: int) -> Store:
    """A store whose claims have ids 1..n (the graph's rows refer to them)."""
    store = Store(path, durable=False)
    for a, count in enumerate((100, n - 100)):
        store.add_article(
            Article(text=f"article {a}", source=f"a{a}.txt"),
            [Claim(sentence=f"c{i}.", text=f"c{i}", start=0, end=1) for i in range(count)],
        )
    return store


def _stored_lists(store: Store) -> dict[int, tuple[list[int], list[float]]]:
    return {cid: (list(i), list(s)) for cid, (i, s) in store.knn_lists(store.knn_claims()).items()}


def test_graph_taken_in_batches_is_the_exact_full_graph(tmp_path: Path) -> None:
    """Half the claims, then two batches: every list, and the pairs kept after pruning, are the
    full exact run's (reverse neighbours included: a new claim among an old claim's k nearest)."""
    rng = np.random.default_rng(4)
    centres = rng.normal(size=(12, 16))
    emb = _unit(centres[rng.integers(0, 12, 600)] + 0.7 * rng.normal(size=(600, 16))).astype(
        np.float32
    )
    sources = [f"s{i % 13}" for i in range(600)]
    ids = list(range(101, 701))
    k, low = 5, 0.2
    store = _store_with_claims(tmp_path / "g.db", 700)
    rows, cols, sims = neighbour_lists(emb[:300], sources[:300], k=k, exact=True)
    with store.transaction():
        store.replace_knn(neighbours.graph_rows(ids[:300], rows, cols, sims, k))
    pairs = {(ids[i], ids[j]) for i, j, _ in pairs_of(rows, cols, sims, 300, low)}
    for lo, hi in ((300, 450), (450, 600)):
        update = neighbours.add_claims(
            store, ids[:hi], emb[:hi], source_codes(sources[:hi]), range(lo, hi), k, low
        )
        with store.transaction():
            store.put_knn(update.rows)
        pairs = (pairs | update.pairs.keys()) - update.dropped
        assert update.dropped, "new claims push some old neighbours out"
    rows, cols, sims = neighbour_lists(emb, sources, k=k, exact=True)
    full = {r[0]: r for r in neighbours.graph_rows(ids, rows, cols, sims, k)}
    stored = _stored_lists(store)
    assert stored.keys() == full.keys()
    for cid, (nbr, sim) in stored.items():
        assert nbr == list(np.frombuffer(full[cid][2], np.int64)), cid
        assert np.allclose(sim, np.frombuffer(full[cid][3], np.float32), atol=1e-6)
    assert pairs == {
        (ids[i], ids[j]) for i, j, _ in candidate_pairs(emb, sources, k, low, exact=True)
    }


def _keys(store: Store) -> dict[int, tuple[str, int]]:
    """claim id -> (article source, index in the article): the same claim in two stores."""
    return {r["id"]: (r["article_source"], r["idx"]) for r in store.claim_rows()}


def _run(store: Store, paths: list[Path]) -> list[str]:
    lines: list[str] = []
    Pipeline(store, log=lines.append).run(paths)
    return lines


@needs_model
def _suggestions(s: Store, key: dict[int, tuple[str, int]]) -> dict[tuple, np.ndarray]:
    """Each scored pair's four probabilities under the store's model, by its claims' keys."""
    rows = s.db.execute(
        "SELECT p.a_id, p.b_id, g.p_contradiction, g.p_agreement, g.p_neutral, g.p_unrelated"
        " FROM pairs p JOIN suggestions g ON g.pair_id = p.id WHERE g.model = ?",
        (s.meta.stance_model,),
    )
    return {tuple(sorted((key[a], key[b]))): np.array(p) for a, b, *p in rows}


def test_seeds_in_two_batches_give_the_one_shot_claims_graph_and_candidates(
    seed_db: Path, tmp_path: Path
) -> None:
    """The larger seed first, then the other (an incremental run: fewer new claims than stored).
    Topics and so propositions may differ from a one-shot run (new claims join stored topics
    instead of a fresh clustering); the claims, each claim's k nearest and the candidate pairs
    cannot, and nothing stale is left: every pair is a candidate, implied or tagged."""
    files = sorted(SEEDS.glob("*.txt"), key=lambda p: -p.stat().st_size)
    store = Store(tmp_path / "two.db")
    _run(store, files[:1])
    second = _run(store, files)
    assert any("new claims taken in" in line for line in second), second
    one = Store(seed_db)
    keys, one_keys = _keys(store), _keys(one)
    assert sorted(keys.values()) == sorted(one_keys.values())
    texts = {
        keys[r["id"]]: (r["text"], r["speaker"], r["actor"], r["side"]) for r in store.claim_rows()
    }
    assert texts == {
        one_keys[r["id"]]: (r["text"], r["speaker"], r["actor"], r["side"])
        for r in one.claim_rows()
    }

    def graph(s: Store, key: dict[int, tuple[str, int]]) -> dict[tuple[str, int], list[float]]:
        return {key[c]: sims for c, (_n, sims) in _stored_lists(s).items()}

    # Each claim's neighbour similarities (ids too, but equal texts tie).
    mine, theirs = graph(store, keys), graph(one, one_keys)
    assert mine.keys() == theirs.keys()
    assert all(np.allclose(mine[c], theirs[c], atol=1e-5) for c in mine)
    candidates = {tuple(sorted((one_keys[a], one_keys[b]))) for a, b in _graph_pairs(one)}
    stored = {
        tuple(sorted((keys[a], keys[b])))
        for a, b in store.db.execute("SELECT a_id, b_id FROM pairs")
    }
    assert candidates == {tuple(sorted((keys[a], keys[b]))) for a, b in _graph_pairs(store)}
    assert candidates <= stored
    implied = {(a, b) for a, b in store.db.execute("SELECT a_id, b_id FROM implied_pairs")}
    assert {(a, b) for a, b in store.db.execute("SELECT a_id, b_id FROM pairs")} <= _graph_pairs(
        store
    ) | implied
    assert ranking.fresh(store)
    _same_listing(store)
    # A pair's number is its own: the same in both stores, whichever claim was stored first
    # (``StancePairs.unordered``), up to the float noise of other batch-mates' padding.
    mine_p, theirs_p = _suggestions(store, keys), _suggestions(one, one_keys)
    shared = mine_p.keys() & theirs_p.keys()
    assert len(shared) > len(theirs_p) // 2
    assert all(np.allclose(mine_p[k], theirs_p[k], atol=1e-4) for k in shared)
    assert totals.read(store) == board_view.topic_totals(store)


def _graph_pairs(store: Store, low: float = 0.25) -> set[tuple[int, int]]:
    out = set()
    for cid, (nbr, sims) in _stored_lists(store).items():
        out |= {(min(cid, z), max(cid, z)) for z, s in zip(nbr, sims, strict=True) if s >= low}
    return out


def _same_listing(store: Store, n: int = 25) -> None:
    """The stored ranking's top ``n`` is the top of the ranking computed in full."""
    assert ranking.top_pairs(store, n) is not None  # the stored ranking is fresh and holds n
    fast = views.disputes(store, top=n)
    kept = store.meta.rank_stamp
    store.meta.rank_stamp = ""  # stale: views.disputes computes it in full
    slow = views.disputes(store, top=n)
    store.meta.rank_stamp = kept
    assert fast == slow


@needs_model
def test_a_run_killed_inside_the_incremental_refresh_is_completed_by_the_next(
    seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "killed.db"
    shutil.copy(seed_db, db)
    extra = tmp_path / "late.txt"
    extra.write_text("Officials in Kyiv said that Russian tanks are still moving to the border.\n")

    def killed(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt  # after the graph, the pairs and their scores are stored

    monkeypatch.setattr(ranking, "update", killed)
    with pytest.raises(KeyboardInterrupt):
        _run(Store(db), [SEEDS, extra])
    monkeypatch.undo()
    store = Store(db)
    assert store.meta.refresh_pending and store.meta.refresh_work != ""
    assert not ranking.fresh(store)
    again = _run(store, [SEEDS, extra])
    assert any("1 new claims taken in" in line for line in again), again
    assert not store.meta.refresh_pending and store.meta.refresh_work == ""
    late = store.db.execute("SELECT id, topic_id FROM claims ORDER BY id DESC LIMIT 1").fetchone()
    assert late["topic_id"] is not None
    assert store.db.execute(
        "SELECT COUNT(*) FROM pairs WHERE ? IN (a_id, b_id)", (late["id"],)
    ).fetchone()[0]
    assert store.unscored_pairs(store.meta.stance_model) == []
    assert ranking.fresh(store)
    _same_listing(store)


@needs_model
def test_analysts_changes_are_ranked_on_the_next_run(seed_db: Path, tmp_path: Path) -> None:
    """A stance tag changes readings: the stored ranking is stale (the listing is computed in
    full meanwhile) until a run, even one with nothing new, brings it up to date; the next run
    that takes articles in also re-derives the pairs the tagged proposition implies."""
    from verify.propositions.disputes import implied_pairs, stances_by_proposition
    from verify.propositions.views import stance_map
    from verify.registry.actors import source_key
    from verify.store.propositions import PropositionTables

    db = tmp_path / "tagged.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    tables = PropositionTables(store)
    prop = tables.active()[0]
    claim = next(
        r["claim_id"]
        for r in tables.suggestions(store.meta.stance_model)
        if r["proposition_id"] == prop["id"] and r["claim_id"] != prop["claim_id"]
    )

    def readings() -> dict[tuple[int, int], dict[str, float]]:
        return {
            (d["a"]["id"], d["b"]["id"]): d["probs"]
            for d in views.disputes(store)
            if claim in (d["a"]["id"], d["b"]["id"])
        }

    before = readings()
    tables.add_tag(prop["id"], claim, "refutes", "ana")
    assert not ranking.fresh(store)
    after = readings()  # computed in full while the stored ranking is stale: the tag counts at once
    assert after != before
    report = Pipeline(store, log=lambda _m: None).run([SEEDS])
    assert report.articles_added == 0 and ranking.fresh(store)
    _same_listing(store)
    # The next run with an article takes the tag into the pairs the proposition implies.
    extra = tmp_path / "late.txt"
    extra.write_text("Officials in Kyiv said that Russian tanks are still moving to the border.\n")
    lines = _run(store, [SEEDS, extra])
    assert any("1 new claims taken in" in line for line in lines), lines
    claims = views.claims(store)
    sources = {c["id"]: source_key(c["actor"], c["outlet"]) for c in claims}
    by_prop = stances_by_proposition(stance_map(store, props=[prop["id"]]), sources)
    want = {(a, b) for a, b, _ in implied_pairs(by_prop.get(prop["id"], []))}
    stored = {
        (a, b)
        for a, b in store.db.execute(
            "SELECT a_id, b_id FROM implied_pairs WHERE proposition_id=?", (prop["id"],)
        )
    }
    assert stored == want and ranking.fresh(store)
    _same_listing(store)


@needs_model
def test_russian_articles_meet_english_ones_in_the_claim_space(
    seed_db: Path, tmp_path: Path
) -> None:
    """A store whose graph was made in another claim space is refreshed in full; the bilingual
    demo's Russian claims then get English neighbours, and the pairs with a Russian side are
    scored by the multilingual reader or, through an English rendering, by the English model
    (stored with each suggestion), the others by the English model."""
    db = tmp_path / "ru.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    store.meta.graph_space = "space-of-another-release"
    lines = _run(store, [SEEDS, SEEDS.parent / "examples" / "ru"])
    assert "full refresh: another claim space" in lines, lines
    assert store.meta.graph_space.startswith("space-") and store.meta.graph_space != (
        "space-of-another-release"
    )
    rows = store.db.execute(
        "SELECT s.reader, ca.language AS la, cb.language AS lb FROM suggestions s"
        " JOIN pairs p ON p.id=s.pair_id JOIN claims ca ON ca.id=p.a_id"
        " JOIN claims cb ON cb.id=p.b_id WHERE s.model=?",
        (store.meta.stance_model,),
    ).fetchall()
    mixed = [r for r in rows if {r["la"], r["lb"]} == {"ru", "en"}]
    assert mixed, "a Russian claim among an English claim's candidates"
    # A Russian claim with an English rendering in the corpus (TASS's withdrawal claim and
    # Moscow's) is read by the English model through it; the others by the multilingual reader.
    ru = {r["reader"] for r in rows if "ru" in (r["la"], r["lb"])}
    via = {x for x in ru if x.startswith("english via #")}
    assert "multilingual" in ru and via and ru == via | {"multilingual"}, ru
    rendered = {int(n.strip(" #")) for x in via for n in x.removeprefix("english via ").split(",")}
    langs = store.claim_texts_languages(rendered)
    assert {lang for _text, lang in langs.values()} == {"en"}
    assert any("withdrawal" in text for text, _lang in langs.values())
    assert {r["reader"] for r in rows if r["la"] == r["lb"] == "en"} == {"english"}


def test_a_run_with_nothing_new_brings_the_counts_up_to_date_after_a_tag(
    seed_db: Path, tmp_path: Path
) -> None:
    """A tag makes the stored counts stale (the board then counts live, over every pair: a
    minute at 10,000 articles); the next `run`, with nothing new, recounts them."""
    db = tmp_path / "s.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    assert totals.read(store) is not None
    pair = store.db.execute("SELECT id FROM pairs LIMIT 1").fetchone()[0]
    store.add_tag(pair, "contradiction", "ana")
    assert totals.read(store) is None and not ranking.fresh(store)
    Pipeline(store, log=lambda _m: None).run([SEEDS])
    assert ranking.fresh(store) and totals.read(store) == board_view.topic_totals(store)
    store.close()


def test_a_store_ranked_under_an_older_rule_stays_incremental_and_is_ranked_anew(
    seed_db: Path, tmp_path: Path
) -> None:
    """A store whose rankings an older ``RANK_RULE`` wrote: its next run with a new article is
    still incremental (no full refresh), and its rankings are rebuilt whole, not patched."""
    import json

    db = tmp_path / "s.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    for key in ("refresh_state", "rank_stamp"):  # as a store from before the rule was stamped
        state = json.loads(getattr(store.meta, key))
        state.pop("rank")
        setattr(store.meta, key, json.dumps(state, sort_keys=True))
    store.db.execute(  # rows the older rule wrote differently
        "DELETE FROM dispute_rank WHERE (a_id, b_id) IN (SELECT a_id, b_id FROM dispute_rank LIMIT 3)"
    )
    assert ranking.rows_outdated(store)
    new = tmp_path / "new.txt"
    new.write_text(
        "A NATO official said on Friday that the Russian units had not left the border.\n"
    )
    lines: list[str] = []
    Pipeline(store, log=lines.append).run([SEEDS, new])
    assert not any(line.startswith("full refresh") for line in lines), lines
    assert not ranking.rows_outdated(store) and ranking.fresh(store)
    rows = sorted(map(tuple, store.db.execute("SELECT * FROM dispute_rank")))
    ranking.rebuild(store)
    assert rows == sorted(map(tuple, store.db.execute("SELECT * FROM dispute_rank")))
    store.close()
