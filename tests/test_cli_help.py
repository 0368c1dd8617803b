"""Every CLI option and argument has help text (the whole argparse tree is walked)."""

from __future__ import annotations

import argparse

from verify.cli.parser import parser


def _missing(p: argparse.ArgumentParser, path: str) -> list[str]:
    out = []
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += _missing(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction) and not (action.help or "").strip():
            out.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return out


def test_every_option_has_help_text() -> None:
    p = parser()
    assert _missing(p, "counterclaim") == []
    names = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)][0].choices
    assert {"run", "disputes", "tag", "export", "board", "eval"} <= names.keys()
