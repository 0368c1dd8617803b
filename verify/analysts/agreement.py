"""Inter-annotator agreement on the analysts' tags: Cohen's kappa for every two analysts and
Krippendorff's alpha (nominal) over all of them, overall and per label (that label against the
rest), plus how many pairs each analyst has tagged.

Only ordinary tags count (each analyst's latest on a pair); settling tags are a reviewer's
decision, not a vote, and undone tags are already gone. A statistic that is undefined (fewer than
two pairs tagged by two analysts, or every tag the same label) is ``None``, never a made-up 1.0."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from verify.analysts.review import TagFields, latest_by_analyst
from verify.labels import STANCE_LABELS

Units = dict[int, dict[str, str]]  # pair id -> analyst -> label


def units(tags: Iterable[Mapping[str, Any]]) -> Units:
    by_pair: dict[int, list[TagFields]] = {}
    for row in tags:
        by_pair.setdefault(row["pair_id"], []).append(TagFields(row))
    return {
        pid: {who: t.label for who, t in latest_by_analyst(ts).items()}
        for pid, ts in by_pair.items()
    }


def krippendorff_alpha(data: Sequence[Mapping[str, str]]) -> float | None:
    """Nominal alpha over units (coder -> value); units with one value are not pairable."""
    coincidence: defaultdict[tuple[str, str], float] = defaultdict(float)
    for unit in data:
        values = list(unit.values())
        m = len(values)
        if m < 2:
            continue
        for i, j in combinations(range(m), 2):
            coincidence[(values[i], values[j])] += 1 / (m - 1)
            coincidence[(values[j], values[i])] += 1 / (m - 1)
    totals: defaultdict[str, float] = defaultdict(float)
    for (c, _k), w in coincidence.items():
        totals[c] += w
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (c, k), w in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None  # every value the same: agreement is not measurable
    return 1 - (n - 1) * observed / expected


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[v] * cb[v] for v in set(ca) | set(cb)) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _binary(data: Units, label: str) -> list[dict[str, str]]:
    return [{w: str(v == label) for w, v in u.items()} for u in data.values()]


def agreement(tags: Iterable[Mapping[str, Any]], pair_ids: Iterable[int] | None = None) -> dict:
    """The whole picture, JSON-ready. ``pair_ids``: only these pairs (e.g. one topic)."""
    data = units(tags)
    if pair_ids is not None:
        keep = set(pair_ids)
        data = {p: u for p, u in data.items() if p in keep}
    return summarize(data)


def summarize(data: Units) -> dict:
    """Agreement over units (pair id -> analyst -> label)."""
    per_analyst = Counter(w for u in data.values() for w in u)
    shared = [u for u in data.values() if len(u) >= 2]
    pairwise = []
    for x, y in combinations(sorted(per_analyst), 2):
        both = [u for u in data.values() if x in u and y in u]
        pairwise.append(
            {
                "analysts": [x, y],
                "pairs": len(both),
                "kappa": cohen_kappa([u[x] for u in both], [u[y] for u in both]),
                "agreed": sum(u[x] == u[y] for u in both),
            }
        )
    two = len(per_analyst) == 2
    overall = pairwise[0]["kappa"] if two else krippendorff_alpha(shared)
    per_label: dict[str, float | None] = {}
    for label in STANCE_LABELS:
        binary = _binary({p: u for p, u in data.items() if len(u) >= 2}, label)
        if two:
            x, y = sorted(per_analyst)
            per_label[label] = cohen_kappa([u[x] for u in binary], [u[y] for u in binary])
        else:
            per_label[label] = krippendorff_alpha(binary)
    return {
        "method": "cohen_kappa" if two else "krippendorff_alpha",
        "analysts": dict(sorted(per_analyst.items())),
        "tagged_pairs": len(data),
        "shared_pairs": len(shared),
        "disagreements": sum(len(set(u.values())) > 1 for u in shared),
        "overall": overall,
        "per_label": per_label,
        "pairwise": pairwise,
    }


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def describe(result: dict) -> list[str]:
    """The same figures as plain lines, for the terminal and the board."""
    name = "Cohen's kappa" if result["method"] == "cohen_kappa" else "Krippendorff's alpha"
    n = result["disagreements"]
    lines = [
        f"{result['tagged_pairs']} pairs tagged, {result['shared_pairs']} by two or more analysts,"
        f" {n} disagreement{'' if n == 1 else 's'}",
        f"{name}: {_fmt(result['overall'])}"
        + (" (needs two analysts on the same pairs)" if result["overall"] is None else ""),
        "per label: " + ", ".join(f"{k} {_fmt(v)}" for k, v in result["per_label"].items()),
    ]
    for who, n in result["analysts"].items():
        lines.append(f"  {who}: {n} pair{'' if n == 1 else 's'} tagged")
    for p in result["pairwise"]:
        x, y = p["analysts"]
        lines.append(
            f"  {x} / {y}: {p['pairs']} shared, {p['agreed']} agreed, kappa {_fmt(p['kappa'])}"
        )
    return lines
