"""Ingestion: files and folders in, ``Article``s and ``Refusal``s out, never an exception.

    for item in iter_articles(["seeds/", "more/feed.jsonl"]):
        ...  # Article or Refusal

Formats: .txt, .md (YAML front matter), .html/.htm (trafilatura, offline), .jsonl and .csv
(one article per line/row). Metadata sidecars: ``FILE.meta.yaml`` beside a .txt/.md/.html.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from verify.ingest.dates import normalize_date
from verify.ingest.decoding import MAX_BYTES
from verify.ingest.readers import READERS, read_path
from verify.ingest.walker import expand
from verify.types import Article, Refusal

__all__ = ["MAX_BYTES", "READERS", "iter_articles", "normalize_date", "read_path"]


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | Refusal]:
    """Every article under ``paths`` (files or folders, folders recursed in sorted order).

    Bad input yields a ``Refusal(source, reason)`` and the run goes on; the same file given
    twice is read twice (deduplication is the store's job, by ``Article.hash``).
    """
    if isinstance(paths, str | Path):
        paths = [paths]  # a lone path, not an iterable of characters
    for item in expand(paths, READERS.keys()):
        if isinstance(item, Refusal):
            yield item
        else:
            yield from read_path(item)
