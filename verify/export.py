"""Kept for existing callers: the reports now live in ``verify.report``."""

from __future__ import annotations

from .report import FORMATS, SCHEMA_VERSION, Filters, ReportError, build, render, write_report
from .report.fmt_csv import CSV_COLUMNS

REPORT_SCHEMA_VERSION = SCHEMA_VERSION

__all__ = [
    "CSV_COLUMNS", "FORMATS", "REPORT_SCHEMA_VERSION", "Filters", "ReportError", "build",
    "render", "write_report",
]  # fmt: skip
