"""Tables the model cards share: data sources and licences, held-out metrics, confusion, the seed
check. Each card (``card_sklearn``, ``card_cross``) is written from one training run's metrics.
"""

from __future__ import annotations

from verify.labels import STANCE_LABELS

CARD_DATE = "2026-11-21"

SOURCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "FNC-1 (train_stances, train_bodies)",
        'headline vs its top-3 body sentences; "unrelated" capped at 4,000',
        "FakeNewsChallenge/fnc-1 @29d473af",
        "none stated",
    ),
    ("Emergent", "claim vs article headline", "thanhan/fc-aaai18 @9e67c94f", "MIT"),
    (
        "Emergent, derived",
        "headline vs headline of one claim, labelled by transitivity (for+against: contradiction; "
        "for+for, against+against: agreement; stance+observing: neutral), at most 60 per claim",
        "(same)",
        "MIT",
    ),
    (
        "SICK (TRAIN+TRIAL)",
        "sentence pairs",
        "kkalouli/SICK-processing @0848f4ae",
        "original release CC BY-NC-SA 3.0 (non-commercial)",
    ),
    (
        "ARC (FNC-1 format)",
        "loader only; share 0 by default",
        "UKPLab/coling2018_fake-news-challenge @6446c445",
        "Apache-2.0",
    ),
    (
        "ClaimDiff (strength/weak train)",
        "loader only; share 0 by default",
        "kaistAI/ClaimDiff @19d033c1",
        "none stated",
    ),
)


def sources_table() -> str:
    rows = [
        "| dataset | used as | source (repository @ commit) | license as stated there |",
        "|---|---|---|---|",
    ] + ["| " + " | ".join(r) + " |" for r in SOURCES]
    return "\n".join(rows)


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def metrics_table(heldout: dict) -> str:
    lines = [
        "| split | n | macro-F1 | "
        + " | ".join(f"F1 {c}" for c in STANCE_LABELS)
        + " | accuracy | ECE | FNC score |",
        "|---|---|---|" + "---|" * len(STANCE_LABELS) + "---|---|---|",
    ]
    for name, m in heldout.items():
        f1 = [_fmt(m["per_class_f1"][c]) if c in m["per_class_f1"] else "-" for c in STANCE_LABELS]
        fnc = f"{m['fnc_score']:.1f}%" if "fnc_score" in m else "-"
        lines.append(
            f"| {name} | {m['n']} | {_fmt(m['macro_f1'])} | {' | '.join(f1)} | "
            f"{_fmt(m['accuracy'])} | {_fmt(m['ece'])} | {fnc} |"
        )
    return "\n".join(lines)


def confusion_table(m: dict) -> str:
    head = "| true \\ predicted | " + " | ".join(STANCE_LABELS) + " |"
    rows = [
        f"| {c} | " + " | ".join(str(v) for v in row) + " |"
        for c, row in zip(STANCE_LABELS, m["confusion"], strict=True)
    ]
    return "\n".join([head, "|---" * (len(STANCE_LABELS) + 1) + "|", *rows])


def seed_section(seeds: dict | None) -> str:
    if not seeds or "summary" not in seeds:
        return "Not run" + (f": {seeds['skipped']}" if seeds else "") + "."
    s = seeds["summary"]
    lines = [
        f"- gold contradictions (S01-S08) with argmax *contradiction*: "
        f"**{s['contradictions_argmax']} / {s['contradictions_total']}** (target: 6)",
        f"- S09-S14 with argmax *contradiction*: {s['non_contradictions_argmax_contradiction'] or 'none'}",
        f"- gold contradictions in the top 15 by P(contradiction) among {s['n_candidates']} "
        f"cross-source seed claim pairs: **{s['contradictions_in_top15']}** (target: 6); median "
        f"P(contradiction) of those pairs: {s['candidate_p_contradiction_median']:.3f}",
        "",
        "| pair | gold | argmax | " + " | ".join(f"P({c})" for c in STANCE_LABELS) + " | rank |",
        "|---|---|---|" + "---|" * len(STANCE_LABELS) + "---|",
    ]
    for pid, p in seeds["pairs"].items():
        probs = " | ".join(f"{p['proba'][c]:.3f}" for c in STANCE_LABELS)
        lines.append(f"| {pid} | {p['gold']} | {p['argmax']} | {probs} | {p['rank'] or '-'} |")
    return "\n".join(lines)
