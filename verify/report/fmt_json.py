"""The report document as JSON (schema: docs/report-schema.md)."""

from __future__ import annotations

import json
from typing import Any

from verify.report.prop_data import GROUPS

# Internal keys the document carries for the pictures; not part of the published schema. A
# claim's ``article`` (its source) is its article's, in ``articles[]`` (``article_id``).
_PRIVATE = ("text_hash", "article")
#: Decimals of the probabilities and scores written: the board shows two.
DECIMALS = 4


def dumps(obj: Any) -> str:
    """Compact JSON that is also safe to paste inside an HTML <script> block: < > & written as
    \\u escapes. No indentation: at 10,000 articles it was a third of the file."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """The published document (schema 2): each claim once, in ``claims[]``; pairs and stances
    name theirs by id (embedded, the same claim objects were 60% of a 10,000-article export).
    A claim a listed pair or stance names outside the report's scope (``--topic``) is added."""

    def strip(c: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in c.items() if k not in _PRIVATE}
        if isinstance(out.get("checkworthy"), float):
            out["checkworthy"] = round(out["checkworthy"], DECIMALS)
        return out

    def pair(p: dict[str, Any]) -> dict[str, Any]:
        probs = {k: round(float(v), DECIMALS) for k, v in p["probs"].items()}
        return {**p, "confidence": round(float(p["confidence"]), DECIMALS), "probs": probs}

    claims = {c["id"]: strip(c) for c in doc["claims"]}

    def ref(c: dict[str, Any]) -> int:
        claims.setdefault(c["id"], strip(c))
        return int(c["id"])

    out = dict(doc)
    out["pairs"] = [{**pair(p), "a": ref(p["a"]), "b": ref(p["b"])} for p in doc["pairs"]]
    out["propositions"] = [
        {**q, **{g: [{**s, "claim": ref(s["claim"])} for s in q[g]] for g in GROUPS}}
        for q in doc.get("propositions", [])
    ]
    out["claims"] = [claims[i] for i in sorted(claims)]
    return out


def to_json(doc: dict[str, Any]) -> str:
    return dumps(public(doc))
