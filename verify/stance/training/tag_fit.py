"""Tags that teach, never overturn: refit the relatedness stage with analysts' verdicts.

The cross-encoder stays as shipped; what moves is the relatedness regression and the polarity
calibration on top of it (``stance.relatedness``), seconds to refit. The shipped public pairs
(``ANCHOR``, their features saved beside the model) stay in every refit: they hold the model
near what it knew, and the tags pull it in proportion to their number and to a weight chosen by
cross-validation on the tags themselves. Weight 0 is the shipped model, so when no weight beats
it on held-back tags the refit is refused; it is also refused when it is worse on the fixed
public check set (the anchor's dev rows). Analysts' ``unrelated`` and ``neutral`` tags teach
relatedness; ``contradiction`` and ``agreement`` teach relatedness and polarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verify.atomic import atomic_open
from verify.labels import AGREEMENT, CONTRADICTION, LABEL_INDEX
from verify.stance.relatedness import RELATED_LABELS, Logistic, Polarity, Relatedness

ANCHOR = "relatedness_public.npz"
#: Weight of one tag relative to one public pair, tried by cross-validation (0: shipped model).
WEIGHTS = (0.0, 1.0, 3.0, 10.0, 30.0, 100.0)
MIN_TAGS = 10
FOLDS = 5
#: How much worse (mean log-loss) on the public check set a refit may be before it is refused.
PUBLIC_TOLERANCE = 0.02
#: The tags together weigh at most this share of the public pairs they are refitted with (each
#: weight of ``WEIGHTS`` is capped to keep it). Tags
#: come from the top of the list, so cross-validation on them favours the largest weight: on the
#: Emergent dev analyst loop, weight 100 (40 tags worth a third of the anchor) lowered the AP of
#: the untagged pairs 0.281 -> 0.265, weight 10 or 3 (3% or 1%) 0.281 -> 0.278
#: (``bench/bench_disputes.py --only loop``).
MAX_TAG_SHARE = 0.05


class TagFitRefused(ValueError):
    """The tags cannot improve the model (too few, one class only, or no held-back gain)."""


@dataclass(frozen=True)
class Anchor:
    """The shipped public pairs' features, cross-encoder readings and labels (fit and dev rows)."""

    X: np.ndarray
    cross: np.ndarray
    labels: np.ndarray  # label indices in STANCE_LABELS order
    weight: np.ndarray
    dev: np.ndarray  # bool
    C: float = 1.0  # the regularisation chosen on dev when the shipped model was fitted

    def save(self, directory: Path) -> Path:
        path = Path(directory) / ANCHOR
        with atomic_open(path, "wb") as f:
            np.savez_compressed(
                f,
                X=self.X,
                cross=self.cross,
                labels=self.labels,
                weight=self.weight,
                dev=self.dev,
                C=np.array(self.C),
            )
        return path

    @classmethod
    def load(cls, directory: Path) -> Anchor:
        with np.load(Path(directory) / ANCHOR, allow_pickle=False) as z:
            C = float(z["C"]) if "C" in z.files else 1.0
            return cls(z["X"], z["cross"], z["labels"], z["weight"], z["dev"].astype(bool), C)


def _related(labels: np.ndarray, scope: str) -> np.ndarray:
    """1 where a label index counts as related in ``scope``."""
    return np.isin(labels, [LABEL_INDEX[x] for x in RELATED_LABELS[scope]]).astype(int)


def _stance(labels: np.ndarray) -> np.ndarray:
    """1 for contradiction and agreement: the rows polarity is fitted on."""
    return np.isin(labels, [LABEL_INDEX[CONTRADICTION], LABEL_INDEX[AGREEMENT]]).astype(int)


def refit(
    base: Relatedness,
    anchor: Anchor,
    X: np.ndarray,
    cross: np.ndarray,
    labels: np.ndarray,
    weight: float,
) -> Relatedness:
    """``base`` refitted on the anchor's fit rows plus the tags, each tag worth ``weight``
    public pairs; ``weight == 0`` returns ``base`` unchanged."""
    if weight == 0 or not len(labels):
        return base
    from sklearn.linear_model import LogisticRegression

    fit = ~anchor.dev
    unit = float(anchor.weight[fit].mean())
    Xa = np.vstack([anchor.X[fit], X])
    ya = np.concatenate([_related(anchor.labels[fit], base.scope), _related(labels, base.scope)])
    wa = np.concatenate([anchor.weight[fit], np.full(len(labels), weight * unit)])
    f = base.full
    Z = (Xa[:, : len(f.features)] - f.mean) / f.scale  # the shipped standardisation: comparable
    lr = LogisticRegression(C=anchor.C, max_iter=2000, warm_start=True)
    lr.coef_, lr.intercept_ = f.coef.reshape(1, -1).copy(), np.array([f.intercept])
    lr.fit(Z, ya, sample_weight=wa)
    full = Logistic(f.features, f.mean, f.scale, lr.coef_[0], float(lr.intercept_[0]))
    polarity = _refit_polarity(base.polarity, anchor, cross, labels, weight * unit)
    return Relatedness(full, base.screen, polarity, base.screen_threshold, base.scope)


