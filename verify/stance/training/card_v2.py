"""The stance model 2 parts of the model card: the NLI sources, the issue targets read off this
run's held-out metrics (so a retrain rewrites them), and the hand-written notes."""

from __future__ import annotations

NLI_SOURCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "SNLI (dev)",
        "premise = evidence, hypothesis = claim",
        "OanaMariaCamburu/e-SNLI",
        "CC BY-SA 4.0",
    ),
    (
        "Adversarial NLI r1-r3 (dev)",
        "as SNLI; + unrelated pairs across premises",
        "eric11eca/curriculum-ling",
        "CC BY-NC 4.0 (non-commercial)",
    ),
    ("Breaking NLI", "one-word swaps of SNLI premises", "BIU-NLP/Breaking_NLI", "CC BY-SA 4.0"),
    (
        "Perspectrum",
        "debate claim vs perspective (premise = claim); + unrelated across claims",
        "CogComp/perspectrum",
        "CC BY-SA 4.0",
    ),
    (
        "COVID-Fact",
        "evidence vs claim; + unrelated across claims",
        "asaakyan/covidfact",
        "not stated",
    ),
    (
        "Climate-FEVER",
        "evidence sentence vs claim; + unrelated across claims",
        "tdiggelm/climate-fever-dataset",
        "not stated",
    ),
    (
        "HealthVer (dev)",
        "evidence vs health claim; + unrelated across questions",
        "sarrouti/HealthVer",
        "not stated",
    ),
    (
        "SemEval-2016 stance",
        "tweet vs one-word target; + unrelated across targets",
        "cardiffnlp/tweeteval",
        "the task's and Twitter's terms",
    ),
    (
        "RTE",
        "not trained on (not_entailment is not one of our classes)",
        "footprinthere/AttAttr-Cutoff",
        "not stated",
    ),
)


def nli_sources_table() -> str:
    rows = ["| dataset | used as | source repository | license as stated |", "|---|---|---|---|"]
    return "\n".join(rows + ["| " + " | ".join(r) + " |" for r in NLI_SOURCES])


#: (label, set, readout key, target, higher is better)
TARGETS = (
    ("SICK 3-way accuracy", "sick", "accuracy_3way", 0.88),
    ("SNLI 3-way accuracy", "snli", "accuracy_3way", 0.85),
    ("Perspectrum support/undermine accuracy", "perspectrum", "accuracy_2way", 0.80),
    ("Emergent 3-way accuracy", "emergent", "accuracy_3way", 0.80),
    ("FNC-1 relative score (%)", "fnc1", "fnc_score", 86.0),
    ("FNC-1 disagree (contradiction) F1", "fnc1", "f1:contradiction", 0.45),
    ("FNC-1 macro-F1", "fnc1", "macro_f1", 0.72),
)


def _read(m: dict, key: str) -> float | None:
    if key.startswith("f1:"):
        return m.get("per_class_f1", {}).get(key[3:])
    return m.get(key)


def targets_table(heldout: dict, mode: str) -> str:
    """Issue 11's held-out targets against this run (``heldout``: per set, the shipped mode)."""
    lines = [
        f"Held-out test split, scored {mode} with the shipped decision layer:",
        "",
        "| target | reached | wanted | gap |",
        "|---|---|---|---|",
    ]
    for label, name, key, want in TARGETS:
        got = _read(heldout.get(name, {}), key)
        if got is None:
            lines.append(f"| {label} | - | {want} | - |")
            continue
        gap = "met" if got >= want else f"{got - want:+.3f}"
        lines.append(f"| {label} | {got:.3f} | {want} | {gap} |")
    lines += [
        "",
        "F1 of the contradiction class, every held-out set:",
        "",
        "| set | n | F1 contradiction | macro-F1 |",
        "|---|---|---|---|",
    ]
    for name, m in heldout.items():
        f1c = m.get("per_class_f1", {}).get("contradiction")
        lines.append(
            f"| {name} | {m['n']} | {'-' if f1c is None else f'{f1c:.3f}'} | {m['macro_f1']:.3f} |"
        )
    return "\n".join(lines)
