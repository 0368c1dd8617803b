"""Dependency-based attribution parts: the subject of a cue verb (its own, inherited from the
clause it hangs on, or a relative pronoun) and the content it governs (its clausal complement,
widened to the whole quotation that holds it or stands next to the attribution phrase)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from verify.claims.lexicon import CLOSE_QUOTES, CUE_VERBS, OPEN_QUOTES, STRAIGHT_QUOTES

_EXPLETIVES = {"it", "there", "this", "that", "these", "those", "what", "which", "so"}
_RELATIVE = {"who", "that", "which"}
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "DET", "ADJ"}
# Participles and infinitives that borrow the subject of the clause they hang on:
# "X reacted, saying ...", "X said A and added B", "X went on to say ...".
_INHERITS = {"conj", "advcl", "xcomp"}
_OBJECT_CONTROL = {"urge", "ask", "tell", "call", "warn", "invite", "encourage", "press"}


def quote_regions(unit: Span) -> list[tuple[int, int]]:
    """Token ranges [a, b) of quotations in ``unit``, marks included; one never closed runs on
    to the end of the unit."""
    regions: list[tuple[int, int]] = []
    start: int | None = None
    depth = 0
    for tok in unit:
        opens = any(q in tok.text for q in OPEN_QUOTES)
        closes = any(q in tok.text for q in CLOSE_QUOTES)
        if tok.text in STRAIGHT_QUOTES:
            opens, closes = depth == 0, depth > 0
        if opens and depth == 0:
            start = tok.i
        if opens:
            depth += 1
        elif closes and depth:
            depth -= 1
            if depth == 0 and start is not None:
                regions.append((start, tok.i + 1))
                start = None
    if start is not None:
        regions.append((start, unit.end))
    return regions


def nominal_subject(verb: Token, quoted: set[int]) -> Token | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c.i not in quoted and c.pos_ in _NOMINAL:
            if c.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return c
            if c.lower_ not in _EXPLETIVES:
                return c
            return None  # "it said", "there are": nobody speaks
    return None


def loose_subject(verb: Token, quoted: set[int]) -> Token | None:
    """Any nominal subject ("the company", "nine out of 10"), or the subject the verb borrows
    from the clause it hangs on (a participle, a conjoined or a controlled verb)."""
    tok = verb
    for _ in range(4):
        subject = nominal_subject(tok, quoted)
        if subject is not None:
            return subject
        if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in tok.children):
            return None  # a subject of its own that cannot speak
        if tok.dep_ not in _INHERITS or tok.head is tok:
            return None
        if tok.dep_ == "advcl" and tok.tag_ != "VBG":
            return None  # "..., when X said": a clause of its own, not a participle
        tok = tok.head
    return None


def relative_head(subject: Token) -> Token | None:
    """'Beck, who said ...': the noun the relative pronoun stands for."""
    verb = subject.head
    if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
        return verb.head
    return None


def _complements(verb: Token, skip: set[int]) -> list[Token]:
    kids = [c for c in verb.children if c.i not in skip]
    comps = [c for c in kids if c.dep_ == "ccomp"]
    xcomps = [c for c in kids if c.dep_ == "xcomp"]
    if xcomps:
        comps += xcomps
        if verb.lemma_.lower() in _OBJECT_CONTROL:  # "urged Moscow to pursue ...": both
            comps += [c for c in kids if c.dep_ == "dobj"]
    oprd = [c for c in kids if c.dep_ == "oprd"]
    if oprd:  # "called the plan a disaster"
        comps += oprd + [c for c in kids if c.dep_ == "dobj"]
    return comps


def content_tokens(
    verb: Token,
    unit: Span,
    attr: set[int],
    regions: list[tuple[int, int]],
    skip: set[int],
) -> set[int]:
    """Token indices of what ``verb`` reports. ``attr`` holds the attribution phrase (source
    and cue); ``skip`` children that are attributions of their own ("A said X but added Y,
    A said": the first "said" hangs on the second)."""
    toks: set[int] = set()
    for comp in _complements(verb, skip):
        toks |= {t.i for t in comp.subtree}
        for t in comp.subtree:  # "... but added, “...”" misattached inside: not this content
            if t.dep_ == "conj" and t.lemma_.lower() in CUE_VERBS and t.pos_ == "VERB":
                toks -= {d.i for d in t.subtree}
                toks -= {c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i}
    quoting = any(a <= verb.i < b for a, b in regions)
    if not toks and verb.dep_ == "parataxis" and not quoting:  # 'A, he said, B': A is the root
        toks = {t.i for t in verb.head.subtree} - {t.i for t in verb.subtree}
    lo, hi = min(attr), max(attr)
    doc = verb.doc
    # Between the attribution phrase and a quotation after it: only the verb's own modifiers
    # ("said Monday in a statement: “...”"), not a clause on its subject ("X, who said ...").
    subject = {t.i for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
    own = {t.i for t in verb.subtree} - subject - toks
    in_quotes = {i for a, b in regions for i in range(a, b)}
    for t in verb.subtree:  # ", adding that “...”": that quote is the participle's
        cue = t.pos_ == "VERB" and t.lemma_.lower() in CUE_VERBS and t.i not in in_quotes
        if cue and t.i != verb.i:
            own -= {d.i for d in t.subtree}
    for a, b in regions:
        inside = any(a <= i < b for i in toks)
        before = b <= lo and all(doc[k].is_punct or doc[k].is_space for k in range(b, lo))
        after = a > hi and all(
            doc[k].is_punct or doc[k].is_space or k in own or k in toks for k in range(hi + 1, a)
        )
        if (inside or before or after) and not (a <= verb.i < b):
            toks |= set(range(a, b))
    toks = {i for i in toks if unit.start <= i < unit.end} - attr
    # "X is skeptical: “...” he writes": what stands before the colon introduces the quote.
    colons = [i for i in sorted(toks) if i < verb.i and doc[i].text == ":"]
    if colons and any(a > colons[-1] for a, _ in regions):
        toks = {i for i in toks if i > colons[-1]}
    return toks
