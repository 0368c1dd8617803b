"""Read one file as text within limits: size, binary content, encoding, line endings.

Encoding policy (deliberate): text files must be UTF-8 (a UTF-8 BOM is dropped; a file
that starts with a UTF-16 BOM is decoded as UTF-16, as Windows "Unicode" saves). There is
no cp1252/latin-1 fallback: those decode *any* byte string, so a file in another legacy
charset would come through as silent mojibake and every claim in it would be wrong. A loud
refusal ("re-save as UTF-8") is better. HTML is the one exception: it may name its own
charset in a <meta> tag, and that declaration (not a guess) is honoured; see htmlpage.py.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from verify.ingest.errors import IngestError

# Per file, checked with stat() before any byte is read. JSONL/CSV corpora larger than this
# should be split: the whole file is decoded at once so that its checks are the same as text's.
MAX_BYTES = 20 * 1024 * 1024

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def os_reason(err: OSError) -> str:
    """A short reason for an OS error, without the path (the Refusal names it already)."""
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return (err.strerror or str(err)).lower()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refused if it is not a regular file or is over MAX_BYTES."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            # A FIFO or device would block or never end: never open one.
            raise IngestError("not a regular file")
        if st.st_size > MAX_BYTES:
            raise IngestError(f"file is {_mb(st.st_size)}, over the {_mb(MAX_BYTES)} limit")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # +1: the file may have grown since stat()
    except OSError as err:
        raise IngestError(os_reason(err)) from None
    if len(data) > MAX_BYTES:
        raise IngestError(f"file is over the {_mb(MAX_BYTES)} limit")
    return data


def charset_error(data: bytes, offset: int, charset: str = "UTF-8") -> IngestError:
    return IngestError(f"not valid {charset} (byte 0x{data[offset]:02x} at offset {offset})")


def decode(data: bytes, fallback: str | None = None) -> str:
    """Decode file bytes; refuse binary (NUL bytes) and non-UTF-8 content.

    ``fallback`` is a charset the file itself declared (HTML only); it is tried when the
    bytes are not UTF-8.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise charset_error(data, err.start, "UTF-16") from None
        if "\x00" in text:
            raise IngestError("binary file (NUL character in UTF-16 text)")
        return normalize_newlines(text.removeprefix("\ufeff"))
    nul = data.find(b"\x00")
    if nul >= 0:
        # NUL never occurs in UTF-8 text: this is an image, a PDF, a zip, UTF-16 without a BOM.
        raise IngestError(f"binary file (NUL byte at offset {nul})")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        if fallback is None:
            raise charset_error(data, skip + err.start) from None
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError as err2:
            raise IngestError(
                f"neither UTF-8 nor its declared charset {fallback}"
                f" (byte 0x{data[err2.start]:02x} at offset {err2.start})"
            ) from None
    return normalize_newlines(text)


def normalize_newlines(text: str) -> str:
    # CRLF only: a lone CR is kept as written, like every other control character.
    return text.replace("\r\n", "\n")


def require_text(text: str, data_len: int) -> str:
    if not text.strip():
        raise IngestError("empty file" if data_len == 0 else "file has only whitespace")
    return text


def read_text(path: Path, fallback: str | None = None) -> str:
    """read_bytes + decode, refusing empty or whitespace-only files."""
    data = read_bytes(path)
    return require_text(decode(data, fallback), len(data))
