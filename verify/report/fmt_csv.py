"""CSV: one row per pair, for spreadsheets (every cell guarded against formula injection)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..labels import STANCE_LABELS
from .escape import clean, csv_cell

# The first 23 columns are those of the earlier export, in the same order; new ones follow
# (docs/report-schema.md lists them).
CSV_COLUMNS = (
    "pair_id", "label", "confidence",
    *(f"p_{label}" for label in STANCE_LABELS),
    "topic",
    "a_speaker", "a_actor", "a_side", "a_relay", "a_outlet", "a_article", "a_text",
    "b_speaker", "b_actor", "b_side", "b_relay", "b_outlet", "b_article", "b_text",
    "tags",
    "topic_id", "verdict", "verdict_by",
    "a_date", "a_url", "a_sentence", "b_date", "b_url", "b_sentence",
    "a_id", "b_id", "a_checkworthy", "b_checkworthy", "a_path", "b_path", "tag_notes", "tag_times",
)  # fmt: skip


def _score(x: float | None) -> float | str:
    return "" if x is None else round(x, 4)


def to_csv(doc: dict[str, Any]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for p in doc["pairs"]:
        row: list[Any] = [p["id"], p["label"], round(p["confidence"], 4)]
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
