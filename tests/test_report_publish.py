"""What a fact-checker publishes from a report: honest colours with a legend, labelled topics,
a capped list of pairs per topic that says what it left out (``--all`` lists every pair), and a
CSV that carries claim ids, check-worthiness, corpus paths and the analysts' notes and times."""

from __future__ import annotations

import colorsys
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_corpus import MODEL, build_dispute

from verify.cli.main import main
from verify.report import DEFAULT_PER_TOPIC, Filters, ReportError, build, render, write_report
from verify.report.svg import LEGEND_STOPS, p_colour
from verify.store.database import Store
from verify.types import Article, Claim

SVG = "{http://www.w3.org/2000/svg}"


def reads_red(colour: str) -> bool:
    """A colour a reader calls red: hue within 25 degrees of pure red, clearly saturated."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    return min(hue, 1 - hue) * 360 < 25 and sat > 0.35 and light < 0.9


@pytest.fixture(scope="module")
def dispute(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(build_dispute(tmp_path_factory.mktemp("pub") / "d.db"))
    yield s
    s.close()


def _figure(store: Store, key: str) -> ET.Element:
    svg = next(f for f in build(store).figures if f.key == key).svg
    assert svg is not None
    return ET.fromstring(svg)


# -- colour -------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [i / 100 for i in range(101)])
def test_nothing_is_red_under_one_half(p: float) -> None:
    assert reads_red(p_colour(p)) == (p >= 0.5), (p, p_colour(p))


@pytest.mark.parametrize("key", ["matrix-sides", "matrix-actors"])
def test_matrix_cells_are_painted_by_the_probability(dispute: Store, key: str) -> None:
    root = _figure(dispute, key)
    cells = 0
    for g in root.iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        rect = g.find(f"{SVG}rect")
        if title is None or rect is None:
            continue
        p = float(re.search(r"highest contradiction confidence (\d\.\d\d)", title.text or "")[1])
        assert reads_red(rect.get("fill", "")) == (p >= 0.5), (title.text, rect.get("fill"))
        cells += 1
    assert cells >= 4


def test_an_analysts_contradiction_the_model_scored_low_is_not_red(dispute: Store) -> None:
    """Pair 3: analysts say contradiction, the model gives it 0.20: counted, but not red."""
    root = _figure(dispute, "matrix-actors")
    for g in root.iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        if title is not None and (title.text or "").startswith(
            "Russian Defense Ministry vs open-source analysts"
        ):
            assert "1 contradiction(s) in 1 pair(s)" in (title.text or "")
            assert not reads_red(g.find(f"{SVG}rect").get("fill", ""))
            break
    else:
        pytest.fail("no cell for the Russian Defense Ministry and the open-source analysts")


def test_matrices_carry_a_legend(dispute: Store) -> None:
    for key in ("matrix-sides", "matrix-actors"):
        root = _figure(dispute, key)
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert "colour: highest P(contradiction) in the cell" in texts
        assert {f"{s:g}" for s in LEGEND_STOPS} <= set(texts)
    html = render(dispute, "html")
    assert "red only from 0.5 up" in html  # the caption says how to read the colour


# -- topic map ----------------------------------------------------------------------------------


def test_topic_map_labels_its_topics(dispute: Store) -> None:
    root = _figure(dispute, "topic-map")
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "topic-label"]
    shown = ["".join(t.itertext()) for t in labels]  # the tooltip <title> first, then the label
    assert len(shown) == 2
    assert shown[0].endswith("T1 troop withdrawal from the border"), shown
    assert shown[1].endswith("T2 a historic date"), shown  # a one-claim topic is labelled too
    spots = {(t.get("x"), t.get("y")) for t in labels}
    assert len(spots) == 2  # no two labels on one spot


# -- pairs per topic ----------------------------------------------------------------------------


def _big_topic(path: Path, n_claims: int = 8) -> Path:
    """One topic of n claims, every pair scored (28 pairs for 8 claims), contradiction
    confidence falling with the pair's index."""
    store = Store(path)
    for i in range(n_claims):
        sentence = f"Speaker {i} said thing {i}."
        store.add_article(
            Article(sentence, f"/home/ana/corpus/day{i % 2}/a{i}.txt", f"t{i}", "Out", ""),
            [Claim(sentence, f"thing {i}", 0, len(sentence), f"Speaker {i}", "said")],
        )
    ids = [r["id"] for r in store.claim_rows()]
    store.replace_topics(["one big topic"], dict.fromkeys(ids, 0))
    store.upsert_pairs([(a, b, 0.5) for k, a in enumerate(ids) for b in ids[k + 1 :]])
    rows = list(store.db.execute("SELECT id FROM pairs ORDER BY id"))
    store.save_suggestions(
        MODEL,
        [(r["id"], (0.95 - 0.03 * k, 0.02, 0.02 + 0.03 * k, 0.01)) for k, r in enumerate(rows)],
    )
    store.meta.stance_model = MODEL
    store.add_tag(rows[-1]["id"], "contradiction", "ana", "low-ranked but tagged")
    store.close()
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_topic(tmp_path_factory.mktemp("big") / "big.db")


