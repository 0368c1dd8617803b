"""Who is at the keyboard, and the commands that record it: `tag`, `settle`, `correct`, then
`agreement` over the analysts' tags and `train` on them."""

from __future__ import annotations

import argparse

from verify.cli.faults import EXIT_USAGE, exit_code
from verify.cli.run import _settings, _store
from verify.printable import emit, emit_json
from verify.settings import Settings


def utf8(text: str) -> str:
    """``text`` with the bytes that were not UTF-8 in argv or the environment (which Python
    keeps as lone surrogates, unstorable in SQLite) written as U+FFFD, as a terminal shows them."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no decoder made (U+D800-DC7F)
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _config_analyst(settings: Settings) -> str:
    """`analyst = "name"` in ~/.config/counterclaim/config.toml; a broken file: ``ConfigError``."""
    from verify.config import load_config

    return str(load_config(settings=settings, strict=True).get("analyst") or "")


class NoAnalyst(Exception):
    """A command that records who did it was given no analyst name."""


def _analyst(args: argparse.Namespace) -> str:
    """Flag, then $COUNTERCLAIM_ANALYST, then the config file; never a made-up name (it would
    count as an analyst in the agreement figures)."""
    settings = _settings(args)
    name = utf8(args.analyst or settings.analyst or _config_analyst(settings)).strip()
    if not name:
        raise NoAnalyst(
            "who is this? pass --analyst NAME, set $COUNTERCLAIM_ANALYST, or put "
            'analyst = "NAME" in ~/.config/counterclaim/config.toml'
        )
    return name


def cmd_tag(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        tag_id = store.add_tag(args.pair_id, args.label, _analyst(args), args.note or "")
    except KeyError as exc:
        emit(f"counterclaim: {exc.args[0]}", err=True)
        return EXIT_USAGE
    emit(f"tag {tag_id}: pair {args.pair_id} = {args.label} ({_analyst(args)})")
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    from verify.analysts.settle import SettleError, settle
    from verify.config import load_config, reviewers

    who = _analyst(args)
    try:
        tag_id = settle(
            _store(args),
            args.pair_id,
            args.label,
            who,
            reviewers(load_config(settings=_settings(args), strict=True)),
            args.note or "",
        )
    except (KeyError, SettleError) as exc:
        emit(f"counterclaim: pair {args.pair_id}: {exc.args[0]}", err=True)
        return EXIT_USAGE
    emit(f"settlement {tag_id}: pair {args.pair_id} = {args.label} ({who})")
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    from verify.store.corrections import CorrectionError

    not_claim = True if args.not_a_claim else (False if args.restore else None)
    try:
        n = _store(args).correct_claim(
            args.claim_id,
            _analyst(args),
            speaker=args.speaker,
            actor=args.actor,
            side=args.side,
            language=args.language,
            not_claim=not_claim,
        )
    except CorrectionError as exc:
        emit(f"counterclaim: {exc}", err=True)
        return EXIT_USAGE
    emit(f"claim {args.claim_id}: {n} correction(s) stored ({_analyst(args)})")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from verify.analysts.agreement import agreement, describe

    result = agreement(_store(args).tags())
    if args.json:
        emit_json(result)
    else:
        for line in describe(result):
            emit(line)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from verify.analysts.retrain import retrain
    from verify.stages.pipeline import info

    try:  # stages and their elapsed time go to stderr; Ctrl-C stops before the model switches
        metrics = retrain(_store(args), info, settings=_settings(args))
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: the switch is one transaction
        emit("counterclaim: retrain cancelled; the store still uses its previous model", err=True)
        return exit_code(stop)
    emit_json(metrics)
    return 0
