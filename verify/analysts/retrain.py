"""Retrain the stance head with the analysts' verdicts and rescore every pair. Shared by
`counterclaim train` and the board's retrain worker.

Over the shipped cross-encoder the head is the stacked regression (cross-encoder probabilities +
lexical cues), which refits in seconds; without it, the linear head. Either way the analysts'
verdicts (undisputed or settled tags) join the public training data, and the returned metrics
include a 5-fold cross-validation on those verdicts: how well the retrained head agrees with
this team's own calls on pairs it did not see."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from verify.labels import STANCE_LABELS
from verify.settings import Settings, resolve
from verify.stance.base import StanceModel, StancePairs, in_text_order
from verify.stance.training.tag_fit import TagFitRefused
from verify.store.database import Store

Log = Callable[[str], None]
Example = tuple[str, ...]  # (a, b, label) or (a, b, label, camp relation)
MIN_CV_EXAMPLES = 10


def cross_validate(
    examples: Sequence[Example], fit: Callable[[list[Example]], StanceModel], k: int = 5
) -> dict:
    """k-fold CV over analyst verdicts; ``fit(train) -> model`` adds them to the public data."""
    return cross_validate_features(examples, lambda idx: fit([examples[i] for i in idx]), k)


class Cancelled(Exception):
    """The retrain was asked to stop; nothing in the store changed."""


def _stages(log: Log, should_stop: Callable[[], bool] | None) -> Callable[[str], None]:
    """``stage(name)`` logs "[k] name (elapsed)" and raises ``Cancelled`` when asked to stop."""
    t0, count = time.perf_counter(), [0]

    def stage(name: str) -> None:
        if should_stop is not None and should_stop():
            raise Cancelled(f"retrain cancelled before: {name}")
        count[0] += 1
        log(f"[{count[0]}] {name} ({time.perf_counter() - t0:.0f}s)")

    return stage


def training_examples(store: Store, with_camps: bool = False) -> list[Example]:
    """(a text, b text, label) for every pair with a verdict: undisputed or settled tags;
    ``with_camps`` adds the pair's camp relation (``verify.stance.camps``)."""
    from verify.analysts.review import verdicts_by
    from verify.stance.camps import camp_relation

    verdicts = verdicts_by(store.tags(), lambda t: t["pair_id"])
    texts = {
        r["id"]: (
            *in_text_order(r["a_text"], r["b_text"]),  # read as the engine reads them
            camp_relation(r["a_side"], r["b_side"]),
        )
        for r in store.pair_texts()
    }
    out: list[Example] = []
    for pair_id, label in sorted(verdicts.items()):
        if pair_id in texts:
            a, b, camp = texts[pair_id]
            out.append((a, b, label, camp) if with_camps else (a, b, label))
    return out


def proposition_examples(store: Store) -> list[Example]:
    """Analysts' stance tags toward propositions as (proposition, claim, stance label, camp):
    the proposition is the claim read first, as the model reads it; no camp (one text is the
    proposition, not a speaker's claim)."""
    from verify.labels import FROM_PROPOSITION
    from verify.stance.camps import UNKNOWN
    from verify.store.propositions import PropositionTables

    tables = PropositionTables(store)
    latest: dict[tuple[int, int], dict[str, str]] = {}
    for t in tables.tags():
        latest.setdefault((t["proposition_id"], t["claim_id"]), {})[t["analyst"]] = t["label"]
    texts = {r["id"]: r["text"] for r in store.claim_rows()}
    out: list[Example] = []
    for (pid, cid), by in sorted(latest.items()):
        prop = tables.get(pid)
        if prop is None or cid not in texts or len(set(by.values())) != 1:
            continue  # analysts who disagree give no verdict
        out.append((prop["text"], texts[cid], FROM_PROPOSITION[next(iter(by.values()))], UNKNOWN))
    return out


