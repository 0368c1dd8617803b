"""The proposition commands: ``propositions``, ``propose``, ``unpropose``, ``stance``, and the
proposition listing of ``disputes`` (``--pairs`` keeps the pair listing)."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import Any

from verify.labels import PROPOSITION_LABELS
from verify.printable import emit, emit_json, printable

EXIT_USAGE = 2
Analyst = Callable[[argparse.Namespace], str]


def _short(text: str, width: int) -> str:
    text = printable(" ".join(text.split()))  # stored text: no escape codes to the terminal
    return text if len(text) <= width else text[: width - 1] + "…"


#: Quotation marks a proposition may already carry (a pinned quote): not doubled when printed.
_QUOTES = "\"'“”‘’«»„"
UNKNOWN_OUTLET = "(?)"


def _quoted(text: str) -> str:
    inner = text.strip()
    while len(inner) > 1 and inner[0] in _QUOTES and inner[-1] in _QUOTES:
        inner = inner[1:-1].strip()
    return f"“{inner}”"


def _who(c: dict[str, Any]) -> str:
    via = f" via {', '.join(c['relay'])}" if c["relay"] else ""
    outlet = f"({c['outlet']})" if c["outlet"] else UNKNOWN_OUTLET
    return printable(f"{c['actor'] or c['speaker']} [{c['side']}]{via} {outlet}")


def print_propositions(items: list[dict[str, Any]], per_side: int = 6) -> None:
    """Each proposition, then its supporters and refuters grouped by side; a legend for the
    marks used, at the end."""
    unknown = False
    for p in items:
        mark = "DISPUTE" if p["is_dispute"] else "       "
        topic = f"topic {p['topic']['id']}: {_short(p['topic']['title'], 40)}"
        emit(f"P{p['id']:<4} {mark} contested {p['contested']:.2f}  [{p['origin']}]  {topic}")
        quoted = _quoted(_short(p["text"], 300))
        for line in textwrap.wrap(
            quoted, 100, initial_indent="      ", subsequent_indent="       "
        ):
            emit(line)
        for title, key, label in (
            ("supports", "supporters", "supports"),
            ("refutes", "refuters", "refutes"),
        ):
            rows = p[key]
            emit(f"      {title} ({len(rows)}):")
            for s in rows[:per_side]:
                c = s["claim"]
                unknown = unknown or not c["outlet"]
                tag = " tagged" if s["tagged"] else ""
                line = (
                    f"{s['probs'][label]:.2f}{tag} #{c['id']} {_who(c)}: {_short(c['text'], 160)}"
                )
                for part in textwrap.wrap(
                    line, 100, initial_indent=" " * 8, subsequent_indent=" " * 10
                ):
                    emit(part)
            if len(rows) > per_side:
                emit(f"        … {len(rows) - per_side} more")
        emit()
    if unknown:
        emit(f"{UNKNOWN_OUTLET} outlet unknown · [side] the speaker's side · via: who relayed it")


def cmd_propositions(args: argparse.Namespace, store) -> int:
    from verify.views import listings as views

    items = views.proposition_listing(
        store, args.topic, args.top or None, getattr(args, "disputes_only", False)
    )
    if args.json:
        emit_json(items)
    else:
        print_propositions(items)
    return 0


def _stance_model(store):
    from verify.stages.engine_models import cached_embedder, stance_model

    return stance_model(store, cached_embedder(store))


def _score_now(store) -> int:
    """Score the new proposition against its topic at once, so it shows supporters right away."""
    from verify.propositions.scoring import score_propositions
    from verify.stages.engine_models import claim_space
    from verify.stages.pipeline import info
    from verify.store.propositions import PropositionTables

    key = store.meta.stance_model
    if not key:
        return 0
    space = claim_space(store).encode
    return score_propositions(PropositionTables(store), _stance_model(store), key, info, space)


def cmd_propose(args: argparse.Namespace, store, analyst: str) -> int:
    from verify.propositions.edit import PropositionError, pin_claim, propose_text
    from verify.stages.engine_models import cached_embedder

    try:
        if args.claim is not None:
            if args.text:
                raise PropositionError("give TEXT or --claim ID, not both")
            pid = pin_claim(store, args.claim, analyst)
        else:
            if args.text is None or args.topic is None:
                raise PropositionError("give TEXT --topic N, or --claim ID")
            enc = cached_embedder(store)
            pid = propose_text(store, args.text, args.topic, analyst, enc.encode)
    except PropositionError as e:
        emit(f"counterclaim: {e}", err=True)
        return EXIT_USAGE
    n = 0 if args.no_score else _score_now(store)
    emit(f"proposition P{pid} ({analyst}); {n} claims scored against it")
    return 0


def cmd_unpropose(args: argparse.Namespace, store, analyst: str) -> int:
    from verify.propositions.edit import PropositionError, unpropose

    try:
        unpropose(store, args.id, analyst)
    except PropositionError as e:
        emit(f"counterclaim: {e}", err=True)
        return EXIT_USAGE
    emit(f"proposition P{args.id} withdrawn ({analyst})")
    return 0


def cmd_stance(args: argparse.Namespace, store, analyst: str) -> int:
    from verify.propositions.edit import PropositionError, tag_stance

    try:
        tid = tag_stance(store, args.proposition, args.claim, args.label, analyst, args.note or "")
    except PropositionError as e:
        emit(f"counterclaim: {e}", err=True)
        return EXIT_USAGE
    emit(f"stance tag {tid}: claim {args.claim} {args.label} P{args.proposition} ({analyst})")
    return 0


def add_parsers(add: Callable[..., argparse.ArgumentParser], store_of, analyst: Analyst) -> None:
    """``add(name, func, help)`` is the CLI's subcommand factory; commands get the store and the
    analyst resolved by the CLI's own rules."""

    def with_store(f):
        return lambda a: f(a, store_of(a))

    def with_analyst(f):
        return lambda a: f(a, store_of(a), analyst(a))

    sp = add(
        "propositions",
        with_store(cmd_propositions),
        "list propositions: each with the claims that support and refute it, by side",
    )
    sp.add_argument("--topic", type=int, metavar="N", help="only this topic's propositions")
    sp.add_argument("--top", type=int, default=0, help="at most this many (default: all)")
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")

    sp = add(
        "propose",
        with_analyst(cmd_propose),
        "make a proposition: type one for a topic, or pin a claim as one",
    )
    sp.add_argument("text", nargs="?", help='e.g. "the troop withdrawal has begun"')
    sp.add_argument("--topic", type=int, metavar="N", help="the topic a typed proposition is about")
    sp.add_argument("--claim", type=int, metavar="ID", help="pin this claim as a proposition")
    sp.add_argument(
        "--analyst",
        help="your name (default: $COUNTERCLAIM_ANALYST, else analyst in the config file)",
    )
    sp.add_argument("--no-score", action="store_true", help="leave scoring to the next run")

    sp = add("unpropose", with_analyst(cmd_unpropose), "withdraw a proposition (engine or analyst)")
    sp.add_argument("id", type=int, help="the proposition's id (`counterclaim propositions`)")
    sp.add_argument(
        "--analyst",
        help="your name (default: $COUNTERCLAIM_ANALYST, else analyst in the config file)",
    )

    sp = add("stance", with_analyst(cmd_stance), "tag a claim's stance toward a proposition")
    sp.add_argument("proposition", type=int, metavar="PROPOSITION_ID", help="the proposition's id")
    sp.add_argument("claim", type=int, metavar="CLAIM_ID", help="the claim's id")
    sp.add_argument("label", choices=PROPOSITION_LABELS, help="the claim's stance toward it")
    sp.add_argument(
        "--analyst",
        help="your name (default: $COUNTERCLAIM_ANALYST, else analyst in the config file)",
    )
    sp.add_argument("--note", help="why (kept with the tag)")
