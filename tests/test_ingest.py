"""Ingestion: every format with metadata, folders, and every kind of bad input."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from verify.ingest import MAX_BYTES, iter_articles, normalize_date, read_path
from verify.types import Article, Refusal

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BODY = "Putin said the troops are leaving.\nCNN says they are not.\n"


def ingest(*paths: str | Path) -> tuple[list[Article], list[Refusal]]:
    items = list(iter_articles(paths))
    articles = [i for i in items if isinstance(i, Article)]
    refusals = [i for i in items if isinstance(i, Refusal)]
    assert len(articles) + len(refusals) == len(items)
    return articles, refusals


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def refused_once(refusals: list[Refusal], source: str, *words: str) -> Refusal:
    """Exactly one refusal, naming ``source``, whose reason mentions each of ``words``."""
    assert len(refusals) == 1, refusals
    (refusal,) = refusals
    assert refusal.source == source
    for word in words:
        assert word.lower() in refusal.reason.lower(), refusal.reason
    assert len(refusal.reason) < 120
    return refusal


# --- formats ---------------------------------------------------------------------------


def test_txt_with_sidecar(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", BODY)
    write(
        tmp_path / "a.txt.meta.yaml",
        "title: Troops\noutlet: TASS\ndate: 15 February 2022\nurl: https://x.test/a\n"
        "author: [Ann, Bob]\nextra: ignored\n",
    )
    [article], refusals = ingest(txt)
    assert refusals == []
    assert article == Article(
        text=BODY,
        source=str(txt),
        title="Troops",
        outlet="TASS",
        date="2022-02-15",
        url="https://x.test/a",
        author="Ann, Bob",
    )


def test_txt_stem_sidecar_and_no_sidecar(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "a.meta.yaml", "outlet: Reuters\n")
    write(tmp_path / "b.txt", BODY)
    [a, b], refusals = ingest(tmp_path)
    assert refusals == []
    assert (a.outlet, b.outlet) == ("Reuters", "")
    assert (b.title, b.date, b.url, b.author) == ("", "", "", "")


def test_md_front_matter_wins_over_sidecar(tmp_path: Path) -> None:
    md = write(
        tmp_path / "a.md",
        "---\ntitle: From front matter\ndate: 2022-02-15\n---\n\n# Heading\n\n" + BODY,
    )
    write(tmp_path / "a.md.meta.yaml", "title: From sidecar\noutlet: AFP\n")
    [article], refusals = ingest(md)
    assert refusals == []
    assert article.text == "# Heading\n\n" + BODY
    assert (article.title, article.outlet, article.date) == (
        "From front matter",
        "AFP",
        "2022-02-15",
    )


def test_md_without_front_matter_keeps_leading_rule(tmp_path: Path) -> None:
    md = write(tmp_path / "a.md", "---\n" + BODY)  # a horizontal rule, never closed
    [article], _ = ingest(md)
    assert article.text == "---\n" + BODY


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    page = write(
        tmp_path / "a.html",
        """<html><head><title>Troops leave - Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta property="og:title" content="Troops leave">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2022-02-15T10:00:00+03:00">
