"""Contradiction reports: Markdown, JSON and CSV (HTML and ClaimReview come later)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from . import __version__
from .store import Store
from .views import claims, disputes

FORMATS = ("md", "json", "csv")
REPORT_SCHEMA_VERSION = 1


def report_data(store: Store, min_confidence: float = 0.0) -> dict[str, Any]:
    pairs = [d for d in disputes(store) if d["confidence"] >= min_confidence]
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generator": f"counterclaim {__version__}",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stance_model": store.get_meta("stance_model"),
        "articles": [
            {k: a[k] for k in ("id", "source", "title", "outlet", "date", "url")}
            for a in store.articles()
        ],
        "topics": [{"id": t["id"], "title": t["title"]} for t in store.topics()],
        "claims": claims(store),
        "pairs": pairs,
    }


def _md_cell(text: str) -> str:
    """Article text inside a Markdown table: no pipes, no newlines, no raw HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
        .replace("\r", " ")
    )


def _who(c: dict[str, Any]) -> str:
    via = f" via {', '.join(c['relay'])}" if c["relay"] else ""
    return f"{c['actor'] or c['speaker'] or '?'} ({c['side']}){via}"


def to_markdown(data: dict[str, Any], top: int = 50) -> str:
    contra = [p for p in data["pairs"] if p["label"] == "contradiction"]
    lines = [
        "# Contradiction report",
        "",
        f"{len(data['articles'])} articles · {len(data['claims'])} claims · {len(data['topics'])} topics ·"
        f" {len(data['pairs'])} pairs scored · {len(contra)} labelled contradiction ·"
        f" model `{data['stance_model']}`",
        "",
        "| # | conf. | claim | counterclaim | topic | tags |",
        "|---|---|---|---|---|---|",
    ]
    for p in data["pairs"][:top]:
        tags = ", ".join(f"{t['analyst']}: {t['label']}" for t in p["tags"]) or "—"
        lines.append(
            f"| {p['id']} | {p['confidence']:.2f} {p['label']} "
            f"| **{_md_cell(_who(p['a']))}**: {_md_cell(p['a']['text'])} "
            f"| **{_md_cell(_who(p['b']))}**: {_md_cell(p['b']['text'])} "
            f"| {_md_cell(p['topic']['title'])} | {_md_cell(tags)} |"
        )
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "pair_id",
    "label",
    "confidence",
    "p_contradiction",
    "p_agreement",
    "p_neutral",
    "p_unrelated",
    "topic",
    "a_speaker",
    "a_actor",
    "a_side",
    "a_relay",
    "a_outlet",
    "a_article",
    "a_text",
    "b_speaker",
    "b_actor",
    "b_side",
    "b_relay",
    "b_outlet",
    "b_article",
    "b_text",
    "tags",
)


def _csv_safe(value: Any) -> Any:
    """Spreadsheets execute cells starting with = + - @: neutralise article text that does."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(data: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for p in data["pairs"]:
        row: list[Any] = [p["id"], p["label"], round(p["confidence"], 4)]
        row += [
            round(p["probs"][k], 4) for k in ("contradiction", "agreement", "neutral", "unrelated")
        ]
        row.append(p["topic"]["title"])
        for c in (p["a"], p["b"]):
            row += [
                c["speaker"],
                c["actor"],
                c["side"],
                "; ".join(c["relay"]),
                c["outlet"],
                c["article"],
                c["text"],
            ]
        row.append("; ".join(f"{t['analyst']}:{t['label']}" for t in p["tags"]))
        w.writerow([_csv_safe(v) for v in row])
    return buf.getvalue()


def render(store: Store, fmt: str, min_confidence: float = 0.0) -> str:
    data = report_data(store, min_confidence)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(data)
    if fmt == "md":
        return to_markdown(data)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