def retrain(
    store: Store,
    log: Log,
    should_stop: Callable[[], bool] | None = None,
    settings: Settings | None = None,
) -> dict:
    """Train a new head (public data + verdicts), make it this store's model, rescore every pair
    and proposition stance. Progress goes to ``log`` stage by stage; ``should_stop`` is polled
    between stages (``Cancelled``), and the store's model switches only at the very end."""
    from verify.stance.loading import default_kind

    settings = resolve(settings)
    stage = _stages(log, should_stop)
    kind = default_kind(settings)
    extra = training_examples(store, with_camps=kind == "cross")
    if kind == "cross":
        extra = [*extra, *proposition_examples(store)]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    gated = kind == "cross" and gated_shipped(settings)
    name = "gated" if gated else "stacked" if kind == "cross" else "sklearn"
    out = Path(f"{store.path}.models") / f"stance-{name}-{stamp}"
    log(f"training with {len(extra)} analyst verdicts -> {out}")
    model: StanceModel | None
    metrics: dict
    if gated:
        try:
            model, metrics = _retrain_gated(extra, out, stage, settings)
        except TagFitRefused as e:
            log(f"model unchanged: {e}")
            return {"analyst_verdicts": len(extra), "switched": False, "reason": str(e)}
    elif kind == "cross":
        from verify.stance.cross_encoder import CrossEncoderStanceModel, default_model_dir
        from verify.stance.stacked import StackedStanceModel
        from verify.stance.training import public_features
        from verify.stance.training.train_stacked import fit_head

        stage("loading the cross-encoder")
        cross = CrossEncoderStanceModel.load(settings=settings)
        stage("public features")
        public = public_features.find(cross.version, default_model_dir(settings))
        if public is None:
            log("public features not shipped for this model: building them once (minutes)")
            public = public_features.build(cross, log)
            public.save(public_features.cached_path(cross.version))
        stage(f"analyst features ({len(extra)} verdicts)")
        head = StackedStanceModel(cross)
        F_extra = (
            head.features(
                head.inputs([e[0] for e in extra], [e[1] for e in extra]),
                camps=[e[3] for e in extra],
            )
            if extra
            else None
        )
        y_extra = [e[2] for e in extra]
        stage("fitting the head")
        model = fit_head(head, public, F_extra, y_extra)
        model.save(out)
        metrics = {"version": model.version, "base": cross.version}

        def fit_fold(idx: list[int]) -> StackedStanceModel:
            stage(f"cross-validation fold on {len(idx)} verdicts")
            sub = F_extra[idx] if F_extra is not None else None
            return fit_head(StackedStanceModel(cross), public, sub, [y_extra[i] for i in idx])

        metrics["analyst_cv"] = cross_validate_features(extra, fit_fold)
    else:
        from verify.stance.sklearn_model import SklearnStanceModel
        from verify.stance.training.train_sklearn import train_stance

        def fit_linear(examples: list[Example]) -> SklearnStanceModel:
            folder = Path(f"{out}.cv")
            train_stance(folder, extra=_texts(examples), seed_check=False, log=lambda _m: None)
            return SklearnStanceModel.load(folder)

        stage("training the linear head")
        metrics = train_stance(out, extra=_texts(extra), log=log)
        model = None
        metrics["analyst_cv"] = cross_validate(extra, fit_linear)
    metrics["analyst_verdicts"] = len(extra)
    stage("rescoring pairs and proposition stances")
    if model is None:
        from verify.stance.loading import load_model_dir

        model = load_model_dir(out, settings=settings)
    n, m = adopt(store, model, out, log, stage, settings)
    log(f"rescored {n} pairs and {m} proposition stances")
    return metrics


def gated_shipped(settings: Settings) -> bool:
    """True when the shipped cross-encoder ships its relatedness stage and its public anchor."""
    from verify.stance.cross_encoder import default_model_dir
    from verify.stance.relatedness import FILE
    from verify.stance.training.tag_fit import ANCHOR

    folder = default_model_dir(settings)
    return (folder / FILE).exists() and (folder / ANCHOR).exists()


