"""The board's data: the engine's board view (``verify.views.board``), read in a worker thread,
turned into the board's records (``tui.records``) with the table cells built ahead, so that the UI
thread does not build 20,000 of them when the board opens."""

from __future__ import annotations

from pathlib import Path

from tui.records import BoardData, PairItem, TagItem, claim_item, tag_item
from tui.render import claim_cell
from verify.views.board import BOARD_PAIRS, read_board


def load_board(
    db_path: str | Path, limit: int = BOARD_PAIRS, first_screen: bool = False
) -> BoardData:
    """Everything the board shows, in one read (on a large store, the ``limit`` most likely
    contradictions and every tagged pair, with their claims; a ``first_screen`` of a large
    store: the tagged pairs and the counts, ``more_coming`` set). Runs in a worker thread."""
    view = read_board(db_path, limit, first_screen)
    claims = {c["id"]: claim_item(c) for c in view.claims}
    tags: dict[int, list[TagItem]] = {}
    for record in view.tags:
        tags.setdefault(record["pair_id"], []).append(tag_item(record))
    pairs = [
        PairItem(
            p["id"],
            claims[p["a_id"]],
            claims[p["b_id"]],
            p["probs"],
            p["similarity"],
            tags.get(p["id"], []),
            p.get("reader", "english"),
        )
        for p in view.pairs
    ]
    cells = {p.id: (claim_cell(p.a), claim_cell(p.b)) for p in pairs}
    return BoardData(
        str(db_path),
        view.model,
        claims,
        pairs,
        view.topics,
        cells,
        view.max_tag_id,
        view.retracted,
        view.max_correction,
        view.totals,
        view.more_coming,
    )
