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


def check_label(label: str) -> str:
    """Return ``label`` if it is a stance label, else raise ``ValueError`` naming the choices."""
    if label not in LABEL_INDEX:
        raise ValueError(f"unknown label {label!r}; choose one of {', '.join(STANCE_LABELS)}")
    return label
