"""Every export format on a small tagged dispute (a real SQLite file built through Store)."""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_corpus import MODEL, audit, build_dispute

from verify.report import FORMATS, Filters, ReportError, build, render, write_report
from verify.report.fmt_claimreview import DEFAULT_PUBLISHER, DEFAULT_REVIEW_URL, RATINGS
from verify.report.fmt_csv import CSV_COLUMNS
from verify.stages.embed import MODEL_NAME
from verify.store.database import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dispute(tmp_path_factory.mktemp("dispute") / "dispute.db")


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def test_every_format_writes_a_file(store: Store, tmp_path: Path) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        written = write_report(store, fmt, out)
        assert written[0] == out and out.stat().st_size > 500, fmt


def test_unknown_format_is_refused(store: Store) -> None:
    with pytest.raises(ReportError, match="unknown format"):
        render(store, "pdf")


def test_render_takes_min_confidence_positionally(store: Store) -> None:
    assert json.loads(render(store, "json", 0.5))["schema_version"] == 2
    assert render(store, "md").startswith("# Contradiction report")


# -- JSON ---------------------------------------------------------------------------------------


def test_json_document(store: Store) -> None:
    doc = json.loads(render(store, "json"))
    assert doc["schema_version"] == 2
    assert doc["models"] == {"stance": MODEL, "embedding": MODEL_NAME}
    assert doc["stance_model"] == MODEL
    assert [p["id"] for p in doc["pairs"]] == [
        1,
        2,
        4,
        3,
        5,
    ]  # across the sides first, then most likely contradiction
    s = doc["summary"]
    assert (s["articles"], s["dated_articles"], s["outlets"], s["claims"]) == (3, 2, 3, 5)
    assert s["sides"] == {"Russia": 2, "West": 2, "unknown": 1}
    assert (s["pairs"], s["contradictions"], s["model_contradictions"]) == (5, 3, 2)
    assert s["tagged_pairs"] == 3 and s["analysts"] == {"ana": 2, "bob": 2}
    by_id = {p["id"]: p for p in doc["pairs"]}
    # bob's latest tag (contradiction) overrules both his earlier one and the model (neutral).
    assert (by_id[3]["label"], by_id[3]["verdict"], by_id[3]["verdict_by"]) == (
        "neutral",
        "contradiction",
        "analysts",
    )
    assert by_id[2]["verdict_by"] == "model"
    assert len(doc["tags"]) == 5 and {t["pair_id"] for t in doc["tags"]} == {1, 3, 4}
    assert all("text_hash" not in c for c in doc["claims"])
    assert doc["claims"][0]["article_id"] == 1 and doc["articles"][0]["url"] == "https://tass.com/1"
    assert [(t["id"], t["claims"], t["pairs"], t["contradictions"]) for t in doc["topics"]] == [
        (1, 4, 4, 3),
        (2, 1, 1, 0),
    ]


def test_schema_doc_names_every_key(store: Store) -> None:
    """docs/report-schema.md documents every key the JSON export writes."""
    schema = (REPO / "docs" / "report-schema.md").read_text()
    doc = json.loads(render(store, "json"))
    keys = set(doc) | set(doc["summary"]) | set(doc["pairs"][0]) | set(doc["claims"][0])
    keys |= set(doc["articles"][0]) | set(doc["topics"][0]) | set(doc["tags"][0])
    keys |= set(doc["filters"]) | set(doc["models"])
    missing = sorted(k for k in keys if f"`{k}`" not in schema)
    assert not missing, f"undocumented keys: {missing}"


