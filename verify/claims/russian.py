"""Russian claims with who said them, through natasha: ``razdel`` sentences, ``slovnet``
morphology, syntax and names (weights inside the wheels). The same contract as the English
``ClaimExtractor``: ``extract(text, outlet) -> list[Claim]``, ``extract_batch``.

Per sentence: a speech verb ("заявил", "сообщил", "подчеркнул") with its subject as the speaker
and the rest of the sentence as the content; "по словам X", "по данным X", "как сообщил X"; a
trailing "передает ТАСС" / "сообщает CNN" is the relay when someone else speaks in the sentence,
the speaker otherwise; "со ссылкой на X" names who the relay heard it from. A pronoun subject
("он заявил") or an unattributed quote continues the paragraph's last speaker; other sentences
are the outlet's own (skipped where the outlet is unknown, as in English)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verify.types import Claim

UNKNOWN_OUTLETS = {"", "unknown"}
SPEECH = set(
    "заявить сказать сообщить сообщать отметить подчеркнуть добавить заверить пообещать объявить "
    "утверждать признать опровергнуть отрицать напомнить уточнить пояснить заявлять говорить "
    "настаивать предупредить указать констатировать рассказать считать полагать назвать "
    "подтвердить подтверждать опровергать обвинить обвинять призвать призывать писать "
    "передать передавать информировать выразить".split()
)
#: A relay's verb ("передает ТАСС", "сообщает CNN", "пишет Reuters"); "сообщил X" is X speaking.
RELAY = {"передавать", "сообщать", "писать", "информировать"}
ACCORDING = {
    "слово": "по словам",
    "данные": "по данным",
    "информация": "по информации",
    "мнение": "по мнению",
    "оценка": "по оценке",
    "сведение": "по сведениям",
}
PRONOUNS = {"он", "она", "они", "тот", "та"}
#: A bare title standing for the last named speaker ("Ведомство уточнило", "Президент сказал").
ANAPHORS = {
    "ведомство",
    "президент",
    "министр",
    "дипломат",
    "пресс-секретарь",
    "глава",
    "политик",
    "министерство",
    "представитель",
    "канцлер",
    "премьер",
}
QUOTES = '«"„“'
_EDGE = re.compile(r"^[\s,;:—–\-«»\"„“”]+|[\s,;:—–\-«»\"„“”]+$")
_LEAD = re.compile(r"^(что|будто|о том, что|якобы)\s+", re.IGNORECASE)


@dataclass
class _Tok:
    start: int
    stop: int
    text: str
    id: str
    head: str
    rel: str
    pos: str
    lemma: str


@lru_cache(maxsize=1)
def _natasha():
    from natasha import (
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    emb = NewsEmbedding()
    return (
        Segmenter(),
        _vocab(MorphVocab),
        NewsMorphTagger(emb),
        NewsSyntaxParser(emb),
        NewsNERTagger(emb),
    )


def _vocab(base):
    """natasha's ``MorphVocab`` with the dictionary path given: pymorphy2 would look it up
    through ``pkg_resources``, which today's setuptools no longer ships."""
    import pymorphy2_dicts_ru
    from natasha.morph.vocab import MorphForm, PymorphyAnalyzer

    class Vocab(base):
        def __init__(self) -> None:
            PymorphyAnalyzer.__init__(
                self, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm
            )

    return Vocab()


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            out.append((at, part))
        at += len(part)
    return out


