"""Rich ``Text`` builders for the board: every value from an article is inserted literally."""

from __future__ import annotations

from rich.text import Text

from tui.records import ClaimItem, PairItem
from tui.text import one_line, safe
from verify.analysts.review import CONFLICT, SETTLED, TAGGED
from verify.labels import STANCE_LABELS

LABEL_STYLE = {
    "contradiction": "bold red",
    "agreement": "bold green",
    "neutral": "yellow",
    "unrelated": "dim",
}
SHORT = {
    "contradiction": "contra",
    "agreement": "agree",
    "neutral": "neutral",
    "unrelated": "unrel",
}
CONTEXT_CHARS = 700  # longest paragraph excerpt shown around a claim
CLAIM_CELL_WIDTH = 200  # built this wide; the table cuts it to the column (PairTable.fit)


#: Header of the pair table's first column, aligned with ``pair_cell``.
PAIR_HEADER = f"{'#':>6} {'p(c)':>4} {'model':<7} analysts"


def status_text(pair: PairItem) -> Text:
    status, verdict = pair.status, pair.verdict
    n = len(pair.latest())
    count = f" ×{n}" if n > 1 else ""
    if status == CONFLICT:
        return Text(f"⚠ conflict{count}", style="bold magenta", end="")
    if status == SETTLED and verdict:
        return Text(f"⚑ {SHORT[verdict]}{count}", style=LABEL_STYLE[verdict], end="")
    if status == TAGGED and verdict:
        return Text(f"✓ {SHORT[verdict]}{count}", style=LABEL_STYLE[verdict], end="")
    return Text("·", style="dim", end="")


def pair_cell(pair: PairItem) -> Text:
    """Id, p(contradiction), the model's label and the analysts' status in one cell: one cell
    instead of four, because DataTable measures every cell of every row it is given."""
    out = Text(f"{pair.id:>6} {pair.confidence:4.2f} ", end="", no_wrap=True)
    out.append(f"{SHORT[pair.label]:<7} ", style=LABEL_STYLE[pair.label])
    out.append_text(status_text(pair))
    return out


def claim_cell(claim: ClaimItem, width: int = CLAIM_CELL_WIDTH) -> Text:
    """``Moscow: the start of the withdrawal…`` in one table cell."""
    who = one_line(claim.actor or claim.speaker or "?", 24)
    out = Text(end="", no_wrap=True, overflow="ellipsis")
    out.append(who, style="bold")
    out.append(": ")
    out.append(one_line(claim.text, max(width - len(who) - 2, 8)))
    return out


def claim_option(claim: ClaimItem, width: int = 160) -> Text:
    """A claim in a side column: who, relay and outlet on one line, the claim under it."""
    out = Text(end="")
    out.append(one_line(claim.who, 60), style="bold")
    out.append(f"  {one_line(claim.outlet or 'no outlet', 30)}", style="dim")
    out.append("\n")
    out.append(one_line(claim.text, width))
    return out


def in_context(article: str, claim: ClaimItem, limit: int = CONTEXT_CHARS) -> Text:
    """The claim's paragraph, its sentence underlined and the claim itself reversed.

    Offsets index the raw article; each piece is escaped separately so escaping (which makes
    text longer) never shifts the highlight."""
    start, end = claim.start, claim.end
    if not article or not 0 <= start <= end <= len(article):
        return Text(safe(claim.sentence or claim.text), style="bold reverse")
    p_start = article.rfind("\n", 0, start) + 1
    p_end = article.find("\n", end)
    p_end = len(article) if p_end == -1 else p_end
    # The sentence holds the claim: it starts at most len(sentence) before the claim ends.
    n = len(claim.sentence)
    s_start = article.find(claim.sentence, max(p_start, end - n), start + n) if n else -1
    s_start, s_end = (s_start, s_start + n) if s_start != -1 else (start, end)
    s_start, s_end = max(min(s_start, start), p_start), min(max(s_end, end), p_end)
    # Crop very long paragraphs to a window around the sentence.
    room = max(limit - (s_end - s_start), 0) // 2
    w_start, w_end = max(p_start, s_start - room), min(p_end, s_end + room)
    out = Text(end="")
    if w_start > p_start:
        out.append("…")
    out.append(safe(article[w_start:s_start]), style="dim")
    out.append(safe(article[s_start:start]), style="underline")
    out.append(safe(article[start:end]), style="bold reverse")
    out.append(safe(article[end:s_end]), style="underline")
    out.append(safe(article[s_end:w_end]), style="dim")
    if w_end < p_end:
        out.append("…")
    return out


