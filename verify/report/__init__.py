"""Contradiction reports in every format, from one document (``data.collect_all``).

Entry points: ``write_report`` (writes the file, plus the pictures beside a Markdown report) and
``render`` (the text of one format). Formats: see ``FORMATS``; filters: ``Filters``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verify.report.data import (
    DEFAULT_PER_SIDE,
    DEFAULT_PER_TOPIC,
    SCHEMA_VERSION,
    Filters,
    ReportError,
)

if TYPE_CHECKING:
    from verify.registry.actors import Registry
    from verify.report.charts import Figure
    from verify.report.fmt_claimreview import Publisher
    from verify.store.database import Store

FORMATS = ("md", "html", "json", "csv", "claimreview")
EXTENSIONS = {
    "md": ".md",
    "html": ".html",
    "json": ".json",
    "csv": ".csv",
    "claimreview": ".jsonld",
}
DEFAULT_ASSETS = "report_files"
#: Extensions that name a format besides ``EXTENSIONS``' own.
_ALIASES = {".markdown": "md", ".htm": "html", ".json-ld": "claimreview"}


def format_of(path: str | os.PathLike[str], given: str | None = None) -> str:
    """The format to write ``path`` in: ``given`` when set, else the one its extension names,
    else Markdown."""
    if given:
        return given
    ext = Path(path).suffix.lower()
    by_ext = {e: f for f, e in EXTENSIONS.items()} | _ALIASES
    return by_ext.get(ext, "md")


__all__ = [
    "DEFAULT_PER_SIDE",
    "DEFAULT_PER_TOPIC",
    "EXTENSIONS",
    "FORMATS",
    "SCHEMA_VERSION",
    "Filters",
    "Report",
    "ReportError",
    "build",
    "format_of",
    "render",
    "write_report",
]


@dataclass(frozen=True)
class Report:
    doc: dict[str, Any]  # the JSON document (docs/report-schema.md)
    figures: list[Figure]


def build(store: Store, filters: Filters | None = None, pictures: bool = True) -> Report:
    from verify.report.charts import actor_matrix, side_matrix, timeline
    from verify.report.data import collect_all
    from verify.report.projection import claim_points
    from verify.report.topic_map import topic_map

    doc, matching = collect_all(store, filters)
    if not pictures:
        return Report(doc, [])
    points = claim_points(store, doc["claims"], doc["models"]["embedding"])
    # The pictures show every matching pair, also those the per-topic cap leaves out of the
    # tables, so they agree with the summary's counts.
    shown = {**doc, "pairs": matching}
    model = doc["models"]["embedding"]
    pictures_ = [side_matrix(shown), actor_matrix(shown), topic_map(shown, points, model)]
    return Report(doc, [*pictures_, timeline(shown)])


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def format_report(
    report: Report,
    fmt: str,
    assets: str = DEFAULT_ASSETS,
    registry: Registry | None = None,
    publisher: Publisher | None = None,
) -> str:
    _check(fmt)
    if fmt == "md":
        from verify.report.fmt_md import to_markdown

        return to_markdown(report.doc, report.figures, assets)
    if fmt == "html":
        from verify.report.fmt_html import to_html

        return to_html(report.doc, report.figures)
    if fmt == "json":
        from verify.report.fmt_json import to_json

        return to_json(report.doc)
    if fmt == "csv":
        from verify.report.fmt_csv import to_csv

        return to_csv(report.doc)
    return _claimreview(report.doc, registry, publisher)


def _claimreview(
    doc: dict[str, Any], registry: Registry | None, publisher: Publisher | None
) -> str:
    """One review per claim the analysts decided on (``fmt_claimreview``; the model's readings
    too, marked, when the publisher includes them), as one JSON-LD graph."""
    from verify.registry.actors import Registry
    from verify.report.fmt_claimreview import Publisher, claim_reviews
    from verify.report.fmt_json import dumps

    registry = registry or Registry.load()
    publisher = publisher or Publisher()
    graph = claim_reviews(doc, registry, publisher)
    return dumps({"@context": "https://schema.org", "@graph": graph})


def render(
    store: Store,
    fmt: str,
    min_confidence: float = 0.0,
    *,
    topic: int | None = None,
    label: str | None = None,
    tagged_only: bool = False,
    min_checkworthy: float | None = None,
    per_topic: int | None = DEFAULT_PER_TOPIC,
    per_side: int | None = DEFAULT_PER_SIDE,
    registry: Registry | None = None,
    publisher: Publisher | None = None,
) -> str:
    """The report as text. A Markdown report links its pictures under ``report_files/`` but this
    does not write them: use ``write_report`` for that."""
    _check(fmt)
    filters = Filters(
        topic, min_confidence, label, tagged_only, min_checkworthy, per_topic, per_side
    )
    report = build(store, filters, pictures=fmt in ("md", "html"))
    return format_report(report, fmt, registry=registry, publisher=publisher)


def write_report(
    store: Store,
    fmt: str,
    path: str | os.PathLike[str],
    filters: Filters | None = None,
    registry: Registry | None = None,
    publisher: Publisher | None = None,
) -> list[Path]:
    """Write the report to ``path``; Markdown also writes ``<stem>_files/<picture>.svg`` beside it.

    CSV also writes ``<stem>.propositions.csv`` (one row per proposition and claim) beside it.
    Returns every file written, the report first."""
    from verify.atomic import OutputIsStore, refuse_store

    _check(fmt)
    target = Path(path).expanduser()
    assets = f"{target.stem}_files"
    if fmt == "csv":
        from verify.report.fmt_csv import propositions_path

        sidecars = [propositions_path(target)]
    else:
        sidecars = []
    try:  # before anything is read or written: an output over the store is refused whole
        refuse_store([target, *sidecars, target.parent / assets], store.path)
        return _write(store, fmt, target, assets, sidecars, filters, registry, publisher)
    except OutputIsStore as exc:
        raise ReportError(str(exc)) from None


def _write(
    store: Store,
    fmt: str,
    target: Path,
    assets: str,
    sidecars: list[Path],
    filters: Filters | None,
    registry: Registry | None,
    publisher: Publisher | None,
) -> list[Path]:
    from verify.atomic import refuse_store, write_text

    report = build(store, filters, pictures=fmt in ("md", "html"))
    text = format_report(report, fmt, assets, registry, publisher)
    written = [target]
    if fmt == "md":
        folder = target.parent / assets
        drawn = [f for f in report.figures if f.svg is not None]
        if drawn:
            folder.mkdir(parents=True, exist_ok=True)
        for fig in drawn:
            out = folder / f"{fig.key}.svg"
            refuse_store([out], store.path)  # a picture's name is ours, its folder may be a link
            written.append(write_text(out, fig.svg or ""))
    if fmt == "csv":
        from verify.report.fmt_csv import propositions_csv

        written.append(write_text(sidecars[0], propositions_csv(report.doc)))
    write_text(target, text)  # each file whole or the previous one kept (``verify.atomic``)
    return written
