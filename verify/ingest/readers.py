"""Which reader handles which extension, and the never-raise boundary around each file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from verify.ingest.errors import IngestError
from verify.ingest.htmlpage import read_html
from verify.ingest.tabular import read_csv, read_jsonl
from verify.ingest.text import read_md, read_txt
from verify.printable import shorten
from verify.types import Article, Refusal

Reader = Callable[[Path, str], Article | Iterator[Article | Refusal]]

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}


def read_path(path: str | Path) -> Iterator[Article | Refusal]:
    """The articles in one file (several for JSONL/CSV); problems come out as Refusals."""
    source = str(path)
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield Refusal(source, f"unsupported file type '{path.suffix}'")
        return
    try:
        result = reader(path, source)
        if isinstance(result, Article):
            yield result
        else:
            yield from result
    except IngestError as err:
        yield Refusal(source, err.reason)
    except Exception as err:  # one odd file (a parser bug, say) must not end the run
        yield Refusal(source, f"could not read ({shorten(f'{type(err).__name__}: {err}', 160)})")
