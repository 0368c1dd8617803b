"""The `counterclaim` argument parser: every subcommand, its options and help text, and the
handler it routes to (``func``)."""

from __future__ import annotations

import argparse

from verify.cli.analyst import (
    _analyst,
    cmd_agreement,
    cmd_correct,
    cmd_settle,
    cmd_tag,
    cmd_train,
)
from verify.cli.reading import cmd_board, cmd_claims, cmd_disputes, cmd_export
from verify.cli.run import _store, cmd_recluster, cmd_run
from verify.cli.watch import add_parser as watch_parser
from verify.labels import STANCE_LABELS
from verify.settings import Settings

JSON_HELP = "print JSON (the contract in the README) instead of text"
PAIR_HELP = "the pair's id (`disputes --pairs`)"
ANALYST_HELP = "your name (default: $COUNTERCLAIM_ANALYST, else analyst in the config file)"


def parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    from verify.report import FORMATS as REPORT_FORMATS
    from verify.store.database import default_db_path

    db_default = default_db_path(settings)
    p = argparse.ArgumentParser(
        prog="counterclaim", description="Find who contradicts whom across news articles."
    )
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument(
            "--db",
            default=db_default,
            help="SQLite file (default: $COUNTERCLAIM_DB or ./counterclaim.db)",
        )
        sp.set_defaults(func=func)
        return sp

    sp = add("run", cmd_run, "ingest articles and find disputes")
    sp.add_argument("paths", nargs="+", help="files or folders (.txt .md .html .jsonl .csv)")
    sp.add_argument("--registry", help="actor registry (TOML or YAML); default: the shipped one")
    sp.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="extract, embed and score on the Ray cluster at ADDRESS (HEAD:6379, or auto: the "
        "one running on this machine, or local: that one, else a throwaway one for this run); "
        "the database stays here",
    )
    watch_parser(add)
    add("recluster", cmd_recluster, "cluster every claim into topics afresh (ids kept by overlap)")
    sp = add("claims", cmd_claims, "list extracted claims")
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    sp = add(
        "disputes",
        cmd_disputes,
        "disputes by proposition, most contested first (--pairs: claim pairs ranked by "
        "contradiction confidence)",
    )
    sp.add_argument("--pairs", action="store_true", help="list claim pairs instead")
    sp.add_argument(
        "--top",
        type=int,
        default=20,
        metavar="N",
        help="only the N highest-ranked (default 20; 0: all)",
    )
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    sp = add("tag", cmd_tag, "tag a pair as an analyst")
    sp.add_argument("pair_id", type=int, help=PAIR_HELP)
    sp.add_argument("label", choices=STANCE_LABELS, help="your label for the pair")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp.add_argument("--note", help="why (kept with the tag)")
    sp = add("settle", cmd_settle, "settle the analysts' conflict on a pair (reviewers only)")
    sp.add_argument("pair_id", type=int, help=PAIR_HELP)
    sp.add_argument("label", choices=STANCE_LABELS, help="the settled label")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp.add_argument("--note", help="why (kept with the settlement)")
    sp = add("correct", cmd_correct, "correct a claim the extractor got wrong (kept on re-run)")
    sp.add_argument("claim_id", type=int, help="the claim's id (`counterclaim claims`)")
    sp.add_argument("--speaker", help="who said it, as the article names them")
    sp.add_argument("--actor", help="the canonical actor the speaker is")
    sp.add_argument("--side", help="the actor's side in the dispute")
    sp.add_argument("--language", help="the claim's language code (en, ru, uk, ru-Latn, und, ...)")
    mark = sp.add_mutually_exclusive_group()
    mark.add_argument("--not-a-claim", action="store_true", help="it leaves every pair")
    mark.add_argument("--restore", action="store_true", help="undo --not-a-claim")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp = add("agreement", cmd_agreement, "inter-annotator agreement on the tags, per label")
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    add("train", cmd_train, "retrain the stance head with the analysts' tags")
    sp = add("export", cmd_export, "write a contradiction report")
    sp.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="report format (default: from the output's extension, else md)",
    )
    sp.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="where to write the report (.md .html .json .csv .jsonld)",
    )
    sp.add_argument("--topic", type=int, metavar="ID", help="only this topic's pairs and claims")
    sp.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        metavar="X",
        help="only pairs whose P(contradiction) is at least X",
    )
    sp.add_argument("--label", choices=STANCE_LABELS, help="only pairs whose verdict is LABEL")
    sp.add_argument("--tagged-only", action="store_true", help="only pairs an analyst tagged")
    sp.add_argument(
        "--min-checkworthy",
        type=float,
        metavar="X",
        help="hide claims whose check-worthiness is below X (the report says how many)",
    )
    sp.add_argument(
        "--registry", help="actor registry, to tell people from organisations (ClaimReview)"
    )
    sp.add_argument(
        "--publisher",
        metavar="NAME",
        help="the team publishing the fact checks (ClaimReview author; default: "
        "Counterclaim analysts)",
    )
    sp.add_argument(
        "--review-url",
        metavar="URL",
        help="page that will host the fact checks (ClaimReview url; default: a placeholder)",
    )
    sp.add_argument(
        "--include-model",
        action="store_true",
        help="ClaimReview: also review claims no analyst decided on, from the model's reading "
        "(marked as such; default: only what analysts tagged or settled)",
    )
    sp.add_argument(
        "--all",
        action="store_true",
        help="list every pair and every claim of each proposition (default: the 15 "
        "highest-ranked pairs per topic, 8 claims per side; the report says how many it left out)",
    )
    sp = add("board", cmd_board, "open the claim-versus-counterclaim board")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    from verify.cli.propositions import add_parsers as add_proposition_parsers

    add_proposition_parsers(add, _store, _analyst)
    add_eval_parsers(sub)
    return p


def add_eval_parsers(sub) -> None:  # argparse subparsers action
    """`counterclaim eval attribution|checkworthy|fnc1|sick|emergent|russian|multilingual ...`."""
    from verify.evaluation import attribution as eval_attribution
    from verify.evaluation import checkworthy as eval_checkworthy
    from verify.evaluation import multilingual as eval_multilingual
    from verify.evaluation import pairs as eval_pairs
    from verify.evaluation import russian as eval_russian
    from verify.evaluation import seeds as eval_seeds
    from verify.evaluation import stance as eval_stance

    sp = sub.add_parser("eval", help="measure the extractor and models against public gold data")
    what = sp.add_subparsers(dest="eval_what", required=True)
    eval_attribution.add_parser(what)  # each sets func= its own command
    eval_checkworthy.add_parser(what)
    eval_stance.add_parsers(what)
    eval_seeds.add_parser(what)
    eval_pairs.add_parser(what)
    eval_russian.add_parser(what)
    eval_multilingual.add_parser(what)
