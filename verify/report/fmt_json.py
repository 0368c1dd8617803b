"""The report document as JSON (schema: docs/report-schema.md)."""

from __future__ import annotations

import json
from typing import Any

from verify.report.prop_data import GROUPS

# Internal keys the document carries for the pictures; not part of the published schema.
_PRIVATE = ("text_hash",)


def dumps(obj: Any) -> str:
    """JSON that is also safe to paste inside an HTML <script> block: < > & written as \\u escapes."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def public(doc: dict[str, Any]) -> dict[str, Any]:
    def strip(c: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in c.items() if k not in _PRIVATE}

    out = dict(doc)
    out["claims"] = [strip(c) for c in doc["claims"]]
    out["pairs"] = [{**p, "a": strip(p["a"]), "b": strip(p["b"])} for p in doc["pairs"]]
    out["propositions"] = [
        {**q, **{g: [{**s, "claim": strip(s["claim"])} for s in q[g]] for g in GROUPS}}
        for q in doc.get("propositions", [])
    ]
    return out


def to_json(doc: dict[str, Any]) -> str:
    return dumps(public(doc))
