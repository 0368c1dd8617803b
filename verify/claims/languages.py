"""The extractor for articles in any language: each article goes to the extractor of its
language (``verify.language.detect``): English to the spaCy rules, Russian to natasha's
(``claims.russian``). An article in another language gets its sentences as the outlet's own
claims, marked with their language (no attribution rules for it yet): stored and listed, paired
only where the multilingual encoder reads the language, never read by an English model."""

from __future__ import annotations

import re

from verify.language import ENGLISH, RUSSIAN, detect
from verify.types import Claim

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


class ByLanguage:
    """``extract(text, outlet)`` / ``extract_batch(items)`` with the extractor of each text's
    language; every claim carries its article's language (the store refines it per sentence)."""

    def __init__(self, english=None, russian=None) -> None:
        self._english, self._russian = english, russian
        self.name = "by-language"

    @property
    def english(self):
        if self._english is None:
            from verify.claims.extractor import ClaimExtractor

            self._english = ClaimExtractor()
        return self._english

    @property
    def russian(self):
        if self._russian is None:
            from verify.claims.russian import RussianExtractor

            self._russian = RussianExtractor()
        return self._russian

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        return self.extract_batch([(text, outlet)])[0]

    def extract_batch(self, items: list[tuple[str, str]]) -> list[list[Claim]]:
        langs = [detect(text).code for text, _ in items]
        out: list[list[Claim]] = [[] for _ in items]
        english = [i for i, code in enumerate(langs) if code == ENGLISH]
        if english:
            found = self.english.extract_batch([items[i] for i in english])
            for i, claims in zip(english, found, strict=True):
                out[i] = claims
        for i, code in enumerate(langs):
            if code == RUSSIAN:
                out[i] = self.russian.extract(*items[i])
            elif code != ENGLISH:
                out[i] = plain_sentences(items[i][0], items[i][1], code)
        return out


def plain_sentences(text: str, outlet: str, language: str) -> list[Claim]:
    """Each sentence of ``text`` as the outlet's own claim (none where the outlet is unknown)."""
    if outlet.strip().lower() in {"", "unknown"}:
        return []
    claims = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group().strip()
        if len(sentence.split()) < 3 and len(sentence) < 12:
            continue
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        claims.append(
            Claim(
                sentence, sentence, start, start + len(sentence), speaker=outlet, language=language
            )
        )
    return claims