class RussianExtractor:
    """``extract(text, outlet) -> list[Claim]`` for Russian text; stateless between articles."""

    name = "rules+natasha-1.6.0"

    def extract_batch(self, items: list[tuple[str, str]]) -> list[list[Claim]]:
        return [self.extract(text, outlet) for text, outlet in items]

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        from natasha import Doc

        seg, vocab, morph, syntax, ner = _natasha()
        claims: list[Claim] = []
        last: tuple[str, tuple[int, int] | None, list[str]] | None = None
        for base, para in _paragraphs(text):
            doc = Doc(para)
            doc.segment(seg)
            doc.tag_morph(morph)
            doc.parse_syntax(syntax)
            doc.tag_ner(ner)
            for span in doc.spans:
                span.normalize(vocab)
            first = True  # an unattributed quote continues a speaker of its own paragraph only
            for sent in doc.sents:
                toks = []
                for t in sent.tokens:
                    t.lemmatize(vocab)
                    toks.append(
                        _Tok(
                            t.start,
                            t.stop,
                            t.text,
                            t.id,
                            t.head_id,
                            t.rel,
                            t.pos,
                            (t.lemma or t.text).lower(),
                        )
                    )
                spans = [s for s in doc.spans if sent.start <= s.start < sent.stop]
                found = _attribute(toks, spans, para)
                if found is None:
                    starts_quote = sent.text.lstrip()[:1] in QUOTES
                    if last is not None and starts_quote and not first:
                        found = _Found(last[0], "", last[1], None, list(last[2]), [])
                    else:
                        found = _Found("", "", None, None, [], [])
                elif found.pronoun and last is not None:
                    found.speaker, found.speaker_span = last[0], last[1]
                    found.relay = found.relay or list(last[2])
                elif found.pronoun:
                    found.speaker, found.speaker_span = "", None
                if found.speaker:
                    last = (found.speaker, found.speaker_span, found.relay)
                first = False
                claim = _claim(sent, para, base, found, outlet)
                if claim is not None:
                    claims.append(claim)
        return claims


@dataclass
class _Found:
    speaker: str
    cue: str
    speaker_span: tuple[int, int] | None
    cue_span: tuple[int, int] | None
    relay: list[str]
    drop: list[tuple[int, int]]  # attribution phrases cut from the content
    pronoun: bool = False


def _subtree(toks: list[_Tok], root: str) -> list[_Tok]:
    kids: dict[str, list[str]] = {}
    for t in toks:
        kids.setdefault(t.head, []).append(t.id)
    keep, todo = set(), [root]
    while todo:
        i = todo.pop()
        keep.add(i)
        todo.extend(kids.get(i, []))
    return [t for t in toks if t.id in keep]


def _name(phrase: list[_Tok], spans, para: str) -> tuple[str, tuple[int, int]]:
    """The speaker's name: a person's name in the phrase, else an organisation's, else the
    phrase itself (its head noun's lemma where it is one word)."""
    while len(phrase) > 1 and phrase[0].rel == "case":  # "на американских чиновников"
        phrase = phrase[1:]
    lo, hi = phrase[0].start, phrase[-1].stop
    inside = [s for s in spans if lo <= s.start and s.stop <= hi]
    ids = {t.id for t in phrase}
    root = next((t for t in phrase if t.head not in ids), phrase[0])
    for kind in ("PER", "ORG", "LOC"):
        named = [s for s in inside if s.type == kind]
        if kind != "PER":  # "посольство в Вашингтоне" is not Washington; "телеканал CNN" is CNN
            named = [
                s for s in named if s.start <= root.start < s.stop or _apposed(s, root, phrase)
            ]
        if named:
            s = named[-1]
            return (s.normal or s.text), (s.start, s.stop)
    words = [t for t in phrase if t.pos != "PUNCT"]
    if len(words) == 1:
        w = words[0]
        return (w.lemma.capitalize() if w.text[:1].isupper() else w.lemma), (w.start, w.stop)
    return para[lo:hi], (lo, hi)


def _apposed(span, root: _Tok, phrase: list[_Tok]) -> bool:
    """A name set beside the head noun: "телеканал CNN", "агентство ТАСС"."""
    first = next((t for t in phrase if t.start == span.start), None)
    return first is not None and first.head == root.id and first.rel in ("appos", "flat:name")


