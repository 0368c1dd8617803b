"""One self-contained HTML file: inline CSS, inline SVG pictures, no script, nothing fetched.

Everything from an article goes through ``escape.h`` (text and quoted attributes) or
``escape.link`` (only http(s) urls become links); a Content-Security-Policy forbids scripts and
any fetch, as a second line of defence should an escape ever be missed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from verify.report.charts import Figure
from verify.report.escape import h, link, safe_url
from verify.report.html_props import CSS as PROPOSITION_CSS
from verify.report.html_props import propositions_html
from verify.report.outline import (
    filter_text,
    left_out_text,
    relay,
    sections,
    shown_tags,
    summary_items,
    tag_parts,
    who,
)
from verify.report.prop_data import GROUPS
from verify.report.svg import p_colour, side_colours

#: A report without ``--all`` leads with the hottest of everything and stays readable (and a few
#: MB) at any corpus size; each capped list says how many more the JSON/CSV export holds.
HTML_TOPICS = 25  # topic sections with their pairs
HTML_TOPIC_ROWS = 100  # rows of the topics table
HTML_PROPOSITIONS = 30  # propositions with their sides (and as many with no side, listed)
EXPORT_NOTE = "in the JSON/CSV export (export --all lists everything here)"

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

CSS = """
:root { --ink:#1d1d1f; --muted:#5f6368; --line:#e2e2e2; --red:#b2182b; --bg:#fff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
.meta { color: var(--muted); margin: 0 0 2px; }
code { font-size: 12px; background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px;
  margin: 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 0; }
.card dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card dd { margin: 2px 0 0; font-size: 15px; }
.figs { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; }
figure.wide { grid-column: 1 / -1; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em;
  border-bottom: 2px solid #cfcfcf; background: #fafafa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.pairs tbody:nth-child(even) td { background: #fafafa; }
table.pairs tr.b td { border-top: 1px dashed var(--line); }
table.pairs td.sentence { min-width: 300px; }
/* Long unbroken article strings (urls, markup) wrap instead of pushing the table off the page. */
td.sentence, td.tags, table.articles td { overflow-wrap: anywhere; }
td.relay, td.outlet { overflow-wrap: break-word; min-width: 90px; max-width: 180px; }
td.tags { min-width: 150px; }
a.art { font-size: 11.5px; color: var(--muted); }
table.articles tr:target td { background: #fff6d5; }
td.who { min-width: 130px; }
.vs { color: var(--muted); font-size: 11px; text-transform: uppercase; display: block; }
.side { display: inline-block; font-size: 11px; border-radius: 9px; padding: 0 7px; color: #fff;
  margin-top: 2px; }
.bar { height: 5px; background: #eee; border-radius: 3px; margin-top: 4px; width: 64px; }
.bar span { display: block; height: 100%; background: var(--red); border-radius: 3px; }
.verdict { display: inline-block; font-size: 11.5px; border-radius: 4px; padding: 0 5px; margin-top: 4px;
  border: 1px solid #ccc; white-space: nowrap; }
.verdict.contradiction { border-color: var(--red); color: var(--red); }
.verdict.agreement { border-color: #1a7f37; color: #1a7f37; }
.by { display: block; font-size: 11px; color: var(--muted); }
ul.tags { margin: 0; padding: 0; list-style: none; font-size: 12.5px; }
ul.tags li + li { margin-top: 3px; }
.when { color: var(--muted); white-space: nowrap; }
a { color: #0b57d0; }
nav.toc { columns: 2; font-size: 13px; }
nav.toc a { text-decoration: none; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { figure, tbody { break-inside: avoid; } main { max-width: none; } }
"""


def _lead_propositions(props: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``HTML_PROPOSITIONS`` first with a side (the list is disputes first, most contested
    first) and as many of those with none."""
    sided = [p for p in props if p["counts"]["supporters"] or p["counts"]["refuters"]]
    rest = [p for p in props if not (p["counts"]["supporters"] or p["counts"]["refuters"])]
    keep = {id(p) for p in sided[:HTML_PROPOSITIONS] + rest[:HTML_PROPOSITIONS]}
    return [p for p in props if id(p) in keep]


def _summary(doc: dict[str, Any]) -> str:
    cards = "".join(
        f'<div class="card"><dt>{h(k)}</dt><dd>{h(v)}</dd></div>' for k, v in summary_items(doc)
    )
    return f'<dl class="cards">{cards}</dl>'


def _figure(fig: Figure) -> str:
    body = fig.svg if fig.svg is not None else f'<p class="empty">{h(fig.caption)}</p>'
    caption = f"<figcaption>{h(fig.caption)}</figcaption>" if fig.svg is not None else ""
    wide = ' class="wide"' if fig.wide else ""
    return f'<figure id="{h(fig.key)}"{wide}><h3>{h(fig.title)}</h3>{body}{caption}</figure>'


def _side(side: str, colours: dict[str, str]) -> str:
    colour = colours.get(side, "#9a9a9a")
    return f'<span class="side" style="background:{h(colour)}">{h(side)}</span>'


def _claim_cells(c: dict[str, Any], art: dict[str, Any], colours: dict[str, str], vs: bool) -> str:
    label = '<span class="vs">counterclaim</span>' if vs else '<span class="vs">claim</span>'
    speaker = who(c)
    said = (
        f' title="as written: {h(c["speaker"])}"'
        if c["speaker"] and c["speaker"] != speaker
        else ""
    )
    title = art.get("title") or c["article"]
    url = safe_url(art.get("url"))
    name = c["outlet"] or (urlsplit(url).hostname if url else "") or ""
    outlet = link(url, name) if url else (h(name) or "—")
    # The article itself is listed (title, url as text) in the Articles table at the end.
    ref = (
        f'<a class="art" href="#article-{int(c["article_id"])}">article {int(c["article_id"])}</a>'
    )
    return (
        f'<td class="who"{said}>{label}<strong>{h(speaker)}</strong><br>{_side(c["side"], colours)}</td>'
        f'<td class="relay">{h(relay(c)) or "—"}</td>'
        f'<td class="outlet" title="{h(title)}">{outlet}<br>{ref}</td>'
        f'<td class="num">{h(art.get("date")) or "—"}</td>'
        f'<td class="sentence">{h(c["sentence"])}</td>'
    )


def _tag(tag: dict[str, Any], history: list[dict[str, Any]]) -> str:
    text, day = tag_parts(tag, history)
    return f'<li>{h(text)} <span class="when">({h(day)})</span></li>'


def _pair(p: dict[str, Any], articles: dict[int, dict[str, Any]], colours: dict[str, str]) -> str:
    by = "analysts" if p["verdict_by"] == "analysts" else "model"
    model_note = (
        f" · model: {p['label']}" if by == "analysts" and p["label"] != p["verdict"] else ""
    )
    score = (
        f'<td class="num" rowspan="2">{p["confidence"]:.2f}'
        f'<div class="bar"><span style="width:{round(100 * p["confidence"])}%;'
        f'background:{p_colour(p["confidence"])}"></span></div>'
        f'<span class="verdict {h(p["verdict"])}">{h(p["verdict"])}</span>'
        f'<span class="by">{h(by + model_note)}</span></td>'
    )
    tags = "".join(_tag(t, p["tags"]) for t in shown_tags(p))
    listed = f'<ul class="tags">{tags}</ul>' if tags else "—"
    tags_cell = f'<td class="tags" rowspan="2">{listed}</td>'
    a_art, b_art = articles.get(p["a"]["article_id"], {}), articles.get(p["b"]["article_id"], {})
    if p["id"] is None:  # known only through a shared proposition: the pair model never read it
        a_id, b_id = int(p["a"]["id"]), int(p["b"]["id"])
        opening = (
            f'<tbody id="implied-{a_id}-{b_id}"><tr class="a">'
            '<td class="num" rowspan="2" title="implied by a shared proposition">—</td>'
        )
    else:
        opening = (
            f'<tbody id="pair-{int(p["id"])}"><tr class="a">'
            f'<td class="num" rowspan="2">{int(p["id"])}</td>'
        )
    return (
        f"{opening}"
        f"{score}{_claim_cells(p['a'], a_art, colours, False)}{tags_cell}</tr>"
        f'<tr class="b">{_claim_cells(p["b"], b_art, colours, True)}</tr></tbody>'
    )


FOOTER = (
    "Every sentence, name and link above comes from the articles as ingested (a proposition's "
    "text from the engine or an analyst) and is shown as text. A pair numbered — is known only "
    "through a proposition both claims take a side on. Verdict: the analysts' label where they "
    "agree on a pair (each analyst's latest tag) or a reviewer settled their conflict, else the "
    "stance model's. Confidence: the model's probability of contradiction, coloured red only "
    "from 0.5 up."
)

PAIR_HEAD = (
    '<thead><tr><th class="num">Pair</th><th class="num">Confidence</th><th>Speaker</th>'
    '<th>Relay</th><th>Outlet</th><th class="num">Date</th><th>Sentence</th>'
    "<th>Analyst tags</th></tr></thead>"
)


def _more(n: int, what: str) -> str:
    return f'<p class="meta left-out">{n} more {h(what)} {h(EXPORT_NOTE)}.</p>' if n else ""


def _topics_table(doc: dict[str, Any], linked: set[int | None], capped: bool) -> str:
    topics = doc["topics"]
    if capped and len(topics) > HTML_TOPIC_ROWS:  # the most disputed first
        topics = sorted(
            topics, key=lambda t: (-t["contradictions"], -(t["max_confidence"] or 0), t["id"])
        )[:HTML_TOPIC_ROWS]
    rows = []
    for t in topics:
        title = h(t["title"])
        if t["id"] in linked:
            title = f'<a href="#topic-{int(t["id"])}">{title}</a>'
        top = "—" if t["max_confidence"] is None else f"{t['max_confidence']:.2f}"
        rows.append(
            f'<tr><td class="num">{int(t["id"])}</td><td>{title}</td><td class="num">{t["claims"]}</td>'
            f'<td class="num">{t["pairs"]}</td><td class="num">{t["contradictions"]}</td>'
            f'<td class="num">{top}</td></tr>'
        )
    head = (
        '<thead><tr><th class="num">Topic</th><th>Title</th><th class="num">Claims</th>'
        '<th class="num">Pairs</th><th class="num">Contradictions</th><th class="num">Max conf.</th></tr></thead>'
    )
    return f'<table class="topics">{head}<tbody>{"".join(rows)}</tbody></table>' + _more(
        len(doc["topics"]) - len(topics), "topics"
    )


def _articles_table(doc: dict[str, Any], cited: set[int] | None) -> str:
    """Every article, or with ``cited`` only those the listed pairs and claims come from."""
    listed = [a for a in doc["articles"] if cited is None or a["id"] in cited]
    rows = "".join(
        f'<tr id="article-{int(a["id"])}"><td class="num">{int(a["id"])}</td>'
        f"<td>{h(a['title'] or a['source'])}</td>"
        f'<td>{h(a["outlet"]) or "—"}</td><td class="num">{h(a["date"]) or "—"}</td>'
        f"<td>{link(a['url']) or '—'}</td></tr>"
        for a in listed
    )
    head = (
        '<thead><tr><th class="num">#</th><th>Title</th><th>Outlet</th><th class="num">Date</th>'
        "<th>URL</th></tr></thead>"
    )
    return f'<table class="articles">{head}<tbody>{rows}</tbody></table>' + _more(
        len(doc["articles"]) - len(listed), "articles"
    )


def to_html(doc: dict[str, Any], figures: list[Figure]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    colours = side_colours(list(doc["summary"]["sides"]))
    capped = doc["filters"].get("per_topic") is not None  # export --all: everything, uncut
    parts = []
    linked: set[int | None] = set()
    every = sections(doc)
    shown = every[:HTML_TOPICS] if capped else every
    props = doc.get("propositions", [])
    if capped:
        props = _lead_propositions(props)
    cited = (
        {c["article_id"] for _, pairs in shown for p in pairs for c in (p["a"], p["b"])}
        | {s["claim"]["article_id"] for p in props for g in GROUPS for s in p[g]}
        if capped
        else None
    )
    for topic, pairs in shown:
        linked.add(topic["id"])
        anchor = "topic-none" if topic["id"] is None else f"topic-{int(topic['id'])}"
        name = "No topic" if topic["id"] is None else f"Topic {int(topic['id'])}"
        n = sum(p["verdict"] == "contradiction" for p in pairs)
        note = left_out_text(doc, topic, len(pairs))
        parts.append(
            f'<section id="{anchor}"><h2>{name}: {h(topic["title"])}</h2>'
            f'<p class="meta">{len(pairs)} pair(s) listed, {n} contradiction(s)</p>'
            f'<table class="pairs">{PAIR_HEAD}{"".join(_pair(p, articles, colours) for p in pairs)}</table>'
            + (f'<p class="meta left-out">{h(note)}</p>' if note else "")
            + "</section>"
        )
    if not parts:
        parts.append('<p class="empty">No pair matches these filters.</p>')
    parts.append(_more(len(every) - len(shown), "topics with pairs"))
    models = (
        f"stance model <code>{h(doc['models']['stance'] or 'none')}</code> · "
        f"embeddings <code>{h(doc['models']['embedding'] or 'none')}</code>"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{h(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{h(doc["generator"])}">
<title>Contradiction report</title>
<style>{CSS}{PROPOSITION_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Contradiction report</h1>
<p class="meta">Generated {h(doc["generated_at"])} by {h(doc["generator"])} · {models}</p>
<p class="meta">Filters: {h(filter_text(doc["filters"]))}</p>
</header>
<h2>Summary</h2>
{_summary(doc)}
{propositions_html({**doc, "propositions": props}, articles, lambda side: _side(side, colours))}
{_more(len(doc.get("propositions", [])) - len(props), "propositions") if capped else ""}
<h2>Pictures</h2>
<div class="figs">{"".join(_figure(f) for f in figures)}</div>
<h2>Topics</h2>
{_topics_table(doc, linked, capped)}
{"".join(parts)}
<h2>Articles</h2>
{_articles_table(doc, cited)}
<footer>{FOOTER}</footer>
</main>
</body>
</html>
"""
