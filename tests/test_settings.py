"""One settings object read at the entry points; the engine's log records routed by them.

The environment is a given mapping (nothing here depends on the machine's own variables), and
the source scans hold the contracts: only ``verify.settings`` reads the environment, only
``verify.offline`` writes it, and library code prints nothing to stderr.
"""

from __future__ import annotations

import ast
import io
import logging
import os
from pathlib import Path

import pytest

from verify.settings import REPO, Settings

VERIFY = REPO / "verify"
#: The one reader and the one writer of the process environment.
ENVIRONMENT_MODULES = {VERIFY / "settings.py", VERIFY / "offline.py"}
#: Command-line modules, which talk to the terminal themselves, and the CLI's log route.
CLI_MODULES = {*(VERIFY / "cli").glob("*.py"), VERIFY / "logs.py"}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ENV = {
    "HOME": "/home/ana",
    "COUNTERCLAIM_MODELS": "/opt/models",
    "COUNTERCLAIM_CACHE": "/var/cache/cc",
    "XDG_CACHE_HOME": "/ignored/because/counterclaim/cache/is/set",
    "XDG_CONFIG_HOME": "/etc/xdg",
    "COUNTERCLAIM_DATA": "/data/public",
    "COUNTERCLAIM_DB": "/tmp/team.db",
    "COUNTERCLAIM_STANCE": "sklearn",
    "COUNTERCLAIM_STANCE_BACKEND": " Torch ",
    "COUNTERCLAIM_ANALYST": "ana",
    "COUNTERCLAIM_EXTRACT_PROCESSES": "3",
    "USER": "login",  # never the analyst's name
}


def test_settings_resolve_from_the_given_mapping() -> None:
    s = Settings.from_env(ENV, stderr=Terminal())
    assert s == Settings(
        models_dir=Path("/opt/models"),
        cache_dir=Path("/var/cache/cc"),
        config_dir=Path("/etc/xdg/counterclaim"),
        data_dir=Path("/data/public"),
        db_path="/tmp/team.db",
        stance_kind="sklearn",
        stance_backend="torch",
        progress=True,
        analyst="ana",
        extract_processes=3,
    )
    assert s.config_file == Path("/etc/xdg/counterclaim/config.toml")
    assert not s.quantized  # torch named: no int8 graph anywhere
    assert not Settings.from_env(ENV | {"CI": "1"}, stderr=Terminal()).progress
    assert not Settings.from_env(ENV, stderr=io.StringIO()).progress  # a pipe: no bars


def test_settings_defaults_beside_the_repo_and_home() -> None:
    s = Settings.from_env({"HOME": "/home/ana", "XDG_CACHE_HOME": "/xdg"}, stderr=io.StringIO())
    assert s.models_dir == REPO / "models"
    assert s.cache_dir == Path("/xdg/counterclaim")
    assert s.config_dir == Path("/home/ana/.config/counterclaim")
    assert s.data_dir == REPO.parent / "shared" / "data"
    assert (s.db_path, s.stance_kind, s.stance_backend) == ("counterclaim.db", "cross", "")
    assert (s.analyst, s.progress) == ("", False)
    assert Settings.from_env({"HOME": "/h"}).cache_dir == Path("/h/.cache/counterclaim")


def test_engine_functions_follow_the_settings_they_are_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from verify.checkworthy.training import default_data_dir
    from verify.config import load_config
    from verify.models_dir import cache_root, model_dir
    from verify.stance.cross_encoder import default_backend
    from verify.stance.loading import default_kind, default_model_path
    from verify.store.database import default_db_path

    s = Settings.from_env({**ENV, "XDG_CONFIG_HOME": str(tmp_path)}, stderr=io.StringIO())
    assert model_dir("checkworthy", s) == Path("/opt/models/checkworthy")
    assert cache_root(s) == Path("/var/cache/cc")
    assert default_db_path(s) == "/tmp/team.db"
    assert default_data_dir(s) == Path("/data/public/claimbuster")
    assert default_kind(s) == "sklearn" and default_backend(s) == "torch"
    # "cross" needs the weights in the models folder; without them the linear head is used.
    cross = Settings.from_env({"COUNTERCLAIM_MODELS": str(tmp_path)}, stderr=io.StringIO())
    assert default_kind(cross) == "sklearn"
    assert default_model_path(cross) == tmp_path / "stance-sklearn"
    shipped = Settings.from_env({}, stderr=io.StringIO())
    assert default_kind(shipped) == "cross"  # the repo ships the cross-encoder

    (tmp_path / "counterclaim").mkdir()
    (tmp_path / "counterclaim" / "config.toml").write_text('analyst = "cfg"\n', encoding="utf-8")
    assert load_config(settings=s) == {"analyst": "cfg"}
    (tmp_path / "counterclaim" / "config.toml").write_text("analyst = \n", encoding="utf-8")
    assert load_config(settings=s) == {}  # broken: a warning, never fatal
    bad = Settings.from_env({"COUNTERCLAIM_STANCE_BACKEND": "gpu"}, stderr=io.StringIO())
    assert default_backend(bad) == "onnx"
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("config.toml: ignored" in m for m in warned)
    assert any("COUNTERCLAIM_STANCE_BACKEND='gpu' ignored" in m for m in warned)