def _attribute(toks: list[_Tok], spans, para: str) -> _Found | None:
    by_id = {t.id: t for t in toks}
    found: _Found | None = None
    relays: list[tuple[str, list[tuple[int, int]]]] = []
    # "..., передает ТАСС": a relay verb whose subject is a named organisation.
    for v in toks:
        if v.lemma in RELAY and v.pos == "VERB":
            subj = [t for t in toks if t.head == v.id and t.rel.startswith("nsubj")]
            if subj and by_id.get(v.head) is None or (subj and v.rel == "parataxis"):
                phrase = _subtree(toks, subj[0].id)
                name, _ = _name(phrase, spans, para)
                cut = [(min(v.start, phrase[0].start), max(v.stop, phrase[-1].stop))]
                source = _source_of(toks, v, spans, para)
                relays.append((name, cut + ([source[1]] if source else [])))
                if source:
                    relays[-1] = (name, relays[-1][1])
                    found_source = source[0]
                    found = found or _Found(
                        found_source, v.text, source[2], (v.start, v.stop), [name], relays[-1][1]
                    )
    for v in toks:
        if v.lemma not in SPEECH or v.pos not in ("VERB", "AUX"):
            continue
        if relays and any(v.start >= c[0][0] and v.stop <= c[0][1] for _, c in relays):
            continue  # the relay verb itself
        subj = [t for t in toks if t.head == v.id and t.rel.startswith("nsubj")]
        if not subj:  # "как сообщили в посольстве": who said it is where it was said
            subj = [
                t
                for t in toks
                if t.head == v.id
                and t.rel == "obl"
                and any(c.head == t.id and c.lemma == "в" for c in toks)
            ]
        if not subj:
            continue
        phrase = _subtree(toks, subj[0].id)
        pronoun = len(phrase) == 1 and phrase[0].lemma in PRONOUNS | ANAPHORS
        name, span = _name(phrase, spans, para)
        cut = [(phrase[0].start, phrase[-1].stop), (v.start, v.stop)]
        kak = [t for t in toks if t.head == v.id and t.lemma == "как" and t.start < v.start]
        cut += [(t.start, t.stop) for t in kak]
        found = _Found(name, v.text, span, (v.start, v.stop), [], cut, pronoun)
        break
    if found is None:
        for t in toks:  # "по словам Пескова", "по данным Минобороны"
            if t.lemma in ACCORDING and any(c.head == t.id and c.lemma == "по" for c in toks):
                owner = [c for c in toks if c.head == t.id and c.rel in ("nmod", "appos")]
                if not owner:
                    continue
                phrase = _subtree(toks, t.id)
                name, span = _name(_subtree(toks, owner[0].id), spans, para)
                found = _Found(
                    name,
                    ACCORDING[t.lemma],
                    span,
                    (t.start, t.stop),
                    [],
                    [(phrase[0].start, phrase[-1].stop)],
                )
                break
    if found is None and relays:  # "Войска стягиваются, сообщает CNN": CNN says it
        name, cut = relays[0]
        at = para.find(name) if name in para else cut[0][0]
        return _Found(name, "", (at, at + len(name)) if name in para else None, None, [], cut)
    if found is None:
        return None
    for name, cut in relays:
        if name != found.speaker and name not in found.relay:
            found.relay.append(name)
        found.drop.extend(cut)
    return found


def _source_of(toks, v: _Tok, spans, para: str):
    """'передает ТАСС со ссылкой на пресс-службу': (who, span to cut, name span) or None."""
    for t in toks:
        if t.lemma == "ссылка" and t.head == v.id:
            owner = [c for c in toks if c.head == t.id and c.rel in ("nmod", "obl", "appos")]
            if owner:
                phrase = _subtree(toks, t.id)
                name, span = _name(_subtree(toks, owner[0].id), spans, para)
                return name, (phrase[0].start, phrase[-1].stop), span
    return None


def _claim(sent, para: str, base: int, found: _Found, outlet: str) -> Claim | None:
    speaker = found.speaker
    if not speaker:
        if outlet.strip().lower() in UNKNOWN_OUTLETS:
            return None
        speaker = outlet
    keep = [True] * (sent.stop - sent.start)
    for a, b in found.drop:
        for i in range(max(a, sent.start), min(b, sent.stop)):
            keep[i - sent.start] = False
    chars = "".join(c if k else "\x00" for c, k in zip(sent.text, keep, strict=True))
    pieces = [p for p in chars.split("\x00") if p.strip(" ,;:—–-")]
    text = " ".join(" ".join(pieces).split())
    text = re.sub(r"\s+([,.;:!?»”])", r"\1", text)
    text = re.sub(r"([«„])\s+", r"\1", text)
    text = _LEAD.sub("", _EDGE.sub("", text)).strip()
    text = _EDGE.sub("", text.rstrip(".!?")).strip()
    if not any(ch.isalnum() for ch in text) or len(text.split()) < 2:
        return None
    at = para.find(text[:20], sent.start)
    start = base + (at if at >= 0 else sent.start)
    sp, cs = found.speaker_span, found.cue_span
    return Claim(
        sentence=sent.text,
        text=text,
        start=start,
        end=base + sent.stop,
        speaker=speaker,
        cue=found.cue,
        relay=list(dict.fromkeys(found.relay)),
        speaker_start=base + sp[0] if sp else None,
        speaker_end=base + sp[1] if sp else None,
        cue_start=base + cs[0] if cs else None,
        cue_end=base + cs[1] if cs else None,
        language="ru",
    )