def claim_card(role: str, claim: ClaimItem, article: str, limit: int = CONTEXT_CHARS) -> Text:
    """Who said it on the first line, then the claim itself: the text comes before any metadata,
    so a short card (80x24) shows the claim whole. Then through whom, where and when, and the
    claim inside its paragraph (``limit`` characters of it at most: a larger card shows more)."""
    out = Text(end="")
    out.append(f" {role} ", style="bold reverse")
    out.append(" ")
    out.append(one_line(claim.actor or claim.speaker or "?", 40), style="bold")
    out.append(f"  {one_line(claim.side, 20)}", style="italic")
    if claim.cue:
        out.append(f"  {one_line(claim.cue, 30)}", style="dim")
    out.append("\n")
    out.append(safe(" ".join(claim.text.split())), style="bold")
    out.append("\n")
    if claim.speaker and claim.speaker != claim.actor:
        out.append("as written ", style="dim")
        out.append(one_line(claim.speaker, 60))
        out.append("\n")
    if claim.corrected:
        out.append("corrected ", style="dim")
        out.append(
            one_line(
                ", ".join(f"{f} by {who}" for f, who in claim.corrected if f != "not_claim")
                or "restored",
                80,
            ),
            style="italic",
        )
        out.append("\n")
    if claim.relay:
        out.append("relay ", style="dim")
        out.append(one_line(" → ".join((claim.actor or claim.speaker, *claim.relay)), 80))
        out.append("\n")
    out.append(one_line(claim.outlet or "outlet unknown", 30), style="" if claim.outlet else "dim")
    out.append(" · ", style="dim")
    out.append(one_line(claim.date or "date unknown", 20), style="" if claim.date else "dim")
    out.append(" · ", style="dim")
    out.append(one_line(claim.article_title or claim.article, 48), style="dim")
    out.append("\n\n")
    out.append_text(in_context(article, claim, limit))
    return out


def bar(p: float, width: int = 6) -> str:
    filled = round(p * width)
    return "█" * filled + "░" * (width - filled)


def verdict_text(pair: PairItem, model: str, bar_width: int = 6) -> Text:
    """Model probabilities, every analyst's latest tag, and the conflict marker."""
    out = Text(end="")
    out.append(f"pair #{pair.id}  ", style="bold")
    out.append("model ", style="dim")
    out.append(one_line(model or "(none)", 40))
    out.append(f"  similarity {pair.similarity:.2f}  read by {pair.reader}\n", style="dim")
    for label in STANCE_LABELS:
        p = pair.probs[label]
        mark = "▶ " if label == pair.label else "  "
        out.append(f"{mark}{SHORT[label]:<8}", style=LABEL_STYLE[label])
        out.append(f"{p:4.2f} {bar(p, bar_width)}  ")
    out.append("\n")
    latest = pair.latest()
    if not latest:
        out.append("no analyst tag yet", style="dim")
    for i, tag in enumerate(latest.values()):
        if i:
            out.append(" · ")
        out.append(one_line(tag.analyst, 30), style="bold")
        out.append(": ")
        out.append(tag.label, style=LABEL_STYLE[tag.label])
        if tag.note:
            out.append(f" ({one_line(tag.note, 40)})", style="italic")
    status = pair.status
    if status == CONFLICT:
        out.append("   ⚠ analysts disagree: a reviewer settles it (s)", style="bold magenta")
    elif status == SETTLED:
        out.append(f"   ⚑ settled as {pair.verdict}", style="bold")
        settled = pair.settlement()
        if settled is not None:
            out.append(" by ", style="dim")
            out.append(one_line(settled.analyst, 30), style="bold")
            if settled.note:
                out.append(f" ({one_line(settled.note, 40)})", style="italic")
    return out
