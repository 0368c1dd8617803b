"""The seed gold check: a trained stance model scored on the gold seed pairs, each ranked among
all cross-source seed claim pairs. A check of a model, never training data.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from verify.labels import STANCE_LABELS
from verify.stance.base import StanceModel

#: Claim texts as the pipeline builds them from the seed articles: the sentence holding the gold
#: ``contains`` substring, attribution phrase removed. (key = ``contains``, source, text). Used
#: only to check a trained model against ``shared/gold/seeds_pairs.jsonl``: never training data.
SEED_CLAIMS: tuple[tuple[str, str, str], ...] = (
    (
        "continue to support stable gas supplies to Italy",
        "Putin",
        "In the phone call with Prime Minister Draghi, Moscow’s intention to “continue to support "
        "stable gas supplies to Italy”",
    ),
    (
        "eventually find this solution",
        "Putin",
        "“I hope that we will eventually find this solution, even if it will not be easy,”",
    ),
    (
        "ignored fundamental questions",
        "Putin",
        "In their replies, the US “ignored fundamental questions” about the security guarantees "
        "demanded by Russia.",
    ),
    (
        "We will not back down",
        "Russian embassy",
        "“We will not back down and stand at attention, listening to the threats of US sanctions,”",
    ),
    (
        "it is Washington, not Moscow, that is generating tension",
        "Russian embassy",
        "“it is Washington, not Moscow, that is generating tension”",
    ),
    (
        "a political, humanitarian and military disaster",
        "Johnson",
        "An attack by Russia on Ukraine would be “a political, humanitarian and military disaster”.",
    ),
    (
        "clear and present danger",
        "Johnson",
        "The presence of Russian troops near Ukraine is a “clear and present danger”.",
    ),
    (
        "consistent with an upcoming military campaign",
        "Johnson",
        "“We see a large number of troops massed, we see preparations for all kinds of operations "
        "consistent with an upcoming military campaign,”",
    ),
    (
        "to pursue the diplomatic path",
        "Blinken",
        "Moscow “to pursue the diplomatic path”, calling for “an immediate Russian de-escalation and "
        "the withdrawal of troops and military equipment from Ukrainian borders.",
    ),
    (
        "gave no indication",
        "US sources",
        "Serghei Lavrov “gave no indication” of upcoming plans for a de-escalation in Ukraine.",
    ),
    ("are by no means exhausted", "Scholz", "the ways of diplomacy “are by no means exhausted”."),
    (
        "movement of Russian troops on the borders as a threat",
        "Scholz",
        "“I reiterated that we perceive the movement of Russian troops on the borders as a threat”.",
    ),
    ("Germany is a key partner of Russia", "Putin", "“Germany is a key partner of Russia”."),
    (
        "what is happening in Donbass is genocide",
        "Putin",
        "“Our view is that what is happening in Donbass is genocide”.",
    ),
    (
        "An attack on Ukraine is always possible",
        "Biden",
        "An attack on Ukraine is always possible”.",
    ),
    (
        "has not yet verified",
        "Biden",
        "The United States “has not yet verified at this stage” the effective withdrawal of the "
        "Russians from the Ukrainian border.",
    ),
    ("We do not want to destabilize Russia", "Biden", "“We do not want to destabilize Russia”"),
    (
        "does not depend on Western hysteria",
        "Lavrov",
        "The withdrawal “was planned,” and “does not depend on Western hysteria”.",
    ),
    (
        "media terrorism",
        "Lavrov",
        "The news spread by the West about a Russian invasion of Ukraine is “media terrorism,”",
    ),
    (
        "failure of the war propaganda by the West",
        "Zakharova",
        "“The date of February 15, 2022 will go down in history as the day of the failure of the "
        "war propaganda by the West.",
    ),
    (
        "prevented the Russian",
        "Kuleba",
        "“Ukraine and Western countries have prevented the Russian ‘escalation'”",
    ),
    (
        "massing of Russian troops and military devices on the border with Ukraine is continuing",
        "CNN",
        "contrary to what was announced by Moscow, the massing of Russian troops and military "
        "devices on the border with Ukraine is continuing",
    ),
    (
        "no evidence of a withdrawal of Russian troops",
        "Bellingcat",
        "As part of a joint monitoring task force of Russian troop movements together with CITeam "
        "and The Insider, so far we see no evidence of a withdrawal of Russian troops from the "
        "Ukrainian border",
    ),
    (
        "says nothing about the troops in the Kursk, Belgorod and Bryansk regions",
        "Bellingcat",
        "the text “says nothing about the troops in the Kursk, Belgorod and Bryansk regions”, on the "
        "Ukrainian border.",
    ),
    (
        "withdrawal of troops deployed on the border",
        "Russian Defense Ministry",
        "the start of the withdrawal of troops deployed on the border with Ukrainewhich would have "
        "“completed” the maneuvers in the area",
    ),
    (
        "returning to their original bases",
        "Russian Defense Ministry",
        "the videos of the armored vehicles returning to their original bases once the exercises "
        "are over.",
    ),
    (
        "tanks moving near the village of Sereteno",
        "CNN",
        "Another footage, posted on social media on Sunday, shows tanks moving near the village of "
        "Sereteno, about 15 miles from the Ukrainian border.",
    ),
    (
        "still moving in the same direction",
        "Bellingcat",
        "This may change in the next few hours or days, but for the moment the aggregate data from "
        "our CITeam colleagues show that various convoys that were moving towards the Ukrainian "
        "border are still moving in the same direction",
    ),
    (
        "immediate Russian de-escalation",
        "Blinken",
        "Moscow “to pursue the diplomatic path”, calling for “an immediate Russian de-escalation and "
        "the withdrawal of troops and military equipment from Ukrainian borders.",
    ),
    (
        "de-escalation of tensions",
        "Draghi",
        "President Draghi underlined the importance of working towards a de-escalation of tensions "
        "in the light of the serious consequences that a worsening of the crisis would have.",
    ),
)


def default_gold_path() -> Path:
    return Path(__file__).resolve().parents[3].parent / "shared" / "gold" / "seeds_pairs.jsonl"


def seed_claim_text(contains: str) -> str:
    """The seed claim text holding the gold ``contains`` substring."""
    for _, _, text in SEED_CLAIMS:
        if contains in text:
            return text
    raise KeyError(contains)


def seed_gold_check(model: StanceModel, gold_path: Path | None = None, top: int = 15) -> dict:
    """Score the gold seed pairs and rank them among all cross-source seed claim pairs.

    Returns per-pair probabilities, the argmax, and the rank of each gold pair by
    P(contradiction) among the candidate pairs (claims from different sources).
    """
    path = Path(gold_path or default_gold_path())
    if not path.exists():
        return {"skipped": f"{path} not found"}
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    a = [seed_claim_text(g["a"]["contains"]) for g in gold]
    b = [seed_claim_text(g["b"]["contains"]) for g in gold]
    proba = model.predict_proba(a, b)
    # Distinct texts only (two keys share the Blinken sentence).
    claims = list({text: src for _, src, text in SEED_CLAIMS}.items())
    cand = [(x, y) for i, (x, sx) in enumerate(claims) for y, sy in claims[i + 1 :] if sx != sy]
    cand_p = model.predict_proba([x for x, _ in cand], [y for _, y in cand])[:, 0]
    pairs = {}
    for g, p, x, y in zip(gold, proba, a, b, strict=True):
        pc = float(p[0])
        pairs[g["id"]] = {
            "gold": g["relation"],
            "argmax": STANCE_LABELS[int(p.argmax())],
            "proba": {lab: round(float(q), 4) for lab, q in zip(STANCE_LABELS, p, strict=True)},
            "rank": int(1 + (cand_p > pc + 1e-12).sum())
            if (x, y) in cand or (y, x) in cand
            else None,
        }
    contra = [k for k, v in pairs.items() if v["gold"] == "contradiction"]
    other = [k for k, v in pairs.items() if v["gold"] != "contradiction"]
    summary = {
        "contradictions_argmax": sum(pairs[k]["argmax"] == "contradiction" for k in contra),
        "contradictions_total": len(contra),
        "non_contradictions_argmax_contradiction": [
            k for k in other if pairs[k]["argmax"] == "contradiction"
        ],
        f"contradictions_in_top{top}": sum((pairs[k]["rank"] or 10**9) <= top for k in contra),
        "n_candidates": len(cand),
        "candidate_p_contradiction_median": float(np.median(cand_p)),
    }
    return {"summary": summary, "pairs": pairs}


def print_seeds(result: dict) -> None:
    if "summary" not in result:
        print(result)
        return
    for pid, p in result["pairs"].items():
        probs = " ".join(f"{c[:6]}={p['proba'][c]:.3f}" for c in STANCE_LABELS)
        print(f"{pid} gold={p['gold']:13s} argmax={p['argmax']:13s} {probs} rank={p['rank']}")
    print(json.dumps(result["summary"], indent=2))
