"""Registry and config files: a schema (strict types, unique aliases, no unknown keys) and safe
loading (size, depth, no YAML aliases). A bad file is one line naming the file, the key and
the problem, and the CLI exits 2; the board keeps its warning for a broken config."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from verify.cli.main import main
from verify.registry.actors import Registry, RegistryError

LOL = ", ".join(['"lol"'] * 9)
BOMB = f"a: &a [{LOL}]\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi", strict=True)
)  # 9**9 strings once expanded, from under 400 bytes

BAD = {
    "actor_is_5.toml": ("actor = 5\n", "actor: must be a list"),
    "aliases_is_5.toml": ('[[actor]]\nname = "A"\naliases = 5\n', "actor #1 (A): aliases: must be"),
    "just_42.yaml": ("42\n", "must hold a list of actors, not int"),
    "aliases_str.toml": (
        '[[actor]]\nname = "Joe Biden"\naliases = "Biden"\n',
        "actor #1 (Joe Biden): aliases: must be a valid list, not str",
    ),
    "side_list.toml": (
        '[[actor]]\nname = "Joe Biden"\nside = ["West", "US"]\n',
        "actor #1 (Joe Biden): side: must be a valid string, not list",
    ),
    "no_name.yaml": ("actors:\n  - side: West\n", "actor #1: name: missing"),
    "typo.toml": (
        '[[actor]]\nname = "A"\naliasses = ["B"]\n',
        "actor #1 (A): aliasses: unknown key",
    ),
    "item_5.yaml": ("actors:\n  - 5\n", "actor #1: must be a table, not int"),
    "bomb.yaml": (BOMB, "YAML anchors and aliases (& and *) are not allowed"),
    "deep.yaml": ("[" * 5000 + "]" * 5000, "nested deeper than 32 levels"),
    "deep.toml": ("a = " + "[" * 5000 + "]" * 5000, "nested deeper than 32 levels"),
    "huge.toml": ("# " + "x" * 1_100_000 + "\n", "larger than 1,000,000 bytes"),
    "latin1.toml": (b'[[actor]]\nname = "Caf\xe9"\n', "not UTF-8"),
    "broken.toml": ("[[actor]\nname=", "does not parse"),
    "kind.yaml": ("actors:\n  - name: X\n    kind: robot\n", "kind 'robot' is not one of"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_registry_is_one_line_naming_file_key_and_problem(tmp_path: Path, name: str) -> None:
    body, expected = BAD[name]
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(RegistryError) as err:
        Registry.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert expected in message, message


def test_an_alias_two_actors_claim_names_both(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    path.write_text(
        '[[actor]]\nname = "Joe Biden"\naliases = ["Biden"]\n'
        '[[actor]]\nname = "Hunter Biden"\naliases = ["the  BIDEN"]\n'
    )
    with pytest.raises(
        RegistryError,
        match=r"'biden' belongs to both actor #1 \(Joe Biden\) "
        r"and actor #2 \(Hunter Biden\)",
    ):
        Registry.load(path)


def test_the_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert len(BOMB) < 600
    tracemalloc.start()
    with pytest.raises(RegistryError):
        Registry.load(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000  # 9**9 strings would be gigabytes


def test_good_registries_still_load(tmp_path: Path) -> None:
    shipped = Registry.load()
    assert len(shipped.actors) > 10 and shipped.resolve("Lavrov").side == "Russia"
    path = tmp_path / "ok.yaml"
    path.write_text(
        "actors:\n  - name: Ada Lovelace\n    aliases: [Lovelace]\n    side: Science\n"
        "    organization: Royal Society\n    kind: Person\n"
    )
    actor = Registry.load(path).resolve("Lovelace")
    assert (actor.side, actor.organisation, actor.kind) == ("Science", "Royal Society", "person")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert Registry.load(empty).actors == []


def test_cli_refuses_a_bad_registry_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "reg.toml"
    path.write_text('[[actor]]\nname = "Joe Biden"\nside = ["West", "US"]\n')
    db = tmp_path / "s.db"
    for argv in (
        ["export", "--db", str(db), "-o", str(tmp_path / "r.md"), "--registry", str(path)],
        ["run", "--db", str(db), "--registry", str(path), str(tmp_path)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{path}: actor #1 (Joe Biden): side:" in err, err


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("analyst = 5\n", "analyst: must be a valid string, not int"),
        ('reviewers = [1, "b"]\n', "reviewers"),
        ('advance = "sideways"\n', "advance: must be 'untagged', 'next' or 'stay'"),
        ('analyts = "typo"\n', "analyts: unknown key"),
        ("analyst = \n", "does not parse"),
    ],
)
def test_a_bad_config_stops_the_cli_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    seed_db: Path,
    body: str,
    expected: str,
) -> None:
    from verify.config import load_config

    config = tmp_path / "counterclaim" / "config.toml"
    config.parent.mkdir()
    config.write_text(body)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("COUNTERCLAIM_ANALYST", raising=False)
    before = json.loads(_tags(seed_db))
    assert main(["tag", "1", "contradiction", "--db", str(seed_db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{config}: " in err and expected in err, err
    assert json.loads(_tags(seed_db)) == before  # nothing stored under a guessed name
    assert load_config(config) == {}  # the board: a warning, and the file ignored


def _tags(db: Path) -> str:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return json.dumps(con.execute("SELECT COUNT(*) FROM tags").fetchall())
    finally:
        con.close()