def test_retracted_tags_stay_out(db: Path, tmp_path: Path) -> None:
    """A tag an analyst undid (the store's tag_retractions) is not reported, as the board shows it."""
    copy = tmp_path / "copy.db"
    src = Store(db)
    src.db.execute(f"VACUUM INTO '{copy}'")
    src.close()
    store = Store(copy)
    ana = store.db.execute("SELECT id FROM tags WHERE analyst='ana' AND pair_id=4").fetchone()[0]
    store.db.execute("INSERT INTO tag_retractions VALUES (?, 'ana', 'now')", (ana,))
    doc = json.loads(render(store, "json"))
    assert {t["pair_id"] for t in doc["tags"]} == {1, 3}
    assert next(p for p in doc["pairs"] if p["id"] == 4)["verdict_by"] == "model"


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_one_row_per_pair(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(render(store, "csv"))))
    assert [int(r["pair_id"]) for r in rows] == [1, 2, 4, 3, 5]  # across the sides first
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert (first["a_actor"], first["b_actor"], first["verdict"]) == (
        "Russian Defense Ministry",
        "CNN",
        "contradiction",
    )
    assert first["tags"] == "ana:contradiction; bob:contradiction"
    assert first["a_url"] == "https://tass.com/1" and first["a_date"] == "2022-02-15"


# -- Markdown -----------------------------------------------------------------------------------


