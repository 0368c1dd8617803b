"""The import graph of ``verify`` and ``tui``, function-level imports included (grimp, which
import-linter builds on, reads every import statement wherever it is): no circle, and every name
imported from the module that defines it, not from one that imported it in turn (a package's
``__init__`` may offer its ``__all__``; ``verify.analysts.session`` is the TUI's one door to the engine's
writes, by contract)."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest
from conftest import REPO

#: Modules that exist to hand on names from elsewhere (the TUI may not import those owners).
FACADES = {"verify.analysts.session"}


def circles(packages: Iterable[str]) -> list[list[str]]:
    """Every group of modules that import one another round a circle (Tarjan's strongly
    connected components of the module graph), each sorted; none when the graph is layered."""
    names = tuple(packages)
    graph = grimp.build_graph(*names, include_external_packages=False, cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def _module(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level(tree: ast.Module) -> tuple[set[str], set[str], set[str]]:
    """(names defined, names imported, names in ``__all__``) at a module's top level."""
    defined: set[str] = set()
    imported: set[str] = set()
    public: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            defined |= names
            if "__all__" in names and node.value is not None:
                public = {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            imported |= {a.asname or a.name.split(".")[0] for a in node.names}
    return defined, imported, public


def second_hand_imports(root: Path, packages: Iterable[str], scan: Iterable[str]) -> list[str]:
    """``file:line: name from module`` for each name imported (in the ``scan`` folders) from a
    module of ``packages`` that did not define it but imported it itself."""
    modules = {_module(p, root): p for pkg in packages for p in (root / pkg).rglob("*.py")}
    tops = {m: _top_level(ast.parse(p.read_text(encoding="utf-8"))) for m, p in modules.items()}
    bad = []
    for folder in scan:
        for path in sorted((root / folder).rglob("*.py")):
            here = _module(path, root)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom):
                    continue
                base = here.split(".") if path.name == "__init__.py" else here.split(".")[:-1]
                target = (
                    node.module
                    if node.level == 0
                    else ".".join(base[: len(base) - node.level + 1] + [node.module or ""]).strip(
                        "."
                    )
                )
                if target not in tops or target in FACADES:
                    continue
                defined, imported, public = tops[target]
                package = modules[target].name == "__init__.py"
                for alias in node.names:
                    name = alias.name
                    if f"{target}.{name}" in modules or name in defined:
                        continue
                    if name in imported and not (package and name in public):
                        rel = path.relative_to(root).as_posix()
                        bad.append(f"{rel}:{node.lineno}: {name} from {target}")
    return bad


def test_no_import_circle_in_the_engine_or_the_ui() -> None:
    assert circles(["verify", "tui"]) == []


def test_names_come_from_the_module_that_defines_them() -> None:
    assert second_hand_imports(REPO, ["verify", "tui"], ["verify", "tui", "tests", "bench"]) == []


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package with a circle made only by a function-level import, and a second-hand import."""
    pkg = tmp_path / "toy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import B\n\nA = 1\n")
    (pkg / "b.py").write_text("B = 2\n\n\ndef f():\n    from .a import A\n\n    return A\n")
    (pkg / "c.py").write_text("from .b import B\n")
    (pkg / "d.py").write_text("from .c import B\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_the_checks_find_a_function_level_circle_and_a_second_hand_import(toy: Path) -> None:
    assert circles(["toy"]) == [["toy.a", "toy.b"]]
    assert second_hand_imports(toy, ["toy"], ["toy"]) == ["toy/d.py:1: B from toy.c"]
