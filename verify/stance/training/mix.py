"""Training data mixes: stance model 1's ``DEFAULT_MIX`` and stance model 2's ``MIX_V2``, and why.

Shares are of the *sampling* weight (``weighting.sample_weights``: each set gets its share, classes
are then partly rebalanced). Stage 2 continues from the shipped stance-cross weights, so the news
stance sets keep about 45% of the draws (they are what the engine scores; dropping them would
unlearn FNC-1/Emergent), and the new sets share the rest by how close they are to the engine's
job: claim verification against evidence (Climate-FEVER, HealthVer, COVID-Fact) and debate stance
(Perspectrum) are claims and counter-claims in prose; SNLI teaches negation and contradiction in
short sentences; adversarial NLI the hard cases; Breaking NLI one-word swaps (7,000 nearly
identical contradictions: easy to overfit, so a small share); SemEval scores a tweet against a
one-word target, the furthest from a proposition, so the smallest share. RTE is left out: its
``not_entailment`` is not a class we have.
"""

from __future__ import annotations

from verify.stance.training.nli import NONCOMMERCIAL

#: Share of the total training weight per dataset (a dataset not listed is not even loaded),
#: the cap on FNC-1/ARC "unrelated" rows, and the cap on derived pairs per Emergent claim.
#: "emergent-pairs" are headline-vs-headline pairs derived from Emergent (see
#: ``data.cross_stance_pairs``). Why this mix, and why ARC and ClaimDiff are left out by default:
#: MODEL_CARD.md, "Data mix".
DEFAULT_MIX: dict[str, dict] = {
    "fnc1": {"share": 0.20, "max_unrelated": 4000},
    "emergent": {"share": 0.20},
    "emergent-pairs": {"share": 0.40, "cap_per_claim": 60},
    "sick": {"share": 0.20},
}

#: Stance model 2 (``train_cross --mix v2``): news stance + NLI and claim-verification sets.
MIX_V2: dict[str, dict] = {
    "fnc1": {"share": 0.12, "max_unrelated": 4000},
    "emergent": {"share": 0.12},
    "emergent-pairs": {"share": 0.13, "cap_per_claim": 60},
    "sick": {"share": 0.08},
    "snli": {"share": 0.12},
    "breaking_nli": {"share": 0.03},
    "anli": {"share": 0.06},
    "perspectrum": {"share": 0.11},
    "covidfact": {"share": 0.06},
    "climate_fever": {"share": 0.07},
    "healthver": {"share": 0.05},
    "semeval2016_stance": {"share": 0.02},
}

#: Sets whose every label is order-free (both texts are claims of the same kind), so both orders
#: are trained for every row; elsewhere only contradiction and unrelated are swapped.
SYMMETRIC_SETS = frozenset({"emergent-pairs", "claimdiff"})


def without_noncommercial(mix: dict[str, dict]) -> dict[str, dict]:
    """The mix with every non-commercial set removed (``--no-noncommercial``)."""
    return {k: v for k, v in mix.items() if k not in NONCOMMERCIAL}


#: Stance model 3 (``train_cross --mix v3``): the pairs the engine scores. Mined hard negatives
#: (``hard_negatives``: each text's nearest neighbours from other stories, labelled unrelated)
#: take 14% of the draws, about a third of the Emergent part, as on the Emergent corpus, where
#: 47% of the engine's candidate pairs join different stories (``bench_propositions_e2e --split
#: all``: 16,944 pairs). FNC-1 bodies are read as one claim-shaped sentence
#: (``relatedness_data.LexicalSelector``), as the engine reads a body's claims. The second NLI
#: batch (``shared/data/nli2``) joins: MultiNLI dev, FEVER Symmetric, Fool Me Twice, RumourEval,
#: counterfactual SNLI, ConjNLI.
MIX_V3: dict[str, dict] = {
    "fnc1": {"share": 0.09, "cap": 12000},
    "emergent": {"share": 0.08, "cap": 3000},
    "emergent-pairs": {"share": 0.10, "cap": 8000},
    "emergent-hard": {"share": 0.08, "cap": 6000},
    "claims-hard": {"share": 0.06, "cap": 6000},
    "sick": {"share": 0.05, "cap": 10000},
    "snli": {"share": 0.07, "cap": 10000},
    "mnli_dev": {"share": 0.08, "cap": 20000},
    "anli": {"share": 0.04, "cap": 5000},
    "breaking_nli": {"share": 0.02, "cap": 3000},
    "perspectrum": {"share": 0.05, "cap": 8000},
    "covidfact": {"share": 0.03, "cap": 5000},
    "climate_fever": {"share": 0.03, "cap": 5000},
    "healthver": {"share": 0.03, "cap": 5000},
    "fever_symmetric": {"share": 0.03, "cap": 1000},
    "fool_me_twice": {"share": 0.03, "cap": 2000},
    "rumoureval2019": {"share": 0.03, "cap": 7000},
    "cad_snli": {"share": 0.02, "cap": 10000},
    "conjnli": {"share": 0.02, "cap": 16000},
}