def _refit_polarity(
    base: Polarity, anchor: Anchor, cross: np.ndarray, labels: np.ndarray, w: float
) -> Polarity:
    rel_t = _stance(labels) == 1
    if not rel_t.any():
        return base
    from sklearn.linear_model import LogisticRegression

    fit = ~anchor.dev & (_stance(anchor.labels) == 1)
    P = np.vstack([anchor.cross[fit], cross[rel_t]])
    y = np.concatenate([anchor.labels[fit], labels[rel_t]]) == LABEL_INDEX[CONTRADICTION]
    if len(set(y.tolist())) < 2:
        return base
    sw = np.concatenate([anchor.weight[fit], np.full(int(rel_t.sum()), w)])
    p = np.clip(P, 1e-6, 1)
    x = (np.log(p[:, 0]) - np.log(p[:, 1])).reshape(-1, 1)
    lr = LogisticRegression(C=10.0).fit(x, y, sample_weight=sw)
    return Polarity(float(lr.coef_[0][0]), float(lr.intercept_[0]))


def nll(
    model: Relatedness,
    X: np.ndarray,
    cross: np.ndarray,
    labels: np.ndarray,
    w: np.ndarray | None = None,
) -> float:
    """Mean negative log-likelihood of the 4-way labels under the combined reading."""
    P = model.combine(cross, model.related(X))
    p = np.clip(P[np.arange(len(labels)), labels], 1e-7, 1.0)
    w = np.ones(len(labels)) if w is None else w
    return float(-(w * np.log(p)).sum() / w.sum())


def check_verdicts(labels: np.ndarray) -> None:
    """Refuse (``TagFitRefused``) too few verdicts, or verdicts of one kind only: before any
    model is loaded, so the refusal is immediate."""
    n = len(labels)
    if n < MIN_TAGS:
        raise TagFitRefused(f"{n} analyst verdicts; at least {MIN_TAGS} are needed to retrain")
    if len(set(np.asarray(labels).tolist())) < 2:
        raise TagFitRefused("every verdict has the same label: nothing to tell apart")


def fit_from_tags(
    base: Relatedness,
    anchor: Anchor,
    X: np.ndarray,
    cross: np.ndarray,
    labels: np.ndarray,
    seed: int = 0,
) -> tuple[Relatedness, dict]:
    """The refit model and its report; raises ``TagFitRefused`` (with the figures) when the tags
    cannot improve on ``base``."""
    n = len(labels)
    check_verdicts(labels)
    from sklearn.model_selection import KFold, StratifiedKFold

    # Folds stratified by label where every label can fill them; plain shuffled folds otherwise.
    counts = np.bincount(labels)
    folds = min(FOLDS, n // 2)
    if counts[counts > 0].min() >= folds:
        parts = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, labels))
    else:
        parts = list(KFold(folds, shuffle=True, random_state=seed).split(X))
    # Each weight is capped so that the tags weigh at most MAX_TAG_SHARE of the refit: many tags
    # still teach, each a little less.
    fit = ~anchor.dev
    unit = float(anchor.weight[fit].mean())
    cap = MAX_TAG_SHARE * float(anchor.weight[fit].sum()) / (unit * n)
    cv: dict[float, float] = {}
    for wt in sorted({min(w, cap) for w in WEIGHTS}):
        losses = [
            nll(refit(base, anchor, X[tr], cross[tr], labels[tr], wt), X[te], cross[te], labels[te])
            for tr, te in parts
        ]
        cv[wt] = float(np.mean(losses))
    dev = anchor.dev

    def public(m: Relatedness) -> float:
        return nll(m, anchor.X[dev], anchor.cross[dev], anchor.labels[dev], anchor.weight[dev])

    public_before = public(base)
    fitted = {wt: refit(base, anchor, X, cross, labels, wt) for wt in cv}
    on_public = {wt: public(m) for wt, m in fitted.items()}
    # Only weights that keep the public check within tolerance compete; weight 0 always does.
    share = {wt: wt * unit * n / float(anchor.weight[fit].sum()) for wt in cv}
    allowed = [wt for wt in cv if on_public[wt] <= public_before + PUBLIC_TOLERANCE]
    best = min(allowed, key=lambda k: (round(cv[k], 6), k))
    model = fitted[best]
    report = {
        "verdicts": n,
        "cv_folds": folds,
        "cv_nll_by_weight": {f"{k:g}": round(v, 4) for k, v in cv.items()},
        "public_nll_by_weight": {f"{k:g}": round(v, 4) for k, v in on_public.items()},
        "weight": best,
        "tag_share": round(share[best], 4),
        "held_back_nll": {"shipped": round(cv.get(0.0, 0.0), 4), "retrained": round(cv[best], 4)},
        "public_nll": {"shipped": round(public_before, 4), "retrained": round(on_public[best], 4)},
    }
    if best == 0.0:
        raise TagFitRefused(
            "no tag weight beats the current model on held-back tags while keeping the public "
            f"check set, the tags weighing at most {MAX_TAG_SHARE:.0%} of the refit (held-back NLL "
            f"by weight {report['cv_nll_by_weight']}; public NLL "
            f"{report['public_nll_by_weight']}); model unchanged"
        )
    return model, report