def test_reports_cap_pairs_per_topic_and_say_so(big: Path) -> None:
    store = Store(big)
    doc = json.loads(render(store, "json"))
    everything = json.loads(render(store, "json", per_topic=None))
    assert len(everything["pairs"]) == 28 and len(doc["pairs"]) == DEFAULT_PER_TOPIC == 15
    assert [p["id"] for p in doc["pairs"]] == [p["id"] for p in everything["pairs"]][:15]
    s = doc["summary"]
    assert (s["pairs"], s["pairs_listed"], s["pairs_left_out"]) == (28, 15, 13)
    assert s["tagged_pairs"] == 1 and doc["tags"] == []  # counted, though its pair is not listed
    (topic,) = doc["topics"]
    assert (topic["pairs"], topic["pairs_listed"], topic["pairs_left_out"]) == (28, 15, 13)
    assert everything["summary"]["pairs_left_out"] == 0
    note = "Showing the 15 highest-ranked of 28 pairs (13 left out; export --all lists them)."
    assert note in render(store, "md")
    assert note in render(store, "html")
    assert "left out" not in render(store, "md", per_topic=None)
    assert len(list(csv.DictReader(io.StringIO(render(store, "csv"))))) == 15
    assert len(json.loads(render(store, "json", per_topic=3))["pairs"]) == 3
    with pytest.raises(ReportError, match="at least 1"):
        render(store, "json", per_topic=0)
    store.close()


def test_export_all_lists_every_pair(
    big: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    assert main(["export", "--db", str(big), "--format", "json", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())["pairs"]) == 15
    assert main(["export", "--db", str(big), "--format", "json", "-o", str(out), "--all"]) == 0
    doc = json.loads(out.read_text())
    assert len(doc["pairs"]) == 28 and doc["filters"]["per_topic"] is None
    capsys.readouterr()
    cr = tmp_path / "r.jsonld"
    args = ["export", "--db", str(big), "--format", "claimreview", "-o", str(cr), "--all"]
    assert main(args) == 0
    assert "placeholder" in capsys.readouterr().err  # the review url must be set to publish
    assert main([*args, "--review-url", "https://checks.example.net/x", "--publisher", "Desk"]) == 0
    (review, _) = json.loads(cr.read_text())["@graph"]
    assert review["url"].startswith("https://checks.example.net/x#claim-")
    assert review["author"] == {"@type": "Organization", "name": "Desk"}
    assert main([*args, "--review-url", "ftp://x"]) == 2
    assert "absolute http(s) url" in capsys.readouterr().err


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_carries_ids_checkworthiness_paths_and_notes(big: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    src = Store(big)
    src.db.execute(f"VACUUM INTO '{copy}'")
    src.close()
    store = Store(copy)
    ids = [r["id"] for r in store.claim_rows()]
    store.set_checkworthy([(ids[0], 0.875), (ids[1], 0.25)])
    rows = list(csv.DictReader(io.StringIO(render(store, "csv", per_topic=None))))
    first = rows[0]
    assert (int(first["a_id"]), int(first["b_id"])) == (ids[0], ids[1])
    assert (first["a_checkworthy"], first["b_checkworthy"]) == ("0.875", "0.25")
    assert rows[1]["b_checkworthy"] == ""  # unscored claims stay empty, not 0
    # Paths relative to the folder holding the corpus: no analyst's home folder in the sheet.
    assert (first["a_path"], first["b_path"]) == ("day0/a0.txt", "day1/a1.txt")
    assert "/home/ana" not in "".join(r["a_path"] + r["b_path"] for r in rows)
    tagged = next(r for r in rows if r["tags"])
    assert tagged["tag_notes"] == "ana: low-ranked but tagged"
    assert re.fullmatch(r"ana: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", tagged["tag_times"])
    doc = json.loads(render(store, "json"))
    assert doc["articles"][0]["path"] == "day0/a0.txt"
    assert doc["articles"][0]["source"] == "/home/ana/corpus/day0/a0.txt"  # kept verbatim
    out = tmp_path / "f.csv"
    write_report(store, "csv", out, Filters(per_topic=None))
    assert out.read_text().count("\n") == 29  # the header and every pair
    store.close()


def test_pictures_count_every_matching_pair(big: Path) -> None:
    """The cap shortens the tables, not the pictures: the matrix agrees with the summary."""
    store = Store(big)
    report = build(store)
    assert len(report.doc["pairs"]) == 15
    svg = next(f for f in report.figures if f.key == "matrix-actors").svg or ""
    # The last-ranked pair (Speaker 6 and 7, tagged contradiction) is not listed, but drawn.
    assert "Speaker 6 vs Speaker 7: 1 contradiction(s) in 1 pair(s)" in svg
    assert not any(p["tags"] for p in report.doc["pairs"])  # the tagged pair is not listed
    store.close()
