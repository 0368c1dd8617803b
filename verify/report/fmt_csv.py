"""CSV: one row per pair, for spreadsheets, and beside it one row per (proposition, claim)
(every cell guarded against formula injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from verify.labels import PROPOSITION_LABELS, STANCE_LABELS
from verify.report.escape import clean, csv_cell
from verify.report.prop_data import GROUPS

# The first 23 columns are those of the earlier export, in the same order; new ones follow
# (docs/report-schema.md lists them).
CSV_COLUMNS = (
    "pair_id",
    "label",
    "confidence",
    *(f"p_{label}" for label in STANCE_LABELS),
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
    "topic_id",
    "verdict",
    "verdict_by",
    "a_date",
    "a_url",
    "a_sentence",
    "b_date",
    "b_url",
    "b_sentence",
    "a_id",
    "b_id",
    "a_checkworthy",
    "b_checkworthy",
    "a_path",
    "b_path",
    "tag_notes",
    "tag_times",
)


def _score(x: float | None) -> float | str:
    return "" if x is None else round(x, 4)


def to_csv(doc: dict[str, Any]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for p in doc["pairs"]:
        # An empty pair_id: a pair known only through a shared proposition (never read alone).
        row: list[Any] = ["" if p["id"] is None else p["id"], p["label"], round(p["confidence"], 4)]
        row += [round(p["probs"][k], 4) for k in STANCE_LABELS]
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
        row += [p["topic"]["id"], p["verdict"], p["verdict_by"]]
        for c in (p["a"], p["b"]):
            art = articles.get(c["article_id"], {})
            row += [art.get("date", ""), art.get("url", ""), c["sentence"]]
        row += [p["a"]["id"], p["b"]["id"]]
        row += [_score(c.get("checkworthy")) for c in (p["a"], p["b"])]
        row += [articles.get(c["article_id"], {}).get("path", "") for c in (p["a"], p["b"])]
        # Same order as the "tags" column, so the i-th note and time belong to the i-th tag.
        row.append("; ".join(f"{t['analyst']}: {t['note']}" for t in p["tags"]))
        row.append("; ".join(f"{t['analyst']}: {t['at']}" for t in p["tags"]))
        w.writerow([csv_cell(clean(v)) if isinstance(v, str) else v for v in row])
    return buf.getvalue()


#: The second CSV file (``NAME.propositions.csv`` beside ``NAME.csv``): one row per listed
#: (proposition, claim), supporters first, then refuters, then the other claims read against it.
PROPOSITION_COLUMNS = (
    "proposition_id",
    "proposition",
    "origin",
    "proposed_by",
    "topic_id",
    "topic",
    "is_dispute",
    "contested",
    "group",
    "stance",
    "confidence",
    *(f"p_{label}" for label in PROPOSITION_LABELS),
    "stance_by",
    "claim_id",
    "speaker",
    "actor",
    "side",
    "relay",
    "outlet",
    "article",
    "path",
    "date",
    "url",
    "sentence",
    "text",
    "checkworthy",
    "tags",
    "tag_notes",
    "tag_times",
)


def propositions_csv(doc: dict[str, Any]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(PROPOSITION_COLUMNS)
    for q in doc.get("propositions", []):
        for group in GROUPS:
            for s in q[group]:
                c = s["claim"]
                art = articles.get(c["article_id"], {})
                row: list[Any] = [
                    q["id"],
                    q["text"],
                    q["origin"],
                    q["analyst"] or "",
                    q["topic"]["id"],
                    q["topic"]["title"],
                    int(q["is_dispute"]),
                    round(q["contested"], 4),
                    group,
                    s["stance"],
                    round(s["confidence"], 4),
                    *(round(s["probs"][k], 4) for k in PROPOSITION_LABELS),
                    "analysts" if s["tagged"] else "model",
                    c["id"],
                    c["speaker"],
                    c["actor"],
                    c["side"],
                    "; ".join(c["relay"]),
                    c["outlet"],
                    c["article"],
                    art.get("path", ""),
                    art.get("date", ""),
                    art.get("url", ""),
                    c["sentence"],
                    c["text"],
                    _score(c.get("checkworthy")),
                    "; ".join(f"{t['analyst']}:{t['label']}" for t in s["tags"]),
                    "; ".join(f"{t['analyst']}: {t['note']}" for t in s["tags"]),
                    "; ".join(f"{t['analyst']}: {t['at']}" for t in s["tags"]),
                ]
                w.writerow([csv_cell(clean(v)) if isinstance(v, str) else v for v in row])
    return buf.getvalue()


def propositions_path(target: Path) -> Path:
    """``report.csv`` -> ``report.propositions.csv`` (beside it)."""
    return target.with_name(f"{target.stem}.propositions.csv")
