"""Counterclaim engine: from a folder of articles to ranked contradiction pairs.

Nothing under ``verify`` imports Textual; the terminal UI lives in ``tui``.
"""

__version__ = "0.1.0"
