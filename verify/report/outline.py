"""What the human-readable formats (Markdown, HTML) say, in order; each lays it out its own way.

Strings returned here are plain text: the format escapes them."""

from __future__ import annotations

from typing import Any

from verify.report.data import UNASSIGNED, latest_by_analyst


def filter_text(filters: dict[str, Any]) -> str:
    parts = []
    if filters["topic"] is not None:
        parts.append(f"topic {filters['topic']}")
    if filters["min_confidence"]:
        parts.append(f"confidence ≥ {filters['min_confidence']:.2f}")
    if filters["label"]:
        parts.append(f"verdict {filters['label']}")
    if filters["tagged_only"]:
        parts.append("tagged pairs only")
    if filters.get("min_checkworthy") is not None:
        parts.append(f"claims with check-worthiness ≥ {filters['min_checkworthy']:.2f}")
    return ", ".join(parts) or "none (every scored pair)"


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def _pairs_text(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    implied = s.get("pairs_implied", 0)
    text = f"{s['pairs'] - implied} of {s['pairs_scored']} scored pairs"
    if implied:
        text += f", and {implied} known only through propositions"
    if s.get("implied_left_out"):
        text += (
            f" (each proposition implies at most its {s['implied_cap']} likeliest "
            f"contradictions; {s['implied_left_out']} more readings exist)"
        )
    if s.get("pairs_left_out"):
        text += (
            f"; {s['pairs_listed']} listed, {s['pairs_left_out']} left out "
            f"(at most {doc['filters']['per_topic']} per topic; export --all lists every pair)"
        )
    return text


def left_out_text(doc: dict[str, Any], topic: dict[str, Any], listed: int) -> str:
    """The note under a capped topic's pairs (how many were left out), or "" for a full one."""
    if topic["id"] is None:  # not in doc["topics"]: what the topics did not leave out
        n = doc["summary"].get("pairs_left_out", 0) - sum(
            t.get("pairs_left_out", 0) for t in doc["topics"]
        )
    else:
        n = topic.get("pairs_left_out", 0)
    if not n:
        return ""
    return (
        f"Showing the {listed} highest-ranked of {listed + n} pairs "
        f"({n} left out; export --all lists them)."
    )


def summary_items(doc: dict[str, Any]) -> list[tuple[str, str]]:
    s = doc["summary"]
    tagged = f"{s['tagged_pairs']} of {s['pairs']} pairs"
    if s["analysts"]:
        tagged += f", by {_counts(s['analysts'])} (labels: {_counts(s['tag_labels'])})"
    return [
        ("Articles", f"{s['articles']} ({s['dated_articles']} dated)"),
        ("Outlets", str(s["outlets"])),
        ("Claims", str(s["claims"])),
        ("Speakers", str(s["speakers"])),
        ("Sides", f"{len(s['sides'])} (claims: {_counts(s['sides'])})"),
        ("Topics", str(s["topics"])),
        *(
            [
                (
                    "Propositions",
                    f"{s['propositions']} ({s['proposition_disputes']} disputed; "
                    f"{s.get('analyst_propositions', 0)} from analysts)",
                )
            ]
            if "propositions" in s
            else []
        ),
        ("Pairs in this report", _pairs_text(doc)),
        (
            "Contradictions found",
            f"{s['contradictions']} (verdict: analysts' where tagged, else the model's; "
            f"the model alone says {s['model_contradictions']})",
        ),
        ("Tagged by analysts", tagged),
        *(
            [
                (
                    "Hidden as not check-worthy",
                    f"{s['hidden_below_checkworthy']} claims (and their pairs)",
                )
            ]
            if s.get("hidden_below_checkworthy")
            else []
        ),
    ]


def sections(doc: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(topic, its pairs) with pairs, hottest dispute first; pairs without a topic come last."""
    topics = {t["id"]: t for t in doc["topics"]}
    grouped: dict[int | None, list[dict[str, Any]]] = {}
    for p in doc["pairs"]:
        grouped.setdefault(p["topic"]["id"], []).append(p)
    out = []
    for tid, pairs in grouped.items():
        topic = topics.get(tid) if tid is not None else None
        if topic is None:
            topic = {"id": tid, "title": pairs[0]["topic"]["title"] or UNASSIGNED}
        out.append((topic, pairs))

    def heat(item: tuple[dict[str, Any], list[dict[str, Any]]]) -> tuple[bool, int, float]:
        topic, pairs = item
        n = sum(p["verdict"] == "contradiction" for p in pairs)
        return (topic["id"] is None, -n, -max(p["confidence"] for p in pairs))

    return sorted(out, key=heat)


def who(claim: dict[str, Any]) -> str:
    return claim["actor"] or claim["speaker"] or "?"


def relay(claim: dict[str, Any]) -> str:
    return " → ".join(claim["relay"])


def shown_tags(pair: dict[str, Any]) -> list[dict[str, Any]]:
    """Each analyst's latest tag: an analyst who changed their mind is shown once."""
    return list(latest_by_analyst(pair["tags"]).values())


def tag_parts(tag: dict[str, Any], history: list[dict[str, Any]]) -> tuple[str, str]:
    """("ana: contradiction (was agreement) — note", "2022-02-16") for one shown tag."""
    earlier = [t["label"] for t in history if t["analyst"] == tag["analyst"] and t is not tag]
    note = f" — {tag['note']}" if tag["note"] else ""
    was = f" (was {earlier[-1]})" if earlier and earlier[-1] != tag["label"] else ""
    return f"{tag['analyst']}: {tag['label']}{was}{note}", tag["at"][:10]


def tag_text(tag: dict[str, Any], history: list[dict[str, Any]]) -> str:
    text, day = tag_parts(tag, history)
    return f"{text} ({day})"


# -- propositions -------------------------------------------------------------------------------

GROUP_NAMES = {"supporters": "Supports", "refuters": "Refutes"}


def origin_text(prop: dict[str, Any]) -> str:
    if prop["origin"] == "engine":
        return f"proposed by the engine from claim {prop['anchor']}"
    verb = "pinned" if prop["pinned"] else "typed"
    return f"{verb} by analyst {prop['analyst'] or '?'}"


def proposition_heading(prop: dict[str, Any], rank: int | None = None) -> str:
    """ "2. Dispute (P7) · topic 3: title" (plain text) above a proposition: numbered by its
    ``rank`` in the report (most contested first), its id in brackets for the CLI."""
    kind = "Dispute" if prop["is_dispute"] else "Proposition"
    t = prop["topic"]
    where = "no topic" if t["id"] is None else f"topic {t['id']}: {t['title'] or UNASSIGNED}"
    number = "" if rank is None else f"{rank}. "
    return f"{number}{kind} (P{prop['id']}) · {where}"


def by_side(stances: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The listed claims grouped by their side (camp), largest group first, each group in
    the order given (most confident first)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in stances:
        groups.setdefault(s["claim"]["side"], []).append(s)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def stance_text(s: dict[str, Any]) -> str:
    """ "0.87 (model)" or "supports (analysts)": how sure, and whose reading."""
    if s["tagged"]:
        return f"{s['stance']} (analysts)"
    return f"{s['confidence']:.2f} (model)"


def stance_tags(s: dict[str, Any]) -> list[str]:
    """Each analyst's latest stance tag on this claim, as "ana: refutes (was supports) — note (day)"."""
    return [tag_text(t, s["tags"]) for t in latest_by_analyst(s["tags"]).values()]


def more_text(prop: dict[str, Any], group: str) -> str:
    """ "3 more supporting claims (Russia 2, unknown 1) …" under a capped group, or ""."""
    n = prop["left_out"][group]
    if not n:
        return ""
    listed: dict[str, int] = {}
    for s in prop[group]:
        listed[s["claim"]["side"]] = listed.get(s["claim"]["side"], 0) + 1
    rest = {k: v - listed.get(k, 0) for k, v in prop["sides"][group].items()}
    sides = ", ".join(f"{k} {v}" for k, v in rest.items() if v)
    word = "supporting" if group == "supporters" else "refuting"
    return f"{n} more {word} claim(s) ({sides}); export --all lists them."


def others_text(prop: dict[str, Any]) -> str:
    n = prop["counts"]["others"]
    if not n:
        return ""
    return (
        f"{n} other claim(s) read against it neither support nor refute it clearly "
        "(they discuss it, are unrelated, or lean too weakly); the JSON and CSV list them."
    )