def _retrain_gated(
    extra: Sequence[Example], out: Path, stage: Callable[[str], None], settings: Settings
) -> tuple[StanceModel, dict]:
    """Refit the relatedness stage from the verdicts (``training.tag_fit``): the cross-encoder
    stays as shipped. Raises ``TagFitRefused`` when the tags cannot improve the model."""
    from verify.labels import LABEL_INDEX
    from verify.stance.cross_encoder import CrossEncoderStanceModel, default_model_dir
    from verify.stance.gated import GatedStanceModel
    from verify.stance.relatedness import Relatedness, pair_features
    from verify.stance.training.tag_fit import Anchor, check_verdicts, fit_from_tags

    labels = np.array([LABEL_INDEX[e[2]] for e in extra], dtype=int)
    check_verdicts(labels)  # a refusal before minutes of loading
    stage("loading the cross-encoder")
    shipped = default_model_dir(settings)
    # Read as the engine reads (int8 when asked): the retrained reader's version is the one the
    # store's later runs compute from its files.
    cross = CrossEncoderStanceModel.load(settings=settings, int8=resolve(settings).quantized)
    base, anchor = Relatedness.load(shipped), Anchor.load(shipped)
    stage(f"reading {len(extra)} tagged pairs")
    gated = GatedStanceModel(cross, base, screening=False)  # a tag teaches only when read
    a, b = [e[0] for e in extra], [e[1] for e in extra]
    reading = gated.read(StancePairs(a, b))
    X = pair_features(gated.cosines(a, b), a, b, reading.cross)
    stage("fitting relatedness and polarity (cross-validated tag weight)")
    model, report = fit_from_tags(base, anchor, X, reading.cross, labels)
    out.mkdir(parents=True, exist_ok=True)
    model.save(
        out,
        extra={
            "cross_version": cross.version,
            "cross_symmetric": cross.symmetric,
            "report": report,
        },
    )
    retrained = GatedStanceModel(cross, model)
    return retrained, {
        "version": retrained.version,
        "base": cross.version,
        "tag_fit": report,
        "switched": True,
    }


def _texts(examples: Sequence[Example]) -> list[tuple[str, str, str]]:
    """(a, b, label) of each example: the linear head reads no camps."""
    return [(e[0], e[1], e[2]) for e in examples]


def cross_validate_features(
    examples: Sequence[Example], fit: Callable[[list[int]], StanceModel], k: int = 5
) -> dict:
    """k-fold CV over analyst verdicts, the folds fitted from row indices (features computed
    once, outside the folds)."""
    n = len(examples)
    if n < MIN_CV_EXAMPLES:
        return {"n": n, "skipped": f"fewer than {MIN_CV_EXAMPLES} analyst verdicts"}
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import KFold

    gold, pred = [], []
    for train_idx, test_idx in KFold(n_splits=min(k, n), shuffle=True, random_state=0).split(
        examples
    ):
        model = fit(list(train_idx))
        test = [examples[i] for i in test_idx]
        camps = [e[3] for e in test] if all(len(e) > 3 for e in test) else None
        proba = model.predict_pairs(StancePairs([e[0] for e in test], [e[1] for e in test], camps))
        pred += [STANCE_LABELS[j] for j in np.argmax(proba, axis=1)]
        gold += [e[2] for e in test]
    return {
        "n": n,
        "folds": min(k, n),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(
            f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)
        ),
    }


def adopt(
    store: Store,
    model: StanceModel,
    folder: Path,
    log: Callable[[str], None],
    stage: Callable[[str], None] | None = None,
    settings: Settings | None = None,
    tries: int = 3,
) -> tuple[int, int]:
    """Score every pair and proposition stance under ``model``'s key (the store still answers
    with its previous model meanwhile), then make ``model`` (from ``folder``) the store's model
    with its rankings in one transaction (``verify.analysts.model_switch.switch``). A run beside that added
    pairs meanwhile: those are scored too before the switch. Returns (pairs, stances) scored."""
    from verify.analysts.model_switch import ModelChanged, switch
    from verify.multilingual.router import LanguageRouter
    from verify.propositions.scoring import score_propositions
    from verify.stages import ranking
    from verify.stages.pipeline import Pipeline
    from verify.store import totals
    from verify.store.propositions import PropositionTables

    # Behind the language router, as every run loads it (``engine_models.stance_model``): pairs
    # with a side in another language stay the multilingual reader's, under the same key.
    pipe = Pipeline(store, log=log, stance=LanguageRouter(model), settings=settings)
    key, tables = pipe.score_key(), PropositionTables(store)

    def complete() -> bool:
        return not store.unscored_pairs(key) and not tables.unscored(key)

    def rank() -> None:
        ranking.rebuild(store)
        totals.rebuild(store)

    n = m = 0
    for attempt in range(tries):
        n += pipe.rescore()
        m += score_propositions(tables, pipe.stance, key, log, pipe.claim_space().encode)
        if stage is not None and attempt == 0:
            stage("switching the store's model")  # the last point a cancel takes effect
        if switch(store, key, rank, model_dir=str(folder.resolve()), complete=complete):
            return n, m
    raise ModelChanged(f"pairs kept arriving while switching to {key}; run train again")
