"""Camp relations reach the stacked head, and analysts' tags teach it what opposed camps mean.

Real parts: the seed database built by the pipeline, the shipped cross-encoder, MiniLM features.
The head is fitted on analyst-style verdicts only (no public data, so it runs in seconds).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from verify.labels import LABEL_INDEX
from verify.stages.pipeline import Pipeline
from verify.stance.base import StancePairs
from verify.stance.camps import OPPOSED, SAME, UNKNOWN, camp_features, camp_relation
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.stacked import StackedStanceModel
from verify.store.database import Store


def test_camp_relation_and_features() -> None:
    assert camp_relation("Russia", "West") == OPPOSED
    assert camp_relation("West", "west") == SAME
    assert camp_relation("West", "unknown") == UNKNOWN
    assert camp_relation("", "West") == UNKNOWN
    f = camp_features([OPPOSED, SAME, UNKNOWN], 3)
    assert f.tolist() == [[1, 0], [0, 1], [0, 0]]
    assert camp_features(None, 2).tolist() == [[0, 0], [0, 0]]
    with pytest.raises(ValueError):
        camp_features([OPPOSED], 2)


def _pairs(store: Store) -> list[tuple[int, str, str, str]]:
    rows = store.db.execute(
        "SELECT p.id, ca.text, cb.text, ca.side, cb.side FROM pairs p"
        " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id ORDER BY p.id"
    ).fetchall()
    return [(r[0], r[1], r[2], camp_relation(r[3], r[4])) for r in rows]


@pytest.mark.models
def test_tags_teach_the_head_what_opposed_camps_mean(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "camps.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    pairs = _pairs(store)
    opposed = [p for p in pairs if p[3] == OPPOSED]
    same = [p for p in pairs if p[3] == SAME]
    assert len(opposed) >= 30 and len(same) >= 30
    # An analyst who, in this dispute, calls opposed camps' claims contradictions and the same
    # camp's agreements; a few of each other class so the head has all four.
    tagged = (
        [(p, "contradiction") for p in opposed[:16]]
        + [(p, "agreement") for p in same[:16]]
        + [(p, "neutral") for p in opposed[16:20] + same[16:20]]
        + [(p, "unrelated") for p in opposed[20:24] + same[20:24]]
    )
    cross = CrossEncoderStanceModel.load(symmetric=True)  # as `counterclaim train` fits it
    head = StackedStanceModel(cross)
    a, b = [p[1] for p, _ in tagged], [p[2] for p, _ in tagged]
    F = head.features(head.inputs(a, b), camps=[p[3] for p, _ in tagged])
    assert F.shape[1] == head.features(head.inputs(a[:1], b[:1])).shape[1]
    head.fit_features(F, [lab for _, lab in tagged])

    # The opposed-camp flag pushes toward contradiction, the same-camp flag toward agreement.
    n_feat = F.shape[1]
    coef = head.head.coef_ / head.head.scale_  # per raw unit of each feature
    c, g = LABEL_INDEX["contradiction"], LABEL_INDEX["agreement"]
    assert coef[c, n_feat - 2] > coef[g, n_feat - 2]
    assert coef[g, n_feat - 1] > coef[c, n_feat - 1]

    # On pairs nobody tagged, the same texts score more contradictory when the camps are opposed.
    rest = opposed[24:40]
    ra, rb = [p[1] for p in rest], [p[2] for p in rest]
    p_opp = head.predict_pairs(StancePairs(ra, rb, [OPPOSED] * len(rest)))[:, c]
    p_same = head.predict_pairs(StancePairs(ra, rb, [SAME] * len(rest)))[:, c]
    assert np.all(p_opp > p_same)
    # Texts alone (``predict_proba``) read as pairs of unknown camps.
    p_unknown = head.predict_pairs(StancePairs(ra, rb, [UNKNOWN] * len(rest)))
    assert np.array_equal(head.predict_proba(ra, rb), p_unknown)

    # Saved and put behind the store, the pipeline scores every pair with each one's camps.
    out = head.save(tmp_path / "stacked")
    reloaded = StackedStanceModel.load(out)  # loads its own cross-encoder, in the fitted mode
    assert reloaded.uses_camps and reloaded.version == head.version
    store.meta.stance_model_dir = str(out)
    pipe = Pipeline(store, log=lambda _m: None)
    assert pipe.rescore() == len(pairs)
    key = pipe.score_key()  # scored under it; the store names it only with its rankings
    assert key.startswith(head.version + "+registry-")
    scored = dict(
        store.db.execute("SELECT pair_id, p_contradiction FROM suggestions WHERE model=?", (key,))
    )
    want = head.predict_pairs(
        StancePairs([p[1] for p in pairs], [p[2] for p in pairs], [p[3] for p in pairs])
    )
    got = np.array([scored[p[0]] for p in pairs])
    assert np.allclose(got, want[:, c], atol=1e-5)
    assert pipe.rescore() == 0  # nothing new to score