def _modules() -> list[tuple[Path, ast.Module]]:
    files = sorted(VERIFY.rglob("*.py"))
    assert len(files) > 50
    return [(f, ast.parse(f.read_text(encoding="utf-8"), str(f))) for f in files]


def _environment_uses(tree: ast.Module) -> list[int]:
    """Lines naming ``os.environ``/``os.getenv``/``os.putenv`` or importing them from ``os``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "putenv"}:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if {a.name for a in node.names} & {"environ", "getenv", "putenv"}:
                lines.append(node.lineno)
    return lines


def test_only_the_settings_module_reads_the_environment() -> None:
    found = {
        f"{f.relative_to(REPO)}:{line}"
        for f, tree in _modules()
        if f not in ENVIRONMENT_MODULES
        for line in _environment_uses(tree)
    }
    assert not found, f"environment read below the entry points: {sorted(found)}"
    for f in ENVIRONMENT_MODULES:  # the scan sees what it looks for
        assert _environment_uses(ast.parse(f.read_text(encoding="utf-8")))


def _stderr_prints(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, enclosing function) of each ``print(..., file=sys.stderr)``."""
    out = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id == "print"
            ):
                for kw in child.keywords:
                    v = kw.value
                    if kw.arg == "file" and isinstance(v, ast.Attribute) and v.attr == "stderr":
                        out.append((child.lineno, function))
            visit(child, name)

    visit(tree, "<module>")
    return out


def test_library_code_logs_instead_of_printing_to_stderr() -> None:
    """Only command-line code prints to stderr: the CLI modules, the evaluation commands, and
    the ``main`` of a ``python -m`` module; the rest logs (``verify.logs``)."""
    found = [
        f"{f.relative_to(REPO)}:{line} in {function}"
        for f, tree in _modules()
        if f not in CLI_MODULES and "evaluation" not in f.parts
        for line, function in _stderr_prints(tree)
        if function != "main"
    ]
    assert not found, f"library code printing to stderr: {found}"
    logs = ast.parse((VERIFY / "logs.py").read_text(encoding="utf-8"))
    assert _stderr_prints(logs)  # the scan sees what it looks for (the CLI goes through emit)


def test_to_stderr_writes_one_printable_line_per_record(capsys: pytest.CaptureFixture) -> None:
    from verify.logs import to_stderr

    log = logging.getLogger("verify.stages.pipeline")
    before = logging.getLogger("verify").level
    with to_stderr():
        log.info("refused evil\x1b[2J.txt: not text")
        log.warning("stance model runs on torch\nsecond line")
        logging.getLogger("elsewhere").warning("not the engine's")
    log.info("after: not routed")
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "refused evil\\x1b[2J.txt: not text",
        "counterclaim: stance model runs on torch\\nsecond line",
    ]
    assert logging.getLogger("verify").level == before


def test_cli_routes_the_pipeline_log_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """``counterclaim run`` in process: the pipeline's default ``log`` reaches stderr via the
    logger (a refusal, named by file), and the route is gone after ``main`` returns."""
    from verify.cli.main import main

    bad = tmp_path / "in" / "binary.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"\x00\x01\x02 not text")
    assert main(["run", str(bad.parent), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("refused ") and "binary.txt" in line for line in err), err
    assert not logging.getLogger("verify").handlers


def test_the_engine_reads_int8_only_when_asked() -> None:
    def quantized(backend: str | None) -> bool:
        env = {"HOME": "/h"} | ({} if backend is None else {"COUNTERCLAIM_STANCE_BACKEND": backend})
        return Settings.from_env(env).quantized

    assert quantized("onnx-int8") and quantized(" ONNX-int8 ")
    assert not quantized(None) and not quantized("onnx") and not quantized("torch")


def test_extraction_processes_default_to_the_cores_at_most_four() -> None:
    cores = max(1, min(4, os.cpu_count() or 1))
    assert Settings.from_env({"HOME": "/h"}).extract_processes == cores
    assert (
        Settings.from_env({"HOME": "/h", "COUNTERCLAIM_EXTRACT_PROCESSES": "x"}).extract_processes
        == cores
    )
    assert (
        Settings.from_env({"HOME": "/h", "COUNTERCLAIM_EXTRACT_PROCESSES": "0"}).extract_processes
        == 1
    )
