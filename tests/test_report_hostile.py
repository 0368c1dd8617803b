"""A corpus whose every article field holds markup or script urls: each format shows it as text.

Outputs are parsed, not grepped: HTML with html.parser (and Markdown rendered to HTML by
markdown-it first), SVG with an XML parser, JSON and CSV with their readers."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_corpus import (
    HOSTILE_URLS,
    IMG,
    JS_URL,
    S_DISCUSSES,
    S_REFUTES,
    S_SUPPORTS,
    XSS,
    audit,
    build_hostile,
)

from verify.report import build, render, write_report
from verify.report.escape import link, safe_url
from verify.report.fmt_claimreview import DEFAULT_REVIEW_URL, Publisher
from verify.store.database import Store

MODEL_TOO = Publisher(include_model=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(build_hostile(tmp_path_factory.mktemp("hostile") / "h.db"))
    yield s
    s.close()


def test_html_shows_the_payloads_as_text(store: Store) -> None:
    a = audit(render(store, "html"))
    assert not a.problems, a.problems[:5]  # no on* attribute, no script link, nesting intact
    assert a.tags["script"] == 0 and a.tags["img"] == 0 and a.tags["iframe"] == 0
    assert a.tags["b"] == 0  # the side "<b onclick=...>" is text, not a <b> element
    for payload in (XSS, IMG, JS_URL, "</table>", '"><svg onload=alert(1)>', "&lt;b&gt; | pipe"):
        assert payload in a.text, payload
    # Table structure intact: 1 topics + 2 topic sections + 1 articles table, each pair 8 + 5 cells.
    assert a.tags["table"] == 4
    assert a.pair_rows and set(a.pair_rows.values()) == {(8, 5)}
    # Only plain http(s) urls became links; the others are shown as text.
    external = {h for h in a.hrefs if not h.startswith("#")}
    assert external == {"https://example.org/ok?a=1&b=<2>"}
    assert "javascript:alert(1)" in a.text and " JaVaScRiPt:alert(1)" in a.text


def test_svg_pictures_are_inert(store: Store) -> None:
    figures = [f for f in build(store).figures if f.svg is not None]
    assert len(figures) == 4
    for fig in figures:
        root = ET.fromstring(fig.svg or "")
        for el in root.iter():
            assert not el.tag.endswith(("script", "foreignObject", "a", "image")), el.tag
            assert not any(k.startswith("on") or k.endswith("href") for k in el.attrib)
        assert "alert(1)" in "".join(root.itertext())  # the names are there, as text


def test_topic_labels_and_legends_are_text(store: Store) -> None:
    """Topic titles (from article words) label the map as text; the legends stay intact."""
    figures = {f.key: f for f in build(store).figures}
    root = ET.fromstring(figures["topic-map"].svg or "")
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t for t in root.iter(f"{ns}text") if t.get("class") == "topic-label"]
    assert len(labels) == 2
    shown = {"".join(t.itertext()) for t in labels}
    assert any(XSS in s and "T1" in s for s in shown), shown  # "<script>" as characters
    assert any(IMG in s and "T2" in s for s in shown), shown
    assert all(len(list(t)) == 1 for t in labels)  # only the tooltip <title> child, no markup
    for key in ("matrix-sides", "matrix-actors"):
        texts = [t.text for t in ET.fromstring(figures[key].svg or "").iter(f"{ns}text")]
        assert "colour: highest P(contradiction) in the cell" in texts
    a = audit(render(store, "html"))
    assert not a.problems and a.tags["script"] == 0 and a.tags["img"] == 0
    assert f"T1 {XSS}" in a.text and "colour: highest P(contradiction) in the cell" in a.text


def test_markdown_renders_to_inert_html(store: Store, tmp_path: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    out = tmp_path / "h.md"
    written = write_report(store, "md", out)
    text = out.read_text()
    page = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    a = audit(page)
    pictures = [p for p in a.problems if p.startswith("<img src='h_files/")]
    assert len(pictures) == 4  # the only relative links: the pictures written beside the file
    assert not [p for p in a.problems if p not in pictures], a.problems[:5]
    assert a.tags["script"] == 0 and a.tags["img"] == 4
    assert {h for h in a.hrefs if not h.startswith("h_files/")} == {
        "https://example.org/ok?a=1&b=%3C2%3E"
    }
    # "| pipe" intact: the escaped pipe did not split the table cell.
    for payload in (XSS, IMG, "</table>", f"[x]({JS_URL})", "& &lt;b&gt; | pipe"):
        assert payload in a.text, payload
    for svg in written[1:]:
        ET.parse(svg)  # standalone, well-formed


def test_json_round_trips_and_is_safe_inside_a_script_block(store: Store) -> None:
    for fmt in ("json", "claimreview"):
        text = render(store, fmt)
        assert "<" not in text and ">" not in text  # written as \\u003c / \\u003e
        json.loads(text)
    doc = json.loads(render(store, "json"))
    assert {a["url"] for a in doc["articles"]} == set(HOSTILE_URLS)  # data kept verbatim


def test_claimreview_only_links_http_urls(store: Store) -> None:
    graph = json.loads(render(store, "claimreview"))["@graph"]
    assert len(graph) == 6  # three tagged pairs, one review per claim
    urls = re.findall(r'"url": "([^"]*)"', json.dumps(graph, ensure_ascii=False))
    review_urls = {r["url"] for r in graph}  # the publisher's page, never an article's
    assert all(u.startswith(f"{DEFAULT_REVIEW_URL}#claim-") for u in review_urls)
    assert set(urls) - review_urls == {"https://example.org/ok?a=1&b=<2>"}
    analysts = {p["name"] for r in graph for p in r["contributor"]}
    assert '"><img src=x onerror=alert(1)>' in analysts  # kept as a name, never markup


def test_csv_cells_cannot_run_formulas(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(render(store, "csv"))))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert any(c.startswith("'=cmd") for c in cells)


@pytest.mark.parametrize(
    "url", [*HOSTILE_URLS[:4], "http://x/\nonload", "https://", "vbscript:x", "//evil.example"]
)
def test_only_plain_http_urls_become_links(url: str) -> None:
    if url.startswith("https://example.org"):
        return
    assert safe_url(url) is None and "<a" not in link(url)


def test_http_link_is_escaped() -> None:
    out = link("https://example.org/?q=<b>&x=\"'", "<b>label</b>")
    a = audit(out)
    assert a.hrefs == ["https://example.org/?q=<b>&x=\"'"] and "<b>label</b>" in a.text


# -- a hostile analyst proposition --------------------------------------------------------------

PROPOSITION = f"{XSS} {IMG} [x]({JS_URL}) </table> | pipe & &lt;b&gt; ** =1+1"
ANALYST = '"><svg onload=alert(1)>'


@pytest.fixture(scope="module")
def with_proposition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The hostile corpus plus a proposition an analyst typed, as hostile as the articles, that
    one claim supports and one refutes (and a stance tag with a hostile note)."""
    from verify.propositions.edit import check_text
    from verify.store.propositions import PropositionTables

    s = Store(build_hostile(tmp_path_factory.mktemp("hostile-prop") / "h.db"))
    topic = [r["id"] for r in s.claim_rows() if r["topic_id"] == s.claim_rows()[0]["topic_id"]]
    tables = PropositionTables(s)
    pid = tables.add_analyst(check_text(PROPOSITION), topic[0], ANALYST, pinned=False)
    tables.save_suggestions(
        s.meta.stance_model or "",
        [(pid, topic[0], S_SUPPORTS), (pid, topic[1], S_REFUTES), (pid, topic[2], S_DISCUSSES)],
    )
    tables.add_tag(pid, topic[1], "refutes", ANALYST, f"{XSS} [y]({JS_URL})")
    yield s
    s.close()