<link rel="canonical" href="https://example.test/troops">
<style>p { color: red }</style><script>var tracker = "SCRIPT-TEXT";</script></head>
<body><nav>Home | World | Sport</nav><article><h1>Troops leave</h1>
<p>Moscow announced on Tuesday that troops deployed on the border with Ukraine are
returning to their bases after exercises, according to the defence ministry.</p>
<p>CNN reports that, contrary to what was announced by Moscow, the massing of troops on
the border with Ukraine is continuing, citing geolocated videos.</p>
<script>alert("SCRIPT-TEXT")</script></article>
<footer>Copyright Example Times</footer></body></html>""",
    )
    [article], refusals = ingest(page)
    assert refusals == []
    assert "troops deployed on the border" in article.text
    assert "massing of troops" in article.text
    assert "SCRIPT-TEXT" not in article.text and "color: red" not in article.text
    assert "<p>" not in article.text
    assert article.title == "Troops leave"
    assert article.outlet == "Example Times"
    assert article.date == "2022-02-15"
    assert article.url == "https://example.test/troops"
    assert article.author == "Jane Roe"


def test_html_short_page_and_sidecar_override(tmp_path: Path) -> None:
    page = write(tmp_path / "a.htm", "<p>Putin said hi.</p><script>evil()</script>")
    write(tmp_path / "a.htm.meta.yaml", "outlet: Kremlin.ru\n")
    [article], refusals = ingest(page)
    assert refusals == []
    assert article.text == "Putin said hi."
    assert article.outlet == "Kremlin.ru"


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café “quote”</p>'
    page = write(tmp_path / "a.html", html.encode("cp1252") + b"</body></html>")
    [article], _ = ingest(page)
    assert article.text == "Café “quote”"


def test_html_date_not_guessed_from_prose(tmp_path: Path) -> None:
    page = write(
        tmp_path / "a.html",
        "<html><body><article><p>On 24 February 2022 troops crossed the border, the "
        "ministry said; on 15 February 2022 it had announced a withdrawal of units.</p>"
        "</article></body></html>",
    )
    [article], _ = ingest(page)
    assert article.date == ""


def test_html_never_touches_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("ingestion tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    page = write(
        tmp_path / "a.html",
        '<html><head><link rel="stylesheet" href="http://example.test/s.css">'
        '<script src="http://example.test/x.js"></script></head><body><article>'
        '<img src="http://example.test/photo.jpg"><iframe src="http://example.test/f">'
        "</iframe><p>Putin said the troops are leaving the border with Ukraine today, the "
        "Kremlin announced in a statement read out on state television.</p></article>"
        "</body></html>",
    )
    [article], refusals = ingest(page)
    assert refusals == []
    assert "troops are leaving" in article.text


def test_jsonl_rows_with_metadata(tmp_path: Path) -> None:
    rows = [
        {"text": "One.", "outlet": "TASS", "title": "T1", "date": "Feb 15, 2022", "url": "u"},
        {"text": "Two.\r\nLine.", "author": "Kim", "date": "sometime in spring"},
    ]
    feed = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    [one, two], refusals = ingest(feed)
    assert refusals == []
    assert one == Article(
        "One.", f"{feed}:1", title="T1", outlet="TASS", date="2022-02-15", url="u"
    )
    assert two == Article("Two.\nLine.", f"{feed}:2", author="Kim", date="sometime in spring")


def test_csv_rows_spanning_lines(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "feed.csv",
        'Text,Outlet,date\r\n"First line\r\nsecond line, with comma",CNN,2022-02-15\r\n'
        '"He said ""no"".",BBC,15/02/2022\r\n',
    )
    [one, two], refusals = ingest(feed)
    assert refusals == []
    first = "First line\nsecond line, with comma"
    assert one == Article(first, f"{feed}:2", outlet="CNN", date="2022-02-15")
    assert two == Article('He said "no".', f"{feed}:4", outlet="BBC", date="2022-02-15")


def test_csv_semicolon_and_bom(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.csv", "\ufefftext;outlet\nBonjour.;Le Monde\n")
    [article], refusals = ingest(feed)
    assert refusals == []
    assert (article.text, article.outlet) == ("Bonjour.", "Le Monde")


def test_utf8_bom_and_utf16_bom(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "\ufeff" + BODY)
    b = write(tmp_path / "b.txt", ("\ufeff" + BODY).encode("utf-16-le"))
    [one, two], refusals = ingest(a, b)
    assert refusals == []
    assert one.text == two.text == BODY


# --- folders, order, identity --------------------------------------------------------------


def test_folder_recursion_sorted_known_only(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a" / "z.md", "z")
    write(tmp_path / "a" / "deep" / "y.txt", "y")
    write(tmp_path / "c.jsonl", '{"text": "c"}\n')
    write(tmp_path / "notes.pdf", b"%PDF-1.4\x00")
    write(tmp_path / "b.txt.meta.yaml", "title: B\n")
    write(tmp_path / ".hidden.txt", "hidden")
    write(tmp_path / ".git" / "x.txt", "hidden too")
    articles, refusals = ingest(tmp_path)
    assert refusals == []
    assert [a.text for a in articles] == ["y", "z", "b", "c"]
    assert articles[2].title == "B"


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", "x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    articles, refusals = ingest(tmp_path)
    assert refusals == [] and [a.text for a in articles] == ["x"]


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "only.pdf", b"x")
    _, refusals = ingest(tmp_path)
    refused_once(refusals, str(tmp_path), "no article files")


def test_lone_path_argument(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", BODY)
    assert [a.text for a in iter_articles(str(txt))] == [BODY]  # type: ignore[arg-type]


def test_same_file_twice_gives_equal_hashes(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", BODY)
    write(tmp_path / "a.txt.meta.yaml", "outlet: TASS\n")
    one, two = ingest(txt, txt)[0]
    assert one == two and one.hash == two.hash


def test_read_path_single_file(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", '{"text": "a"}\n{"text": "b"}\n')
    assert [a.text for a in read_path(feed)] == ["a", "b"]


def test_seed_sidecars() -> None:
    articles, refusals = ingest(SEEDS)
    assert refusals == []
    by_name = {Path(a.source).name: a for a in articles}
    draghi = by_name["000_4c4b7a315de9ba1b.txt"]
    scholz = by_name["003_9c7f7e83a747c763.txt"]
    assert draghi.date == "2022-02-01" and "Draghi" in draghi.title
    assert scholz.date == "2022-02-15" and "Scholz" in scholz.title and "CNN" in scholz.title
    assert draghi.outlet == scholz.outlet == ""  # not named in the text: not guessed
    assert scholz.text == (SEEDS / "003_9c7f7e83a747c763.txt").read_text(encoding="utf-8")


# --- text kept as written ------------------------------------------------------------------

MARKUP = "[bold]x[/bold] <script>alert(1)</script> \x1b[31mred\x1b[0m \x07 *not md* &amp;\n"


def test_markup_and_control_codes_unharmed(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", "line one\r\n" + MARKUP + "lone\rcr\n")
    [article], refusals = ingest(txt)
    assert refusals == []
    assert article.text == "line one\n" + MARKUP + "lone\rcr\n"  # only CRLF changed


def test_markup_unharmed_in_jsonl_and_csv_and_md(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", json.dumps({"text": MARKUP}) + "\n")
    table = write(tmp_path / "f.csv", 'text\n"' + MARKUP + '"\n')
    md = write(tmp_path / "f.md", "---\ntitle: t\n---\n" + MARKUP)
    articles, refusals = ingest(feed, table, md)
    assert refusals == []
    assert [a.text for a in articles] == [MARKUP] * 3


def test_jsonl_nul_escape_is_stripped_other_controls_kept(tmp_path: Path) -> None:
    line = '{"text": "a\\u0000b\\u0007c\\u001b[0m", "title": "t\\u0000"}\n'
    feed = write(tmp_path / "f.jsonl", line)
    [article], refusals = ingest(feed)
    assert refusals == []
    assert (article.text, article.title) == ("ab\x07c\x1b[0m", "t")


# --- bad input: exactly one Refusal each, good siblings still come through ----------------


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary", "offset 8"]),
        ("nul.md", b"text with a \x00 in it", ["binary"]),
        ("empty.txt", b"", ["empty"]),
        ("blank.md", b"  \n\t\r\n", ["whitespace"]),
        ("latin1.txt", "Caf\xe9 au lait".encode("latin-1"), ["utf-8", "0xe9", "offset 3"]),
        ("bad.html", b"<p>caf\xff</p>", ["utf-8", "0xff"]),
        ("empty.html", b"<html><body><script>x()</script></body></html>", ["no readable text"]),
        ("empty.jsonl", b"\n\n", ["whitespace"]),
        ("nocol.csv", b"body,outlet\nhello,CNN\n", ["no 'text' column", "body, outlet"]),
        ("header.csv", b"text,outlet\n", ["no rows"]),
        ("fm.md", b"---\ntitle: [unclosed\n---\nbody\n", ["front matter", "yaml", "line"]),
        ("list.md", b"---\n- a\n- b\n---\nbody\n", ["front matter", "mapping"]),
        ("nested.md", b"---\ntitle: {a: 1}\n---\nbody\n", ["'title'"]),
        ("only.md", b"---\ntitle: t\n---\n\n  \n", ["no text after"]),
    ],
)
def test_bad_file_refused_with_sibling(
    tmp_path: Path, name: str, content: bytes, words: list[str]
) -> None:
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "zz_good.txt", BODY)
    articles, refusals = ingest(tmp_path)
    refused_once(refusals, str(bad), *words)
    assert [a.source for a in articles] == [str(good)]


def test_bad_sidecar_refuses_its_file_only(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", BODY)
    write(tmp_path / "a.txt.meta.yaml", "title: ok\ndate: [2022\n")
    good = write(tmp_path / "b.txt", BODY)
    articles, refusals = ingest(tmp_path)
    refused_once(refusals, str(txt), "sidecar a.txt.meta.yaml", "not valid yaml", "line")
    assert [a.source for a in articles] == [str(good)]


def test_sidecar_that_is_not_utf8(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", BODY)
    write(tmp_path / "a.txt.meta.yaml", b"title: caf\xe9\n")
    _, refusals = ingest(txt)
    refused_once(refusals, str(txt), "sidecar", "utf-8")


def test_big_file_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written or read
    good = write(tmp_path / "small.txt", BODY)

    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        assert self.name != "big.txt", "the big file was opened"
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    articles, refusals = ingest(big, good)
    refused_once(refusals, str(big), "50.0 MB", "limit")
    assert MAX_BYTES == 20 * 1024 * 1024
    assert [a.source for a in articles] == [str(good)]


def test_unknown_extension_and_missing_path(tmp_path: Path) -> None:
    pdf = write(tmp_path / "a.pdf", b"%PDF")
    sidecar = write(tmp_path / "a.txt.meta.yaml", "title: t\n")
    good = write(tmp_path / "a.txt", BODY)
    missing = tmp_path / "nope.txt"
    articles, refusals = ingest(pdf, missing, sidecar, good, "")
    assert [r.source for r in refusals] == [str(pdf), str(missing), str(sidecar), "''"]
    assert "unsupported file type '.pdf'" in refusals[0].reason
    assert refusals[1].reason == "no such file or directory"
    assert "'.yaml'" in refusals[2].reason
    assert [a.source for a in articles] == [str(good)]


def test_jsonl_bad_lines_good_lines_survive(tmp_path: Path) -> None:
    lines = [
        '{"text": "good one", "outlet": "TASS"}',  # 1
        "{not json",  # 2
        '["text", "an array"]',  # 3
        '{"title": "no text"}',  # 4
        '{"text": "   "}',  # 5
        '{"text": 42}',  # 6
        "",  # 7: blank, skipped silently
        '{"text": "bad \\ud800 surrogate"}',  # 8
        "null",  # 9
        '{"text": "\\u0000"}',  # 10: only a NUL -> empty
        '{"text": "good two", "author": {"nested": 1}}',  # 11
        '{"text": "good three"}',  # 12
    ]
    feed = write(tmp_path / "f.jsonl", "\n".join(lines))
    articles, refusals = ingest(feed)
    assert [(a.source, a.text) for a in articles] == [
        (f"{feed}:1", "good one"),
        (f"{feed}:12", "good three"),
    ]
    reasons = {r.source.rsplit(":", 1)[1]: r.reason for r in refusals}
    assert set(reasons) == {"2", "3", "4", "5", "6", "8", "9", "10", "11"}
    assert "not valid JSON" in reasons["2"]
    assert "an array, not a JSON object" in reasons["3"]
    assert reasons["4"] == "no 'text' field"
    assert reasons["5"] == reasons["10"] == "empty 'text'"
    assert reasons["6"] == "'text' is a number"
    assert "surrogate" in reasons["8"]
    assert "null" in reasons["9"]
    assert "'author'" in reasons["11"]


def test_csv_empty_row_and_short_row(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.csv", "outlet,text\nCNN,good\nBBC,\nAFP\n\nTASS,  \nRT,fine\n")
    articles, refusals = ingest(feed)
    assert [(a.source, a.outlet) for a in articles] == [(f"{feed}:2", "CNN"), (f"{feed}:7", "RT")]
    assert [(r.source, r.reason) for r in refusals] == [
        (f"{feed}:3", "empty 'text'"),
        (f"{feed}:4", "empty 'text'"),
        (f"{feed}:6", "empty 'text'"),
    ]


def test_csv_malformed_stops_with_one_refusal(tmp_path: Path) -> None:
    stray = write(tmp_path / "a.csv", 'text,outlet\ngood,CNN\n"bad"x,BBC\nlater,AFP\n')
    unclosed = write(tmp_path / "b.csv", 'text\ngood\n"never closed\nmore\n')
    articles, refusals = ingest(stray, unclosed)
    assert [a.source for a in articles] == [f"{stray}:2", f"{unclosed}:2"]
    assert [r.source for r in refusals] == [f"{stray}:3", f"{unclosed}:3"]
    assert all("malformed CSV" in r.reason and "skipped" in r.reason for r in refusals)


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _, refusals = ingest(fifo)
    refused_once(refusals, str(fifo), "not a regular file")


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2022-02-15", "2022-02-15"),
        ("2022-02-15T23:30:00-05:00", "2022-02-15"),
        ("2022/2/5", "2022-02-05"),
        ("15 February 2022", "2022-02-15"),
        ("Tuesday, February 15, 2022", "2022-02-15"),
        ("Feb. 15th, 2022 10:30 AM", "2022-02-15"),
        ("15 Sept 2022", "2022-09-15"),
        ("15/02/2022", "2022-02-15"),
        ("02/15/2022", "2022-02-15"),
        ("03/02/2022", "03/02/2022"),  # ambiguous: kept as written
        ("2022-02-30", "2022-02-30"),  # no such day: kept as written
        ("February 2022", "February 2022"),
        ("  last Tuesday ", "last Tuesday"),
        ("", ""),
    ],
)
def test_normalize_date(written: str, iso: str) -> None:
    assert normalize_date(written) == iso


# --- bad metadata names the field and the value --------------------------------------------


@pytest.mark.parametrize("date", ["9999-99-99", "2022-02-30", "31 February 2022", "45/13/2022"])
def test_impossible_date_names_field_and_value(tmp_path: Path, date: str) -> None:
    md = write(tmp_path / "a.md", f"---\ntitle: t\ndate: {date}\n---\n{BODY}")
    txt = write(tmp_path / "b.txt", BODY)
    write(tmp_path / "b.txt.meta.yaml", f"date: {date}\n")
    feed = write(tmp_path / "c.jsonl", json.dumps({"text": BODY, "date": date}) + "\n")
    table = write(tmp_path / "d.csv", f'text,date\n"{BODY}",{date}\n')
    good = write(tmp_path / "e.md", f"---\ndate: 2022-02-15\n---\n{BODY}")
    articles, refusals = ingest(md, txt, feed, table, good)
    assert [str(r) for r in refusals] == [
        f"{md}: date: {date} is not a date",
        f"{txt}: sidecar b.txt.meta.yaml: date: {date} is not a date",
        f"{feed}:1: date: {date} is not a date",
        f"{table}:2: date: {date} is not a date",
    ]
    assert [(a.source, a.date) for a in articles] == [(str(good), "2022-02-15")]


def test_vague_dates_are_kept_as_written(tmp_path: Path) -> None:
    md = write(tmp_path / "a.md", f"---\ndate: February 2022\n---\n{BODY}")
    amb = write(tmp_path / "b.md", f"---\ndate: 03/02/2022\n---\n{BODY}")
    articles, refusals = ingest(md, amb)
    assert refusals == []
    assert [a.date for a in articles] == ["February 2022", "03/02/2022"]


def test_front_matter_nested_too_deeply(tmp_path: Path) -> None:
    md = write(tmp_path / "a.md", "---\ntitle: " + "[" * 5000 + "\n---\n" + BODY)
    _, refusals = ingest(md)
    refused_once(refusals, str(md), "front matter", "nested too deeply")


def test_jsonl_number_too_long_refuses_its_row_only(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", '{"text": ' + "1" * 5000 + '}\n{"text": "good"}\n')
    articles, refusals = ingest(feed)
    assert [a.source for a in articles] == [f"{feed}:2"]
    assert [(r.source, r.reason) for r in refusals] == [
        (f"{feed}:1", "not valid JSON (a number too long to read)")
    ]


# --- hostile file names: escaped when printed, one refusal per line --------------------------


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    name = "a\x1b[31m\nb\u202e\rc.txt"
    bad = write(tmp_path / name, b"")
    [refusal] = ingest(bad)[1]
    shown = str(refusal)
    assert shown == f"{tmp_path}/a\\x1b[31m\\nb\\u202e\\rc.txt: empty file"
    assert shown.isprintable() and "\n" not in shown
    assert refusal.source == str(bad)  # the name itself is kept: escaping is for display


def test_name_that_is_not_utf8_is_stored_escaped(tmp_path: Path) -> None:
    import os

    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as f:
        f.write(BODY.encode())
    [article], refusals = ingest(tmp_path)
    assert refusals == []
    assert article.source == f"{tmp_path}/caf\\xe9.txt"
    article.source.encode("utf-8")  # SQLite and JSON can hold it


def test_reason_quoting_input_stays_one_line(tmp_path: Path) -> None:
    table = write(tmp_path / "t.csv", "bo\x1bdy\r,out\u2028let\nx,y\n")
    [refusal] = ingest(table)[1]
    assert "\\x1b" in str(refusal) and str(refusal).isprintable()
