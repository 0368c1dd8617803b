"""The relatedness stage's model card (``RELATEDNESS.md`` beside the cross-encoder), written from
``relatedness_metrics.json`` by ``train_relatedness`` so its figures are the run's own."""

from __future__ import annotations

from pathlib import Path

from verify.atomic import write_text

CARD = "RELATEDNESS.md"

HEAD = """# Model card: the relatedness stage (stance model 3's gate)

- **version**: `{version}` over the cross-encoder `{cross_version}`; scope **{scope}**
- **what**: a logistic regression over cheap features (bi-encoder cosine and its square, word
  Jaccard and containment, shared and unshared capitalised names, shared and clashing numbers,
  length ratio) and the cross-encoder's own log masses (related, neutral, unrelated), standardised;
  C = {C_full} chosen on dev by log-loss. The decision rule (`stance/relatedness.combine`):
  P(contradiction) = P(related) x P(stance | related) x P(contradiction | stance), where the
  stance share and the polarity come from the cross-encoder (polarity recalibrated on related
  pairs: slope {slope:.3f}, offset {offset:.3f}). Scope *story* (FNC-1's relatedness): related is
  contradiction, agreement or neutral; unrelated = 1 - P(related). Scope *fact* (the first try):
  related is contradiction or agreement.
- **why**: the engine asks about nearest neighbours; 47% of its candidate pairs on the Emergent
  corpus join different stories (16,944 pairs, `bench/bench_propositions_e2e.py --split all`), and
  the cross-encoder, trained on random unrelated pairs, read them as contradictions.
- **screen**: the same regression over the cheap features alone (C = {C_screen}); threshold
  {threshold} keeps 97% of dev's related pairs and passes {passes:.0%} of dev pairs (for the scale
  issue: pairs under it need no cross-encoder read).
- **files**: `relatedness.json` (the model), `relatedness_public.npz` (the fit and dev rows'
  features: the anchor a retrain from tags refits with, `training/tag_fit.py`),
  `relatedness_metrics.json`.
- **reproduce**: `{command}` (minutes: every pair is read once by the cross-encoder, cached per
  text under the cache root).

## Data

{n_fit} fit, {n_dev} dev, {n_test} test pairs, split by group (`data.split_role`: Emergent claim,
FNC-1 body, NLI premise component), so no story, body or premise is on two sides. Per set:

{sets}

Hard negatives (`training/hard_negatives.py`): each Emergent headline and claim against its 3
nearest headlines of *other* stories, each fact-verification / debate / MultiNLI claim or evidence
against its 2 nearest of other groups, mined with the engine's own candidate generator
(`pairs.neighbour_lists`, the group standing in for the source), within one split role, cosine in
[0.25, 0.9) (nearer pairs across groups are more often duplicates). FNC-1 bodies are read as the
one sentence sharing most words with the headline (`relatedness_data.LexicalSelector`): the engine
pairs a headline with single claims, not with a body.

## Figures (cross-encoder alone -> gated), per set

`auc` relatedness ROC-AUC (where both kinds exist); `F1 c` F1 of contradiction (argmax);
`macro` macro-F1 over the labels present; `false c` share of non-stance pairs (neutral or
unrelated) read as contradiction.

{tables}
"""


def _table(rows: dict) -> str:
    out = ["| set | n | auc | F1 c | macro | false c |", "|---|---|---|---|---|---|"]
    for name, r in rows.items():
        auc = r.get("auc_related", "-")
        fc = (
            f"{r['false_contra_cross']:.3f} -> {r['false_contra_gated']:.3f}"
            if "false_contra_cross" in r
            else "-"
        )
        out.append(
            f"| {name} | {r['n']} | {auc} | {r['f1_contra_cross']:.3f} -> {r['f1_contra_gated']:.3f}"
            f" | {r['macro_f1_cross']:.3f} -> {r['macro_f1_gated']:.3f} | {fc} |"
        )
    return "\n".join(out)


def write(folder: Path, m: dict) -> Path:
    sets = ", ".join(f"{k} {v}" for k, v in m["sets"].items())
    tables = "\n\n".join(
        f"### {split} ({'tuned on' if split == 'dev' else 'held out, looked at once'})\n\n"
        + _table(m[split])
        for split in ("dev", "test")
    )
    text = HEAD.format(
        version=m["version"],
        cross_version=m["cross_version"],
        scope=m.get("scope", "fact"),
        C_full=m["C"]["full"],
        C_screen=m["C"]["screen"],
        slope=m["polarity"]["slope"],
        offset=m["polarity"]["offset"],
        threshold=m["screen_threshold"],
        passes=m["screen_pass_dev"],
        command=m["command"],
        n_fit=m["n"]["fit"],
        n_dev=m["n"]["dev"],
        n_test=m["n"]["test"],
        sets=sets,
        tables=tables,
    )
    return write_text(folder / CARD, text)
