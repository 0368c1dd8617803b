"""Find the attribution inside one unit: who (speaker), how (cue), through whom (relay),
and which characters are the claim's content once the attribution phrase is cut out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from verify.claims.dependency import (
    content_tokens,
    loose_subject,
    nominal_subject,
    quote_regions,
    relative_head,
)
from verify.claims.lexicon import (
    BACKREF_WORDS,
    CLAUSE_CUE_VERBS,
    CLOSE_QUOTES,
    CONTINUATION_PARTICIPLES,
    CUE_VERBS,
    GLUED_CUE_FORMS,
    OPEN_QUOTES,
    RELAY_VERBS,
    SPEAKER_ENTS,
)
from verify.claims.mentions import Mention, Resolver, is_speaker, phrase, written_extent

_TRIM = " \t\n,;:–—-"
_SENTENCE_END = re.compile(r"[.!?][”\"“\s]*$")
_LEADING_THAT = re.compile(r"^that\b[\s,]*", re.IGNORECASE)
_PLATFORMS_PREP = {"on", "via"}


@dataclass
class Found:
    """What one unit says about attribution. ``content`` holds (start, end) character ranges."""

    kind: str  # pre | post | colon | according | backref | continuation | none
    speaker: Mention | None = None
    cue: str = ""
    relay: list[str] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    extra: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)  # (cue, content)
    cue_lemma: str = ""
    cue_span: tuple[int, int] | None = None  # where the cue is written


def _inside_quotes(unit: Span) -> set[int]:
    inside: set[int] = set()
    depth = 0
    for tok in unit:
        if any(q in tok.text for q in OPEN_QUOTES):
            depth += 1
            continue
        if any(q in tok.text for q in CLOSE_QUOTES):
            depth = max(depth - 1, 0)
            continue
        if tok.text == '"':
            depth = 0 if depth else 1
            continue
        if depth:
            inside.add(tok.i)
    return inside


def _write(mention: Mention, head: Token, avoid: set[int], unit: Span) -> None:
    """Record the speaker phrase as written, short of any relay ("X, quoted by TASS")."""
    relays = {t.i for t in unit if t.lemma_.lower() in RELAY_VERBS and t.tag_ == "VBN"}
    span = written_extent(head, avoid | relays, unit.start, unit.end)
    lo = min(span.start_char, mention.span.start_char)
    mention.written = (lo, max(span.end_char, mention.span.end_char))


def _glued_cue(tok: Token) -> str | None:
    low = tok.lower_
    for form in GLUED_CUE_FORMS:
        if low.startswith(form) and len(low) - len(form) >= 3 and low[len(form) :].isalpha():
            return tok.text[: len(form)]
    return None


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in {"VERB", "AUX"} and not _glued_cue(tok):
        return False
    return tok.lemma_.lower() in CUE_VERBS or _glued_cue(tok) is not None


def _is_clause_cue(tok: Token) -> bool:
    """Belief and evidence verbs ("think", "show"): attributions only with a clause to report."""
    return tok.pos_ == "VERB" and tok.lemma_.lower() in CLAUSE_CUE_VERBS


def _cue_text(verb: Token) -> str:
    glued = _glued_cue(verb)
    if glued:
        return glued
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in _PLATFORMS_PREP and child.i == verb.i + 1:
            objs = [t for t in child.children if t.dep_ == "pobj" and t.pos_ == "PROPN"]
            if objs:
                return verb.doc[verb.i : objs[0].i + 1].text
    return verb.text


def _subject(verb: Token, quoted: set[int]) -> Token | None:
    subs = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i not in quoted]
    agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if verb.i + 1 < len(verb.doc):  # "said Serghei Lavrov": a named subject after the verb
        nxt = verb.doc[verb.i + 1]
        if nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "B":
            end = nxt.i
            while end + 1 < len(verb.doc) and verb.doc[end + 1].ent_iob_ == "I":
                end += 1
            return verb.doc[end]
    persons = [s for s in subs if s.ent_type_ == "PERSON"]
    for cand in persons + agents + subs:
        if cand.lower_ not in BACKREF_WORDS and is_speaker(cand):
            return cand
    return None


def _relays(unit: Span, quoted: set[int], skip: set[int]) -> list[str]:
    """'quoted by TASS', 'reported by AFP', 'according to TASS' next to an attribution."""
    out = []
    for tok in unit:
        if tok.i in quoted or tok.i in skip:
            continue
        if tok.lemma_.lower() in RELAY_VERBS and tok.tag_ == "VBN":
            for agent in (c for c in tok.children if c.dep_ == "agent"):
                for obj in (c for c in agent.children if c.dep_ == "pobj"):
                    out.append(phrase(obj))
        if (
            tok.lower_ == "according"
            and tok.i + 1 < len(tok.doc)
            and tok.doc[tok.i + 1].lower_ == "to"
        ):
            objs = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
            out.extend(phrase(o) for o in objs)
    from verify.claims.mentions import name_of

    return [name_of(s) for s in out]


def _is_backref(verb: Token, subject: Token, unit: Span) -> bool:
    """'This was stated by X', 'X said this', 'This is what X says', 'The AFP reports it.'"""
    kids = list(verb.children)
    if any(c.dep_ in {"nsubjpass", "nsubj"} and c.lower_ in BACKREF_WORDS for c in kids):
        return True
    if any(
        c.dep_ == "dobj" and c.lower_ in BACKREF_WORDS and c.pos_ in {"PRON", "DET"} for c in kids
    ):
        return True
    if verb.dep_ in {"ccomp", "relcl"} and any(c.lower_ == "what" for c in kids):
        head_subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if head_subj and head_subj[0].lower_ in BACKREF_WORDS:
            return True
    complements = [c for c in kids if c.dep_ in {"ccomp", "xcomp", "dobj", "prep", "advcl"}]
    return (
        not complements
        and verb.dep_ == "ROOT"
        and all(t.is_punct or t.i == verb.i or t in set(subject.subtree) for t in unit)
    )


def _trim(unit: Span, a: int, b: int) -> list[tuple[int, int]]:
    text = unit.doc.text
    while a < b and text[a] in _TRIM + ".":
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    that = _LEADING_THAT.match(text[a:b])
    if that:
        a += that.end()
    return [(a, b)] if b - a >= 3 else []


def _split_continuation(unit: Span, ranges: list[tuple[int, int]], quoted: set[int]):
    """', adding that X' inside a content range -> the range before it, plus (cue, X)."""
    extra: list[tuple[str, list[tuple[int, int]]]] = []
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        cut = None
        for tok in unit:
            if a <= tok.idx < b and tok.i not in quoted and tok.lower_ in CONTINUATION_PARTICIPLES:
                cut = tok
                break
        if cut is None:
            out.append((a, b))
            continue
        out.extend(_trim(unit, a, cut.idx))
        rest = _trim(unit, cut.idx + len(cut.text), b)
        if rest:
            extra.append((cut.text, rest))
    return out, extra


def find(unit: Span, resolver: Resolver) -> list[Found]:
    """Every attribution in the unit, main clause first; ``[Found("none")]`` if it has none."""
    quoted = _inside_quotes(unit)
    first = next((t for t in unit if not t.is_punct and not t.is_space), None)
    if first is not None and first.lower_ in CONTINUATION_PARTICIPLES:
        content = _trim(unit, first.idx + len(first.text), unit.end_char)
        cue_span = (first.idx, first.idx + len(first.text))
        return [Found("continuation", cue=first.text, content=content, cue_span=cue_span)]

    found = _verb_attributions(unit, quoted, resolver)
    if not found and _unbalanced(unit):
        # Scraped quotes that never close hide the cue ("... border “he writes on Twitter").
        found = _verb_attributions(unit, set(), resolver)
    if found:
        return found
    according = _according(unit, quoted, resolver)
    if according:
        return [according]
    return [_colon(unit, quoted, resolver) or Found("none")]


def _unbalanced(unit: Span) -> bool:
    text = unit.text
    opened = sum(text.count(q) for q in OPEN_QUOTES)
    return opened != sum(text.count(q) for q in CLOSE_QUOTES) or text.count('"') % 2 == 1


def _cue_candidates(unit: Span, quoted: set[int]) -> list[Token]:
    cues = [t for t in unit if t.i not in quoted and (_is_cue(t) or _is_clause_cue(t))]
    cues.sort(key=lambda t: (len(list(t.ancestors)), t.i))  # main clause first
    return cues


def _speaker_of(
    verb: Token, unit: Span, quoted: set[int], resolver: Resolver
) -> tuple[Mention, bool] | None:
    """The speaker as a mention, and whether it is one the original rules trust (a name, a
    pronoun, an official...), as opposed to any nominal subject."""
    subject = _subject(verb, quoted) if verb.lower_ not in CONTINUATION_PARTICIPLES else None
    strict = subject is not None
    if subject is None:
        subject = loose_subject(verb, quoted)
    if subject is None:
        return None
    head = relative_head(subject)
    if head is not None:  # "Beck, who said": written "who", spoken by Beck
        named = resolver.mention(head)
        return Mention(subject.doc[subject.i : subject.i + 1], named.name), strict
    mention = resolver.mention(subject)
    others = {t.i for t in unit if t.i != verb.i and (_is_cue(t) or _is_clause_cue(t))}
    _write(mention, subject, {verb.i} | quoted | others, unit)
    return mention, strict


def _verb_attributions(unit: Span, quoted: set[int], resolver: Resolver) -> list[Found]:
    regions = quote_regions(unit)
    founds: list[Found] = []
    taken: set[int] = set()  # tokens already some attribution's source, cue or content
    for verb in _cue_candidates(unit, quoted):
        if verb.i in taken or (verb.tag_ == "VBN" and verb.dep_ in {"acl", "advcl"}):
            continue  # inside another's content; or "quoted by TASS", a relay
        got = _speaker_of(verb, unit, quoted, resolver)
        if got is None:
            continue
        mention, strict = got
        attr = {verb.i} | _tokens_in(unit, mention.extent)
        relay = _relays(unit, quoted, attr)
        cue = _cue_text(verb)
        if not founds and strict and _is_backref(verb, mention.span.root, unit):
            found = Found("backref", mention, cue, relay)
        else:
            skip = {c.i for c in verb.children if c.i < verb.i and _has_own_speaker(c, quoted)}
            toks = content_tokens(verb, unit, attr, regions, skip) - taken
            if toks:
                ranges = _ranges(unit, toks)
                content, extra = _split_continuation(unit, ranges, quoted)
                kind = "pre" if min(toks) > verb.i else "post"
                found = Found(kind, mention, cue, relay, content, extra)
            elif not founds and strict and _is_cue(verb):
                found = _with_content(unit, verb, mention, relay, quoted)  # the rest of the unit
            else:
                continue
            taken |= toks
        taken |= attr | _tokens_in(unit, *found.content)
        found.cue_lemma = verb.lemma_.lower()
        found.cue_span = (verb.idx, verb.idx + len(cue))
        founds.append(found)
        if found.kind == "backref":
            break
    return founds


def _has_own_speaker(tok: Token, quoted: set[int]) -> bool:
    return (_is_cue(tok) or _is_clause_cue(tok)) and nominal_subject(tok, quoted) is not None


def _tokens_in(unit: Span, *ranges: tuple[int, int]) -> set[int]:
    return {t.i for t in unit for a, b in ranges if a <= t.idx < b}


def _ranges(unit: Span, toks: set[int]) -> list[tuple[int, int]]:
    """Runs of consecutive tokens as trimmed character ranges."""
    doc = unit.doc
    out: list[tuple[int, int]] = []
    run: list[int] = []
    for i in sorted(toks):
        if run and i != run[-1] + 1:
            out.extend(_trim(unit, doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]])))
            run = []
        run.append(i)
    if run:
        out.extend(_trim(unit, doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]])))
    return out


def _attr_bounds(verb: Token, mention: Mention, quoted: set[int], cue: str) -> tuple[int, int]:
    """Characters of the attribution phrase: speaker(s) and cue, however they are ordered."""
    lo = min(mention.extent[0], verb.idx)
    hi = max(mention.extent[1], verb.idx + len(cue))
    for child in verb.children:  # "the foreign minister said Serghei Lavrov": both subjects go
        if child.dep_ == "nsubj" and child.i not in quoted and is_speaker(child):
            sub = phrase(child)
            if sub.start_char >= lo - 40 and sub.end_char <= hi + 40:
                lo, hi = min(lo, sub.start_char), max(hi, sub.end_char)
    return lo, hi


def _with_content(unit: Span, verb: Token, mention: Mention, relay, quoted) -> Found:
    text = unit.doc.text
    cue = _cue_text(verb)
    a_start, a_end = _attr_bounds(verb, mention, quoted, cue)
    before = text[unit.start_char : a_start]
    after = text[a_end : unit.end_char]
    stripped = after.lstrip(" ,.;–—")
    first_after = stripped.split(" ", 1)[0].lower() if stripped else ""
    paren = before.rstrip().endswith((",", "–", "—")) and after.lstrip().startswith((",", "–", "—"))
    left_comp = any(
        c.dep_ in {"ccomp", "dobj"} and unit.start <= c.i < verb.i for c in verb.children
    )
    post = paren or left_comp or any(q in before for q in CLOSE_QUOTES + '"')
    if not post:
        content, kind = _trim(unit, a_end, unit.end_char), "pre"
    else:
        lo = unit.start_char
        colon = before.find(":")
        if colon != -1 and any(q in before[colon:] for q in OPEN_QUOTES + '"'):
            lo = unit.start_char + colon + 1  # "X is skeptical: “quote” he writes"
        content, kind = _trim(unit, lo, a_start), "post"
        quoted_after = stripped.lower().startswith(("and “", 'and "', "“", '"'))
        if paren or quoted_after or first_after in CONTINUATION_PARTICIPLES:
            content += _trim(unit, a_end, unit.end_char)  # continuations are split just below
    content, extra = _split_continuation(unit, content, quoted)
    if kind == "post" and not after.strip(" .") and _SENTENCE_END.search(before.rstrip()):
        # "...consequences “. The US State Department reports." was a sentence of its own that
        # spaCy glued on: it names who said what came before; the fragment keeps its content.
        kind = "backref"
    return Found(kind, mention, cue, relay, content, extra)


def _according(unit: Span, quoted: set[int], resolver: Resolver) -> Found | None:
    for tok in unit:
        if tok.i in quoted or tok.lower_ != "according":
            continue
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is None or nxt.lower_ != "to":
            continue
        objs = [c for c in nxt.children if c.dep_ == "pobj"]
        if not objs:
            continue
        mention = resolver.mention(objs[0])
        _write(mention, objs[0], quoted, unit)
        a, b = tok.idx, mention.extent[1]
        content = _trim(unit, unit.start_char, a) + _trim(unit, b, unit.end_char)
        cue_span = (tok.idx, nxt.idx + len(nxt.text))
        return Found("according", mention, "according to", [], content, cue_span=cue_span)
    return None


def _colon(unit: Span, quoted: set[int], resolver: Resolver) -> Found | None:
    """'The reaction of X, Dmytro Kuleba: “...”' and headlines like 'Moscow: troops leave'."""
    colon = next((t for t in unit if t.text == ":" and t.i not in quoted), None)
    if colon is None:
        return None
    head_part = unit.doc[unit.start : colon.i]
    if len(head_part) > 15 or any(t.pos_ == "VERB" and t.dep_ == "ROOT" for t in head_part):
        return None
    ents = [e for e in head_part.ents if e.label_ in SPEAKER_ENTS - {"NORP"}]
    if not ents:
        return None
    person = [e for e in ents if e.label_ == "PERSON"]
    ent = (person or ents)[-1]
    mention = resolver.mention(ent.root)
    content = _trim(unit, colon.idx + 1, unit.end_char)
    cue_span = (colon.idx, colon.idx + 1)
    return Found("colon", mention, ":", [], content, cue_span=cue_span) if content else None
