"""The store owns its connection: SQL runs only in the store's own modules, and nothing else
touches ``Store.db`` (the import contracts in pyproject.toml keep sqlite3 and the store's modules
out of the TUI; this checks the code that import-linter cannot see: attribute use)."""

from __future__ import annotations

import ast

from conftest import REPO

#: The store: every module of the package (they get its connection from it). One folder, no list.
STORE_PACKAGE = "verify/store/"
SQL_CALLS = {"execute", "executemany", "executescript"}


def offences(source: str) -> list[str]:
    """``line: what`` for every SQL call and every ``.db`` reached in ``source`` (a command-line
    argument named ``db``, ``args.db``, is a path, not a connection)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_CALLS:
                found.append(f"{node.lineno}: .{node.func.attr}(...)")
        if isinstance(node, ast.Attribute) and node.attr == "db":
            if not (isinstance(node.value, ast.Name) and node.value.id == "args"):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_check_finds_sql_and_the_connection() -> None:
    code = "store.db.execute('SELECT 1')\nself.db = x\nargs.db\ncur.executemany(q, rows)\n"
    assert sorted(offences(code)) == [
        "1: .execute(...)",
        "1: store.db",
        "2: self.db",
        "4: .executemany(...)",
    ]


def test_sql_runs_only_in_the_store_modules() -> None:
    bad = {}
    for path in sorted([*REPO.glob("verify/**/*.py"), *REPO.glob("tui/**/*.py")]):
        name = path.relative_to(REPO).as_posix()
        if not name.startswith(STORE_PACKAGE):
            found = offences(path.read_text(encoding="utf-8"))
            if found:
                bad[name] = found
    assert bad == {}


def test_the_store_package_holds_the_sql() -> None:
    """A renamed store package would silently end the check above."""
    assert any(offences(p.read_text(encoding="utf-8")) for p in REPO.glob(STORE_PACKAGE + "*.py"))
