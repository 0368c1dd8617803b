"""The stance label order, written once. Every classifier, store column and export uses it."""

from __future__ import annotations

CONTRADICTION = "contradiction"
AGREEMENT = "agreement"
NEUTRAL = "neutral"  # related, but neither supports nor refutes
UNRELATED = "unrelated"

#: Column order of every ``predict_proba`` output in the project.
STANCE_LABELS: tuple[str, ...] = (CONTRADICTION, AGREEMENT, NEUTRAL, UNRELATED)
LABEL_INDEX: dict[str, int] = {label: i for i, label in enumerate(STANCE_LABELS)}

#: Public dataset labels mapped onto ours, once (see issue 3 and ../shared/data/README.md).
FNC1_MAP = {
    "agree": AGREEMENT,
    "disagree": CONTRADICTION,
    "discuss": NEUTRAL,
    "unrelated": UNRELATED,
}
EMERGENT_MAP = {"for": AGREEMENT, "against": CONTRADICTION, "observing": NEUTRAL}
SICK_MAP = {"ENTAILMENT": AGREEMENT, "CONTRADICTION": CONTRADICTION, "NEUTRAL": NEUTRAL}

_NLI3 = {"entailment": AGREEMENT, "contradiction": CONTRADICTION, "neutral": NEUTRAL}

#: shared/data/nli: dataset label -> stance label, per set (``stance.training.nli`` reads them).
#: RTE's ``not_entailment`` lumps contradiction with neutral (its README: "do not read it as
#: one"), so it has no entry and RTE rows with it are left out of training;
#: ``counterclaim eval pairs --labels`` can still score RTE 2-way.
NLI_MAPS: dict[str, dict[str, str]] = {
    "snli": _NLI3,
    "breaking_nli": _NLI3,
    "anli": {"e": AGREEMENT, "c": CONTRADICTION, "n": NEUTRAL},
    "perspectrum": {"SUPPORT": AGREEMENT, "UNDERMINE": CONTRADICTION},
    "covidfact": {"SUPPORTED": AGREEMENT, "REFUTED": CONTRADICTION},
    "climate_fever": {"SUPPORTS": AGREEMENT, "REFUTES": CONTRADICTION, "NOT_ENOUGH_INFO": NEUTRAL},
    "healthver": {"Supports": AGREEMENT, "Refutes": CONTRADICTION, "Neutral": NEUTRAL},
    "semeval2016_stance": {"favor": AGREEMENT, "against": CONTRADICTION, "none": NEUTRAL},
    "rte": {"entailment": AGREEMENT},
    # shared/data/nli2 (its README): not_entailment / not_supported / partially_supported are
    # not contradiction and have no class here, so those rows are dropped; REFUTES and deny are
    # contradiction; a RumourEval comment or query is a reply about the thread, not a stance.
    "mnli_dev": _NLI3,
    "conjnli": _NLI3,
    "cad_snli": _NLI3,
    "mpe": _NLI3,
    "taxinli": _NLI3,
    "scitail_dev": {"entailment": AGREEMENT},
    "fever_symmetric": {"SUPPORTS": AGREEMENT, "REFUTES": CONTRADICTION},
    "fool_me_twice": {"SUPPORTS": AGREEMENT, "REFUTES": CONTRADICTION},
    "wice_oracle": {"supported": AGREEMENT},
    "rumoureval2019": {
        "support": AGREEMENT,
        "deny": CONTRADICTION,
        "comment": NEUTRAL,
        "query": NEUTRAL,
    },
}

#: Labels a set has that map to none of ours: their rows are left out, by name. Any other label
#: not in ``NLI_MAPS`` is an error naming the file and line (``training.nli.load_nli``).
NLI_DROPPED: dict[str, frozenset[str]] = {
    "rte": frozenset({"not_entailment"}),
    "scitail_dev": frozenset({"not_entailment"}),
    "wice_oracle": frozenset({"partially_supported", "not_supported"}),
}


def check_label(label: str) -> str:
    """Return ``label`` if it is a stance label, else raise ``ValueError`` naming the choices."""
    if label not in LABEL_INDEX:
        raise ValueError(f"unknown label {label!r}; choose one of {', '.join(STANCE_LABELS)}")
    return label


# --------------------------------------------------------------------------- propositions
#: A claim's stance toward a proposition (the FNC-1 / Emergent formulation: the proposition is the
#: claim, the other text the evidence). Same column order as ``STANCE_LABELS``: the stance model's
#: contradiction column is "refutes", agreement "supports", neutral "discusses".
REFUTES, SUPPORTS, DISCUSSES = "refutes", "supports", "discusses"
PROPOSITION_LABELS: tuple[str, ...] = (REFUTES, SUPPORTS, DISCUSSES, UNRELATED)
TO_PROPOSITION: dict[str, str] = dict(zip(STANCE_LABELS, PROPOSITION_LABELS, strict=True))
FROM_PROPOSITION: dict[str, str] = {v: k for k, v in TO_PROPOSITION.items()}


def check_proposition_label(label: str) -> str:
    """Return ``label`` if it is a proposition stance, else raise ``ValueError``."""
    if label not in FROM_PROPOSITION:
        raise ValueError(f"unknown stance {label!r}; choose one of {', '.join(PROPOSITION_LABELS)}")
    return label