def test_markdown_writes_its_pictures_beside_it(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    written = write_report(store, "md", out)
    folder = tmp_path / "brief_files"
    names = {p.name for p in written[1:]}
    assert names == {"matrix-sides.svg", "matrix-actors.svg", "topic-map.svg", "timeline.svg"}
    text = out.read_text()
    for name in names:
        assert f"](brief_files/{name})" in text  # linked, relative to the Markdown file
        root = ET.parse(folder / name).getroot()  # each is a well-formed standalone SVG
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "## Topic 1: troop withdrawal from the border" in text
    assert "| 1 | 0.90 | contradiction (analysts) |" in text
    assert "bob: contradiction (was agreement) — convoys move toward, not away" in text


def test_markdown_summary(store: Store) -> None:
    text = render(store, "md")
    assert "- **Contradictions found**: 3" in text
    assert "- **Tagged by analysts**: 3 of 5 pairs, by ana 2, bob 2" in text


# -- HTML ---------------------------------------------------------------------------------------


def test_html_is_self_contained_and_script_free(store: Store) -> None:
    page = render(store, "html")
    a = audit(page)
    assert not a.problems, a.problems
    assert a.tags["script"] == 0 and a.tags["link"] == 0 and a.tags["img"] == 0
    assert a.tags["svg"] == 4  # the pictures are inline
    assert "@import" not in page and "url(" not in page and " src=" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert {h for h in a.hrefs if not h.startswith("#")} == {
        "https://tass.com/1",
        "https://edition.cnn.com/2",
    }


def test_html_contents(store: Store) -> None:
    a = audit(render(store, "html"))
    text = " ".join(a.text.split())
    for needle in (
        "Contradiction report",
        "Articles 3 (2 dated)",
        "Contradictions found 3",
        "ana 2, bob 2",
        "Topic 1: troop withdrawal from the border",
        "Units of the Southern Military District are returning to their bases.",
        "ana: contradiction — checked against satellite images",
        "Contradiction matrix: side by side",
        "Topic map: claims by meaning",
        "Timeline: claims by article date",
    ):
        assert needle in text, needle
    assert a.pair_rows == {1: (8, 5), 2: (8, 5), 3: (8, 5), 4: (8, 5), 5: (8, 5)}


def test_pictures_say_why_when_there_is_nothing_to_draw(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.db")
    report = build(store)
    assert all(f.svg is None and f.caption for f in report.figures)
    assert "No pair matches these filters." in render(store, "html")


def test_side_matrix_counts(store: Store) -> None:
    svg = next(f for f in build(store).figures if f.key == "matrix-sides").svg
    assert svg is not None
    assert "Russia vs West: 2 contradiction(s) in 3 pair(s)" in svg
    assert "Russia vs unknown: 1 contradiction(s) in 1 pair(s)" in svg


# -- ClaimReview --------------------------------------------------------------------------------


def test_claimreview_for_a_tagged_pair(store: Store) -> None:
    graph = json.loads(render(store, "claimreview"))
    assert graph["@context"] == "https://schema.org"
    reviews = {r["identifier"]: r for r in graph["@graph"]}
    # Pairs 1 (ana + bob agree) and 3 (bob) have an analysts' contradiction: claims 1, 3 and 5
    # each get one review; pair 4 is "unrelated" and pair 2 only has the model's label.
    assert sorted(reviews) == ["claim-1", "claim-3", "claim-5"]
    r = reviews["claim-1"]
    assert r["@type"] == "ClaimReview"
    assert r["url"] == f"{DEFAULT_REVIEW_URL}#claim-1"
    assert (
        r["claimReviewed"]
        == "Units of the Southern Military District are returning to their bases."
    )
    assert r["author"] == {"@type": "Organization", "name": DEFAULT_PUBLISHER}
    assert [p["name"] for p in r["contributor"]] == ["ana", "bob"]
    assert len(r["datePublished"]) == 10
    assert r["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        # The side that disputes it (claim 5's speakers have no known side).
        "alternateName": RATINGS["contradiction"][1] + " by West",
        "name": RATINGS["contradiction"][1] + " by West",
        "ratingExplanation": "Contradicted by 2 other source(s).",
    }
    item = r["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2022-02-15"
    assert item["author"] == {"@type": "Organization", "name": "Russian Defense Ministry"}
    assert item["appearance"]["url"] == "https://tass.com/1"
    assert item["appearance"]["publisher"]["name"] == "TASS"
    assert [c["identifier"] for c in r["citation"]] == ["claim-3", "claim-5"]
    assert r["citation"][0]["author"]["name"] == "CNN"
    assert "checked against satellite images" in r["reviewBody"]
    people = {
        x["itemReviewed"]["author"]["name"]: x["itemReviewed"]["author"]["@type"]
        for x in reviews.values()
    }
    assert people["Russian Defense Ministry"] == "Organization"
    assert people["open-source analysts"] == "Organization"
    # bob changed his mind on pair 3: only his latest tag (contradiction) rates claim 5.
    assert reviews["claim-5"]["reviewRating"]["ratingValue"] == 2
    assert [p["name"] for p in reviews["claim-5"]["contributor"]] == ["bob"]
    assert "url" not in reviews["claim-5"]["itemReviewed"]["appearance"]


def test_claimreview_publisher_is_configurable(store: Store) -> None:
    from verify.report.fmt_claimreview import Publisher

    pub = Publisher("Desk <b>", "https://checks.example.net/feb-2022")
    graph = json.loads(render(store, "claimreview", publisher=pub))["@graph"]
    assert {r["author"]["name"] for r in graph} == {"Desk <b>"}
    assert all(r["url"].startswith("https://checks.example.net/feb-2022#claim-") for r in graph)
    for bad in ("javascript:alert(1)", "/relative/page", ""):
        with pytest.raises(ReportError, match="absolute http"):
            render(store, "claimreview", publisher=Publisher("Desk", bad))


def test_claimreview_people_from_the_registry(store: Store) -> None:
    graph = json.loads(render(store, "claimreview"))
    authors = {
        x["itemReviewed"]["author"]["name"]: x["itemReviewed"]["author"]["@type"]
        for x in graph["@graph"]
    }
    assert authors.get("CNN") == "Organization"
    from verify.registry.actors import Registry
    from verify.report.fmt_claimreview import agent

    reg = Registry.load()
    assert agent("Vladimir Putin", reg)["@type"] == "Person"
    assert agent("Putin", reg)["@type"] == "Person"  # an alias: the registry's kind
    assert agent("Kremlin", reg)["@type"] == "Organization"
    # Places and embassies speak for a government: organisations, not people.
    assert agent("Moscow", reg)["@type"] == "Organization"
    assert agent("the Russian government", reg)["@type"] == "Organization"
    assert agent("Russian embassy in Washington", reg)["@type"] == "Organization"
    assert agent("the embassy", reg)["@type"] == "Organization"
    assert agent("John Kirby", reg)["@type"] == "Person"
    assert agent("US intelligence officials", reg)["@type"] == "Organization"


def test_filters_object_is_recorded(store: Store) -> None:
    doc = json.loads(render(store, "json", 0.5, label="contradiction"))
    assert doc["filters"] == {
        "topic": None,
        "min_confidence": 0.5,
        "label": "contradiction",
        "tagged_only": False,
        "min_checkworthy": None,
        "per_topic": 15,
        "per_side": 8,
    }
    assert Filters(tagged_only=True) != Filters()
