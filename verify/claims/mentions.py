"""Speaker mentions: the phrase as written, the name it stands for, and what a pronoun or a
description ("he", "the embassy", "the British Prime Minister") refers back to."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from verify.claims.lexicon import PRONOUNS, SPEAKER_ENTS, SPEAKER_NOUNS

_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her"}
_KEEP_PREPS = {"in", "of", "at", "for"}
_LOOKBACK_CHARS = 2500  # a pronoun refers to someone named in the last few paragraphs


@dataclass
class Mention:
    """A speaker as written (``span``) and the name it resolves to (``name``)."""

    span: Span
    name: str
    written: tuple[int, int] | None = None  # full phrase as written, with appositives (chars)

    @property
    def extent(self) -> tuple[int, int]:
        return self.written or (self.span.start_char, self.span.end_char)


def phrase(head: Token) -> Span:
    """The noun phrase headed by ``head``, cut before commas and clauses."""
    doc = head.doc
    start = head.i
    for tok in reversed(list(head.lefts)):
        if tok.dep_ in {"det", "amod", "compound", "poss", "nmod", "nummod"} and tok.text != ",":
            start = min(start, tok.left_edge.i)
    end = head.i + 1
    for tok in head.rights:
        if tok.i != end:
            break
        if tok.dep_ == "prep" and tok.lower_ in _KEEP_PREPS:
            sub = [t for t in tok.subtree]
            if any(t.text in {",", "“", "”", '"'} for t in sub):
                break
            end = sub[-1].i + 1
        elif tok.dep_ in {"compound", "flat"}:
            end = tok.i + 1
        else:
            break
    return doc[start:end]


def written_extent(head: Token, avoid: set[int], lo: int = 0, hi: int | None = None) -> Span:
    """The whole noun phrase as written: the head's subtree with appositives and relative
    clauses ("Robert Mason, a professor who studies it,"), never reaching a token in ``avoid``
    (the cue, quoted words) nor leaving tokens ``lo``..``hi``; edge punctuation trimmed."""
    doc = head.doc
    hi = len(doc) if hi is None else hi
    start, end = max(head.left_edge.i, lo), min(head.right_edge.i + 1, hi)
    for child in head.children:  # "Beck, who said ...": a clause holding a cue is not the name
        if any(t.i in avoid for t in child.subtree):
            if child.i > head.i:
                end = min(end, child.left_edge.i)
            else:
                start = max(start, child.right_edge.i + 1)
    for i in range(head.i - 1, start - 1, -1):
        if i in avoid:
            start = i + 1
            break
    for i in range(head.i + 1, end):
        if i in avoid:
            end = i
            break
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _strip_det(text: str) -> str:
    words = text.strip(" ,:;“”\"'‘’").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def name_of(span: Span) -> str:
    """A readable name: a person's name if the phrase holds one, else the phrase sans article."""
    # A person named inside the phrase but not its head ("the Clinton campaign", "a Trump
    # adviser", "Clinton's aide") is not who speaks.
    root = span.root
    persons = [
        e
        for e in span.ents
        if e.label_ == "PERSON" and (e.start <= root.i < e.end or root.pos_ in {"PROPN", "PRON"})
    ]
    if persons:
        return persons[-1].text
    for tok in span:
        if tok.dep_ == "appos":
            for ent in tok.doc.ents:
                if (
                    ent.label_ == "PERSON"
                    and ent.start >= tok.left_edge.i
                    and ent.end <= tok.right_edge.i + 1
                ):
                    return ent.text
    if root.pos_ == "PROPN" and root.ent_type_ in SPEAKER_ENTS:
        for ent in span.ents:
            if ent.start <= root.i < ent.end:
                return _strip_det(ent.text)
    return _strip_det(span.text)


def is_speaker(head: Token) -> bool:
    if head.lower_ in PRONOUNS:
        return True
    if head.ent_type_ in SPEAKER_ENTS or head.pos_ == "PROPN":
        return True
    return head.lemma_.lower() in SPEAKER_NOUNS or head.lower_ in SPEAKER_NOUNS


def _appos_person(head: Token) -> str | None:
    """'Christo Grozev, director of ...' or 'the US president, Joe Biden,' -> the person."""
    for tok in head.children:
        if tok.dep_ == "appos" and tok.ent_type_ == "PERSON":
            return name_of(phrase(tok))
    if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
        return name_of(phrase(head.head))
    return None


class Resolver:
    """Resolves pronouns and definite descriptions against what came earlier in the article."""

    def __init__(self) -> None:
        self.seen: list[Mention] = []  # speakers found so far, in article order

    def remember(self, mention: Mention) -> None:
        self.seen.append(mention)

    def mention(self, head: Token) -> Mention:
        span = phrase(head)
        if head.lower_ in {"he", "she"}:
            return Mention(span, self._person_before(head) or head.text)
        appos = _appos_person(head)
        if appos:
            return Mention(span, appos)
        name = name_of(span)
        described = self._description(span) if head.pos_ == "NOUN" or not span.ents else None
        return Mention(span, described or name)

    def _person_before(self, tok: Token) -> str | None:
        """Latest person before ``tok``: a PERSON entity or an earlier named speaker."""
        doc = tok.doc
        floor = tok.idx - _LOOKBACK_CHARS
        best: tuple[int, str] | None = None
        for ent in doc.ents:
            if ent.label_ == "PERSON" and floor <= ent.start_char and ent.end_char <= tok.idx:
                best = max(best or (-1, ""), (ent.start_char, ent.text))
        # NER is inconsistent ("Olaf Scholz" PERSON, later "Scholz" GPE): trust surnames.
        surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON"}
        for m in self.seen:
            root = m.span.root
            named = root.pos_ == "PROPN" and (
                root.ent_type_ not in {"ORG", "GPE", "NORP"} or root.lower_ in surnames
            )
            if named and floor <= m.span.start_char and m.span.end_char <= tok.idx:
                best = max(best or (-1, ""), (m.span.start_char, m.name))
        return best[1] if best else None

    def _description(self, span: Span) -> str | None:
        """'the embassy' -> an earlier 'Russian embassy in Washington' holding every word."""
        words = {t.lower_ for t in span if t.lower_ not in _DETERMINERS and t.is_alpha}
        if not words:
            return None
        for earlier in reversed(self.seen):
            if earlier.span.start_char >= span.start_char:
                continue
            pool = {t.lower_ for t in earlier.span} | set(earlier.name.lower().split())
            if words <= pool and earlier.name.lower() != " ".join(sorted(words)):
                return earlier.name
        # Also people introduced with a title but never quoted yet ("British Prime Minister X").
        for ent in reversed(span.doc.ents):
            if ent.label_ != "PERSON" or ent.start_char >= span.start_char:
                continue
            context = span.doc[max(ent.start - 5, 0) : ent.end]
            if words <= {t.lower_ for t in context}:
                return ent.text
        return None
