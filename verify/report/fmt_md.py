"""Markdown: the HTML report's content, with its pictures as SVG files linked beside it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from verify.report.charts import Figure
from verify.report.escape import md, md_url, safe_url
from verify.report.outline import (
    GROUP_NAMES,
    by_side,
    filter_text,
    left_out_text,
    more_text,
    origin_text,
    others_text,
    proposition_heading,
    relay,
    sections,
    shown_tags,
    stance_tags,
    stance_text,
    summary_items,
    tag_text,
    who,
)


def _where(c: dict[str, Any], articles: dict[int, dict[str, Any]]) -> str:
    """The claim's outlet, a link where its article has an http(s) url."""
    art = articles.get(c["article_id"], {})
    url = safe_url(art.get("url"))
    name = c["outlet"] or (urlsplit(url).hostname if url else "") or f"article {c['article_id']}"
    return f"[{md(name)}]({md_url(url)})" if url else md(name)


def _claim_cell(c: dict[str, Any], articles: dict[int, dict[str, Any]]) -> str:
    art = articles.get(c["article_id"], {})
    where = _where(c, articles)
    bits = [f"**{md(who(c))}** ({md(c['side'])})"]
    if c["relay"]:
        bits.append(f"via {md(relay(c))}")
    bits.append(f"· {where}")
    if art.get("date"):
        bits.append(f"· {md(art['date'])}")
    return " ".join(bits) + f": {md(c['sentence'])}"


def _pair_row(p: dict[str, Any], articles: dict[int, dict[str, Any]]) -> str:
    verdict = p["verdict"] + (" (analysts)" if p["verdict_by"] == "analysts" else "")
    tags = "<br>".join(md(tag_text(t, p["tags"])) for t in shown_tags(p)) or "—"
    pair_id = "—" if p["id"] is None else p["id"]  # None: implied by a proposition only
    return (
        f"| {pair_id} | {p['confidence']:.2f} | {md(verdict)} | {_claim_cell(p['a'], articles)} "
        f"| {_claim_cell(p['b'], articles)} | {tags} |"
    )


def _stance_row(s: dict[str, Any], articles: dict[int, dict[str, Any]]) -> str:
    c = s["claim"]
    tags = "<br>".join(md(t) for t in stance_tags(s)) or "—"
    said = f" (as written: {md(c['speaker'])})" if c["speaker"] and c["speaker"] != who(c) else ""
    return (
        f"| {md(c['side'])} | **{md(who(c))}**{said} | {md(relay(c)) or '—'} | {_where(c, articles)} "
        f"| {md(c['sentence'])} | {md(stance_text(s))} | {tags} |"
    )


def _propositions(doc: dict[str, Any], articles: dict[int, dict[str, Any]]) -> list[str]:
    """The report's lead: each proposition that claims take sides on, then the others."""
    props = doc.get("propositions", [])
    s = doc["summary"]
    lines = ["## Propositions", ""]
    if not props:
        return [*lines, "No proposition in this report (run `counterclaim run`).", ""]
    lines += [
        f"{s['propositions']} proposition(s), {s['proposition_disputes']} disputed "
        "(supporting and refuting claims from different sources); disputes first, most "
        "contested first. Stance: the model's probability, or the analysts' agreed tag.",
        "",
    ]
    sided = [p for p in props if p["counts"]["supporters"] or p["counts"]["refuters"]]
    for rank, p in enumerate(sided, 1):
        lines += [f"### {md(proposition_heading(p, rank))}", "", f"> {md(p['text'])}", ""]
        lines += [f"{md(origin_text(p))} · contested {p['contested']:.2f}", ""]
        for group, name in GROUP_NAMES.items():
            lines += [f"**{name}** ({p['counts'][group]})", ""]
            if not p[group]:
                lines += ["No claim.", ""]
                continue
            lines += [
                "| Side | Speaker | Relay | Outlet | Sentence | Stance | Analyst tags |",
                "|---|---|---|---|---|---|---|",
            ]
            lines += [_stance_row(x, articles) for _, xs in by_side(p[group]) for x in xs]
            lines.append("")
            if note := more_text(p, group):
                lines += [md(note), ""]
        if note := others_text(p):
            lines += [md(note), ""]
    rest = [p for p in props if p not in sided]
    if rest:
        lines += ["### Propositions no claim takes a side on", ""]
        lines += [f"- {md(proposition_heading(p))}: {md(p['text'])}" for p in rest]
        lines.append("")
    return lines


def to_markdown(doc: dict[str, Any], figures: list[Figure], assets: str) -> str:
    """``assets``: the folder (relative to the Markdown file) holding the figures' SVG files."""
    articles = {a["id"]: a for a in doc["articles"]}
    lines = [
        "# Contradiction report",
        "",
        f"Generated {doc['generated_at']} by {doc['generator']} · stance model "
        f"`{md(doc['models']['stance'] or 'none')}` · embeddings `{md(doc['models']['embedding'] or 'none')}`",
        "",
        f"Filters: {md(filter_text(doc['filters']))}",
        "",
        "## Summary",
        "",
    ]
    lines += [f"- **{name}**: {md(value)}" for name, value in summary_items(doc)]
    lines.append("")
    lines += _propositions(doc, articles)
    lines += ["## Pictures", ""]
    for fig in figures:
        lines += [f"### {md(fig.title)}", ""]
        if fig.svg is not None:
            lines += [f"![{md(fig.title)}]({md_url(f'{assets}/{fig.key}.svg')})", ""]
        lines += [md(fig.caption), ""]
    lines += [
        "## Topics",
        "",
        "| Topic | Title | Claims | Pairs | Contradictions | Max conf. |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for t in doc["topics"]:
        top = "—" if t["max_confidence"] is None else f"{t['max_confidence']:.2f}"
        lines.append(
            f"| {t['id']} | {md(t['title'])} | {t['claims']} | {t['pairs']} "
            f"| {t['contradictions']} | {top} |"
        )
    lines.append("")
    for topic, pairs in sections(doc):
        label = "No topic" if topic["id"] is None else f"Topic {topic['id']}"
        lines += [
            f"## {label}: {md(topic['title'])}",
            "",
            "| Pair | Conf. | Verdict | Claim | Counterclaim | Analyst tags |",
            "|---:|---:|---|---|---|---|",
        ]
        lines += [_pair_row(p, articles) for p in pairs]
        lines.append("")
        if note := left_out_text(doc, topic, len(pairs)):
            lines += [md(note), ""]
    if not doc["pairs"]:
        lines += ["No pair matches these filters.", ""]
    lines += ["## Articles", "", "| # | Title | Outlet | Date | URL |", "|---:|---|---|---|---|"]
    for a in doc["articles"]:
        url = safe_url(a["url"])
        shown = f"[{md(url)}]({md_url(url)})" if url else md(a["url"])
        lines.append(
            f"| {a['id']} | {md(a['title'] or a['source'])} | {md(a['outlet'])} "
            f"| {md(a['date'])} | {shown} |"
        )
    return "\n".join(lines) + "\n"
