"""Every CLI command on a real store seeded with hostile text in every field an article or an
analyst can set: no raw control, escape, bidi or line-breaking character reaches the terminal,
no stored text forges a line, and every --json output is valid JSON that keeps the text.

The store is made by the real pipeline (models included) from two hostile articles with a
hostile registry; the analyst's fields (names, notes, propositions, corrections) are set
through the CLI itself. Commands run in-process through ``verify.cli.main`` (the entry point)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from verify.cli.main import main

# ESC colour, an OSC title, an OSC 8 hyperlink, a one-byte C1 CSI, bidi overrides, isolates and
# marks, line breaks of every kind, and a forged line after a newline.
HOSTILE = (
    "\x1b[41mRED\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mCSI \u202eevil\u202c \u2066iso\u2069 \u200e\u200f\u061c \u2028\u2029\x85\r"
    "\nfake: tag 999 = contradiction"
)
FORGED = "fake: tag 999"


def _bad(ch: str) -> bool:
    return ch != "\n" and unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _check(out: str, what: str) -> None:
    raw = sorted({f"U+{ord(ch):04X}" for ch in out if _bad(ch)})
    assert not raw, f"{what}: raw {raw} reached the terminal"
    assert not any(line.startswith(FORGED) for line in out.splitlines()), f"{what}: forged line"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    articles = root / "articles.jsonl"
    rows = [
        {
            "text": f"Ivan Petrov said that the dam on the river is safe and will hold {HOSTILE}. "
            f"Officials in Kyiv said the bridge will reopen next week {HOSTILE}.",
            "outlet": f"Daily {HOSTILE}",
            "title": f"Dam {HOSTILE}",
        },
        {
            "text": f"Maria Ivanova said that the dam on the river is not safe and will break "
            f"{HOSTILE}. The mayor said the bridge will stay closed for a month.",
            "outlet": f"Weekly {HOSTILE}",
        },
    ]
    articles.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    registry = root / "reg.toml"
    side = json.dumps(f"West {HOSTILE}")  # a JSON string is a valid TOML basic string
    registry.write_text(
        f'[[actor]]\nname = "Ivan Petrov"\nside = {side}\naliases = ["Petrov"]\n'
        f'[[actor]]\nname = "Maria Ivanova"\nside = {json.dumps(f"East {HOSTILE}")}\n',
        encoding="utf-8",
    )
    db = root / "h.db"
    assert main(["run", "--db", str(db), "--registry", str(registry), str(articles)]) == 0
    return db, root


def _json(capsys: pytest.CaptureFixture, argv: list[str]) -> object:
    assert main(argv) == 0
    out = capsys.readouterr()
    _check(out.out + out.err, " ".join(argv[:2]))
    return json.loads(out.out)


def test_every_command_prints_hostile_text_escaped(
    hostile_db: tuple[Path, Path], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, root = hostile_db
    config = root / "config" / "counterclaim"
    config.mkdir(parents=True, exist_ok=True)
    reviewer = f"rita {HOSTILE}"
    (config / "config.toml").write_text(f"reviewers = [{json.dumps(reviewer)}]\n", "utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    capsys.readouterr()
    d = ["--db", str(db)]
    who = ["--analyst", f"bob {HOSTILE}"]

    claims = _json(capsys, ["claims", *d, "--json"])
    assert isinstance(claims, list) and claims
    assert any(HOSTILE in c["outlet"] for c in claims)  # JSON keeps the text, escaped
    pairs = _json(capsys, ["disputes", *d, "--pairs", "--json"])
    assert isinstance(pairs, list) and pairs, "the hostile corpus must make a pair"
    pair, claim = pairs[0]["id"], claims[0]["id"]
    topic = claims[0]["topic"]

    commands = [
        ["propose", f"the dam will hold {HOSTILE}", "--topic", str(topic), *who, *d],
        ["propose", "--claim", str(claim), *who, *d],
        ["tag", str(pair), "contradiction", *who, "--note", f"note {HOSTILE}", *d],
        ["tag", str(pair), "unrelated", "--analyst", f"eve {HOSTILE}", *d],
        ["settle", str(pair), "contradiction", "--analyst", reviewer, "--note", HOSTILE, *d],
        [
            "correct",
            str(claim),
            "--speaker",
            HOSTILE,
            "--actor",
            HOSTILE,
            "--side",
            HOSTILE,
            *who,
            *d,
        ],
        [
            "correct",
            str(claims[-1]["id"]),
            "--side",
            "\x1b]8;;http://x\x1b\\s\x1b]8;;\x1b\\",
            *who,
            *d,
        ],
        ["recluster", *d],
        ["claims", *d],
        ["disputes", *d],
        ["disputes", *d, "--pairs", "--top", "50"],
        ["propositions", *d],
        ["agreement", *d],
        ["export", *d, "--format", "md", "-o", str(root / f"r{HOSTILE[:5]}.md")],
        [
            "export",
            *d,
            "--registry",
            str(root / "reg.toml"),
            "-o",
            str(root / "r.json"),
            "--format",
            "json",
        ],
    ]
    for argv in commands:
        code = main(argv)
        out = capsys.readouterr()
        assert code == 0, (argv[0], out.err)
        _check(out.out + out.err, argv[0])
    listing = _json(capsys, ["propositions", *d, "--json"])
    assert isinstance(listing, list)
    mine = next(p for p in listing if p["text"].startswith("the dam will hold"))
    assert mine["text"].startswith("the dam will hold \x1b[41mRED")  # stored as typed
    pid = mine["id"]
    for argv in (
        ["stance", str(pid), str(claim), "supports", *who, "--note", HOSTILE, *d],
        ["unpropose", str(pid), *who, *d],
    ):
        assert main(argv) == 0
        out = capsys.readouterr()
        _check(out.out + out.err, argv[0])
    for argv in (["disputes", *d, "--json"], ["agreement", *d, "--json"]):
        _json(capsys, argv)
    # The hostile text did reach the listings, escaped: a test that could not fail otherwise.
    assert main(["disputes", *d, "--pairs"]) == 0
    shown = capsys.readouterr().out
    assert "\\x1b[41mRED" in shown and "\\u202e" in shown and "\\nfake: tag 999" in shown


def test_refusals_with_hostile_values_are_one_line(
    hostile_db: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    db, root = hostile_db
    d = ["--db", str(db)]
    for argv in (
        ["tag", "999999", "contradiction", "--analyst", HOSTILE, *d],
        ["propose", HOSTILE, "--topic", "99999", *d, "--analyst", HOSTILE],
        ["stance", "99999", "1", "supports", *d, "--analyst", HOSTILE],
        ["run", *d, "--registry", str(root / f"missing{HOSTILE}.toml"), str(root)],
        ["export", *d, "-o", str(root / "x.md"), "--registry", str(root / f"no{HOSTILE}.yaml")],
    ):
        code = main(argv)
        out = capsys.readouterr()
        assert code == 2, (argv[0], out.err)
        assert out.err.count("\n") == 1 and out.err.startswith("counterclaim: "), out.err
        _check(out.out + out.err, argv[0])


def test_json_text_escapes_what_json_dumps_leaves_raw() -> None:
    from verify.printable import json_text

    obj = {"t": HOSTILE + " \U000e0001 \udcff", "n": [1, "日本 “quotes”"]}
    text = json_text(obj)
    assert not any(_bad(ch) for ch in text)
    assert json.loads(text) == obj and "日本 “quotes”" in text  # readable, not ASCII-escaped


def test_analyst_text_that_is_not_utf8_is_stored_with_replacement_characters(
    hostile_db: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    """argv bytes that are not UTF-8 reach Python as lone surrogates, which SQLite refuses."""
    db, _root = hostile_db
    d = ["--db", str(db)]
    pairs = _json(capsys, ["disputes", *d, "--pairs", "--json"])
    assert isinstance(pairs, list)
    pair = str(pairs[0]["id"])
    assert main(["tag", pair, "neutral", "--analyst", "zoe\udc80", "--note", "n\udcff", *d]) == 0
    _check(capsys.readouterr().out, "tag")
    result = _json(capsys, ["agreement", *d, "--json"])
    assert isinstance(result, dict) and "zoe\ufffd" in result["analysts"]
