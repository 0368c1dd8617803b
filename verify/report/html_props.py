"""The HTML report's lead section: each proposition with its supporting and refuting claims in
two columns, grouped by side. Every string from an article or an analyst goes through ``h`` or
``link`` (proposition text typed by an analyst included)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from verify.report.escape import h, link, safe_url
from verify.report.outline import (
    GROUP_NAMES,
    by_side,
    more_text,
    origin_text,
    others_text,
    proposition_heading,
    relay,
    stance_tags,
    stance_text,
    who,
)

BAR = "#4a6fa5"

CSS = """
section.prop { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 14px 0; }
section.prop.dispute { border-left: 4px solid var(--red); }
blockquote.prop-text { margin: 4px 0 6px; font-size: 16px; font-weight: 600; overflow-wrap: anywhere; }
.prop-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.prop-cols h4 { margin: 6px 0; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.prop-cols h5 { margin: 8px 0 4px; font-size: 12px; }
ul.stances { margin: 0; padding: 0; list-style: none; }
ul.stances li { padding: 5px 0; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
ul.stances q { display: block; margin-top: 2px; }
ul.stances .src { color: var(--muted); font-size: 12px; }
ul.props-rest li { overflow-wrap: anywhere; }
"""


def _stance(s: dict[str, Any], articles: dict[int, dict[str, Any]]) -> str:
    c = s["claim"]
    art = articles.get(c["article_id"], {})
    url = safe_url(art.get("url"))
    name = c["outlet"] or (urlsplit(url).hostname if url else "") or ""
    outlet = (link(url, name) if url else h(name)) + " · " if name else ""
    via = f" via {h(relay(c))}" if c["relay"] else ""
    said = (
        f' title="as written: {h(c["speaker"])}"' if c["speaker"] and c["speaker"] != who(c) else ""
    )
    day = f" · {h(art['date'])}" if art.get("date") else ""
    # How sure the stance is, in one neutral colour: red in this report means contradiction.
    width = round(100 * s["confidence"])
    bar = f'<div class="bar"><span style="width:{width}%;background:{BAR}"></span></div>'
    tags = "".join(f"<li>{h(t)}</li>" for t in stance_tags(s))
    tag_list = f'<ul class="tags">{tags}</ul>' if tags else ""
    return (
        f"<li><strong{said}>{h(who(c))}</strong>"
        f'<span class="src">{via} · {outlet}'
        f'<a class="art" href="#article-{int(c["article_id"])}">article {int(c["article_id"])}</a>'
        f"{day} · {h(stance_text(s))}</span>{bar}<q>{h(c['sentence'])}</q>{tag_list}</li>"
    )


def _column(
    prop: dict[str, Any], group: str, articles: dict[int, dict[str, Any]], side_badge: Any
) -> str:
    head = f"<h4>{h(GROUP_NAMES[group])} ({prop['counts'][group]})</h4>"
    if not prop[group]:
        return f'<div class="{group}">{head}<p class="empty">No claim.</p></div>'
    body = "".join(
        f"<h5>{side_badge(side)}</h5>"
        f'<ul class="stances">{"".join(_stance(s, articles) for s in items)}</ul>'
        for side, items in by_side(prop[group])
    )
    note = more_text(prop, group)
    more = f'<p class="meta left-out">{h(note)}</p>' if note else ""
    return f'<div class="{group}">{head}{body}{more}</div>'


def propositions_html(
    doc: dict[str, Any], articles: dict[int, dict[str, Any]], side_badge: Any
) -> str:
    """The ``<h2>Propositions</h2>`` section; ``side_badge(side)`` draws a side's badge."""
    props = doc.get("propositions", [])
    if not props:
        return '<h2>Propositions</h2><p class="empty">No proposition in this report.</p>'
    s = doc["summary"]
    parts = [
        '<h2 id="propositions">Propositions</h2>',
        f'<p class="meta">{s["propositions"]} proposition(s), {s["proposition_disputes"]} '
        "disputed (supporting and refuting claims from different sources); disputes first, "
        "most contested first. Stance: the model's probability, or the analysts' agreed tag.</p>",
    ]
    sided = [p for p in props if p["counts"]["supporters"] or p["counts"]["refuters"]]
    for rank, p in enumerate(sided, 1):
        cls = "prop dispute" if p["is_dispute"] else "prop"
        others = others_text(p)
        parts.append(
            f'<section class="{cls}" id="proposition-{int(p["id"])}">'
            f"<h3>{h(proposition_heading(p, rank))}</h3>"
            f'<blockquote class="prop-text">{h(p["text"])}</blockquote>'
            f'<p class="meta">{h(origin_text(p))} · contested {p["contested"]:.2f}</p>'
            f'<div class="prop-cols">{_column(p, "supporters", articles, side_badge)}'
            f"{_column(p, 'refuters', articles, side_badge)}</div>"
            + (f'<p class="meta">{h(others)}</p>' if others else "")
            + "</section>"
        )
    rest = [p for p in props if p not in sided]
    if rest:
        items = "".join(f"<li>{h(proposition_heading(p))}: {h(p['text'])}</li>" for p in rest)
        parts.append(
            f'<h3>Propositions no claim takes a side on</h3><ul class="props-rest">{items}</ul>'
        )
    return "".join(parts)