def test_html_shows_a_hostile_proposition_as_text(with_proposition: Store) -> None:
    page = render(with_proposition, "html")
    a = audit(page)
    assert not a.problems, a.problems[:5]
    assert a.tags["script"] == 0 and a.tags["img"] == 0 and a.tags["svg"] == 4  # the pictures
    assert 'id="proposition-1"' in page and a.tags["blockquote"] == 1
    assert PROPOSITION in a.text  # every character, as text
    assert f"{ANALYST}: refutes — {XSS} [y]({JS_URL})" in a.text
    assert f"typed by analyst {ANALYST}" in a.text
    assert {h for h in a.hrefs if not h.startswith("#")} == {"https://example.org/ok?a=1&b=<2>"}


def test_markdown_renders_a_hostile_proposition_literally(
    with_proposition: Store, tmp_path: Path
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    out = tmp_path / "p.md"
    write_report(with_proposition, "md", out)
    page = (
        markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(out.read_text())
    )
    a = audit(page)
    assert not [p for p in a.problems if not p.startswith("<img src='p_files/")], a.problems[:5]
    assert a.tags["script"] == 0 and a.tags["svg"] == 0 and a.tags["strong"] >= 1
    assert PROPOSITION in a.text  # "**", "[x](...)", "&lt;b&gt;" and the pipe all literal
    assert f"{ANALYST}: refutes — {XSS} [y]({JS_URL})" in a.text
    assert {h for h in a.hrefs if not h.startswith("p_files/")} == {
        "https://example.org/ok?a=1&b=%3C2%3E"
    }


def test_hostile_proposition_in_json_csv_and_claimreview(
    with_proposition: Store, tmp_path: Path
) -> None:
    doc = json.loads(render(with_proposition, "json"))
    assert doc["propositions"][0]["text"] == PROPOSITION  # kept verbatim
    # Two tagged stances from different sources decide a relation: reviews cite the proposition.
    from verify.store.propositions import PropositionTables

    tables = PropositionTables(with_proposition)
    claim = next(s["claim"] for s in doc["propositions"][0]["supporters"])
    tables.add_tag(doc["propositions"][0]["id"], claim, "supports", ANALYST)
    try:
        graph = json.loads(render(with_proposition, "claimreview"))["@graph"]
    finally:
        tables.retract_latest_tag(ANALYST)
    on_it = [r for r in graph if PROPOSITION in r["reviewBody"]]
    assert len(on_it) == 2
    assert ANALYST in {p["name"] for r in on_it for p in r["contributor"]}
    for fmt in ("json", "claimreview"):
        assert "<" not in render(with_proposition, fmt, publisher=MODEL_TOO)
    written = write_report(with_proposition, "csv", tmp_path / "p.csv")
    rows = list(csv.DictReader(io.StringIO(written[1].read_text())))
    assert {r["proposition"] for r in rows} == {PROPOSITION}
    cells = [c for r in rows for c in r.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
