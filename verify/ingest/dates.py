"""Dates to ISO ``YYYY-MM-DD`` where that is unambiguous; anything else is kept as written."""

from __future__ import annotations

import datetime as dt
import re

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
# English only, and not via strptime("%B"), which follows the process locale.
MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
# Trailing time or zone text is allowed after a separator; the date part is what counts.
_TAIL = r"(?:[\sT,].*)?$"
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TAIL)
_D_MONTH_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]+)\.?,?\s+(\d{4})" + _TAIL, re.I)
_MONTH_D_Y = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TAIL, re.I)
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse(s: str) -> dt.date | None:
    if m := _YMD.match(s):
        # A timestamp keeps the date as written: converting "23:30-05:00" to UTC would shift
        # the publication day.
        return _date(int(m[1]), int(m[2]), int(m[3]))
    s = _WEEKDAY.sub("", s)
    if (m := _D_MONTH_Y.match(s)) and m[2].lower() in MONTHS:
        return _date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if (m := _MONTH_D_Y.match(s)) and m[1].lower() in MONTHS:
        return _date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if m := _NUMERIC.match(s):
        # 15/02/2022 or 02/15/2022 can be read one way only; 03/02/2022 could be either.
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        readings = {d for d in (_date(year, b, a), _date(year, a, b)) if d}
        if len(readings) == 1:
            return readings.pop()
    return None


def normalize_date(value: str | dt.date) -> str:
    """``"Tuesday, February 15, 2022"`` -> ``"2022-02-15"``; else the text, stripped."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = value.strip()
    parsed = _parse(s) if s else None
    return parsed.isoformat() if parsed else s


def impossible_date(value: str) -> bool:
    """Written as one particular day, but no such day exists: "9999-99-99", "2022-02-30",
    "31 February 2022", "45/13/2022". Vague or ambiguous dates ("February 2022", "03/02/2022")
    are not impossible: they are kept as written."""
    s = value.strip()
    if not s or _parse(s) is not None:
        return False
    if _YMD.match(s):
        return True
    t = _WEEKDAY.sub("", s)
    if (m := _D_MONTH_Y.match(t)) and m[2].lower() in MONTHS:
        return True
    if (m := _MONTH_D_Y.match(t)) and m[1].lower() in MONTHS:
        return True
    if m := _NUMERIC.match(s):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        return _date(year, b, a) is None and _date(year, a, b) is None
    return False
