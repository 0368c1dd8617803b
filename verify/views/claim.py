"""The JSON shape of one claim (`claims --json`, and each claim inside `disputes --json`, the
board and the reports), from a store row with the analysts' corrections laid over. Below the
views and the rankings that both build on it."""

from __future__ import annotations

import json
from typing import Any, Protocol

from verify.registry.actors import UNKNOWN_SIDE, own_relay

CLAIM_KEYS = (
    "id",
    "article",
    "outlet",
    "sentence",
    "text",
    "speaker",
    "cue",
    "relay",
    "actor",
    "side",
    "start",
    "end",
    "topic",
    "copies",
    "language",
)


class Row(Protocol):
    """A store row (``sqlite3.Row``) or a corrected one (a dict): read by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


def claim_view(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "article": row["article_source"],
        "outlet": row["outlet"] or "",
        "sentence": row["sentence"],
        "text": row["text"],
        "speaker": row["speaker"],
        "cue": row["cue"],
        "relay": own_relay(row["speaker"], row["actor"], json.loads(row["relay"])),
        "actor": row["actor"] or row["speaker"],
        "side": row["side"] or UNKNOWN_SIDE,
        "start": row["start"],
        "end": row["end"],
        "topic": row["topic_id"],
        "copies": row["copies"],  # how many more times its source said it (``steps.dedup``)
        "language": _language(row),
    }


def _language(row: Row) -> str:
    """The claim's language code (an analyst's correction laid over); English for rows stored
    before languages were."""
    try:
        return row["language"] or "en"
    except (KeyError, IndexError):
        return "en"
