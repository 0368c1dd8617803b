"""Which language a text is in, offline and without a model: the script its letters are written
in, then stop words (the commonest function words of each language, which any sentence of a few
words contains). One place for the rule, and for which languages the engine has models for.

``detect`` never raises: a text with no letters, an unknown script, transliterated Russian or a
mix of scripts each get a code and a reason the caller can print on one line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ENGLISH, RUSSIAN = "en", "ru"
UNDETERMINED = "und"  # no letters, or too little evidence
TRANSLIT_RU = "ru-Latn"  # Russian written in Latin letters: no model reads it

#: Languages the multilingual encoder (USE-m v3) was trained on, of those detected here: pairs in
#: them are read by the multilingual reader; English pairs by the English stance model.
MODELLED = frozenset({"en", "ru", "de", "fr", "it", "es", "pl", "tr", "ar", "zh", "ja", "ko", "th"})

NAMES = {
    "en": "English",
    "ru": "Russian",
    "uk": "Ukrainian",
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "es": "Spanish",
    "pl": "Polish",
    "tr": "Turkish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "th": "Thai",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi",
    "ka": "Georgian",
    "hy": "Armenian",
    TRANSLIT_RU: "Russian in Latin letters",
    UNDETERMINED: "undetermined",
}

_STOP = {
    "en": "the of and to in is that was for on with as by at from said has have it are be not this "
    "will would were they their which an",
    "ru": "и в не на что с по это как из за от к о для он она они его её их был была были также "
    "заявил заявила сообщил сообщает по словам уже но же то все ещё еще при после",
    "uk": "і й не на що з та це як із за від до для він вона вони його її був була також але",
    "de": "der die und das ist nicht den von zu mit sich des auf für im dem ein eine auch es",
    "fr": "le la les des est et une un du que dans pour pas qui sur au par ce il elle sont",
    "it": "il la che di è non della per una sono del con gli le nel alla anche ha",
    "es": "el la los las que de del en por con una para es no se su al lo como",
    "pl": "i w nie na że się z do to jest jak po od za przez o dla oraz",
    "tr": "ve bir bu da de için ile olarak çok daha ne gibi ama",
    TRANSLIT_RU: "chto eto kak ne na po zayavil zayavila soobshchaet soobshchil slovam takzhe "
    "vojsk voysk ministr rossii kotorye budet byl bylo bili",
}
STOP_WORDS = {lang: frozenset(words.split()) for lang, words in _STOP.items()}
#: Short English words that are also another language's stop words ("I ... to ... do" is not
#: Polish): no evidence for that language. Three English Emergent headlines were read as Polish.
ENGLISH_LOOKALIKES = STOP_WORDS["en"] | frozenset("i a do no so he me we to on in is it o".split())

#: Scripts that name one language here (a Cyrillic or Latin text needs its stop words).
_SCRIPT_LANG = {
    "ARABIC": "ar",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "THAI": "th",
    "GREEK": "el",
    "HEBREW": "he",
    "DEVANAGARI": "hi",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
}
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Detected:
    code: str
    reason: str  # the evidence, for a listing or a one-line notice
    mixed: bool = False  # two scripts with a fair share each (an article quoting the other)

    @property
    def modelled(self) -> bool:
        return self.code in MODELLED

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


def script_of(ch: str) -> str:
    """'LATIN', 'CYRILLIC', 'CJK', ... from the character's Unicode name ('' if it has none)."""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _scripts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            s = script_of(ch)
            counts[s] = counts.get(s, 0) + 1
    return counts


def _best_stop(
    words: list[str], langs: tuple[str, ...], lookalikes: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """The language with the most stop-word hits. For a language other than English, words in
    ``lookalikes`` count only beside a hit that is not one: "i", "to", "do" alone are English."""
    hits: dict[str, int] = {}
    for lang in langs:
        found = [w for w in words if w in STOP_WORDS[lang]]
        own = lang == ENGLISH or any(w not in lookalikes for w in found)
        hits[lang] = len(found) if own else 0
    best = max(hits, key=lambda lang: hits[lang])
    return best, hits[best]


def detect(text: str) -> Detected:
    """The language of ``text`` (an article or one claim) with the evidence for it."""
    scripts = _scripts(text)
    letters = sum(scripts.values())
    if letters == 0:
        return Detected(UNDETERMINED, "no letters")
    main, count = max(scripts.items(), key=lambda kv: kv[1])
    share = count / letters
    mixed = sum(1 for n in scripts.values() if n / letters >= 0.2) > 1
    words = [w.lower() for w in _WORD.findall(text)]
    how = f"{share:.0%} {main.title()} letters" + (", mixed scripts" if mixed else "")
    if main == "CYRILLIC":
        if sum(ch in _UKRAINIAN_LETTERS for ch in text) >= max(2, count // 50):
            return Detected("uk", how + ", Ukrainian letters", mixed)
        lang, hits = _best_stop(words, ("ru", "uk"))
        if lang == "uk" and hits:
            return Detected("uk", f"{how}, {hits} Ukrainian stop words", mixed)
        return Detected(RUSSIAN, f"{how}, {hits} Russian stop words", mixed)
    if main == "LATIN":
        langs = ("en", "de", "fr", "it", "es", "pl", "tr", TRANSLIT_RU)
        lang, hits = _best_stop(words, langs, ENGLISH_LOOKALIKES)
        if hits == 0:  # a headline or a short quote: read as English, as before languages were
            # told apart (dropping it would cost English claims; a Latin-script text in another
            # language almost always has a few of its stop words)
            return Detected(ENGLISH, how + ", no stop words: read as English", mixed)
        # A word or two ("No, ...", "Kim Jong-un", "Las Vegas", "I ... a ...") is no evidence:
        # English headlines were read as Spanish or Polish and lost to the multilingual reader.
        english = sum(w in STOP_WORDS[ENGLISH] for w in words)
        if lang != ENGLISH and (hits < (2 if len(words) >= 12 else 3) or hits <= english):
            return Detected(
                ENGLISH, f"{how}, {hits} {NAMES[lang]} stop words: read as English", mixed
            )
        return Detected(lang, f"{how}, {hits} {NAMES[lang]} stop words", mixed)
    if main in _SCRIPT_LANG:
        return Detected(_SCRIPT_LANG[main], how, mixed)
    return Detected(UNDETERMINED, f"{how}: a script no model here reads", mixed)


def claim_language(sentence: str, article: Detected) -> str:
    """A claim's language: its own sentence's where that says something, else its article's
    (a short quote with no stop words says little on its own)."""
    own = detect(sentence)
    if own.code == UNDETERMINED or (own.code != article.code and not _strong(sentence, own)):
        return article.code if article.code != UNDETERMINED else own.code
    return own.code


def _strong(text: str, found: Detected) -> bool:
    """Enough evidence to overrule the article: three stop words, or a script of its own."""
    if found.code not in STOP_WORDS:
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in STOP_WORDS[found.code] for w in words) >= 3


def language_notice(text: str) -> str:
    """What a run line adds about an article's language: '' for plain English, else e.g.
    ' [Russian]', ' [mixed scripts: read as English, 64% Latin letters, ...]' or
    ' [undetermined: no letters; no model reads it: stored, not paired]'."""
    found = detect(text)
    if found.code == ENGLISH and not found.mixed:
        return ""
    if not found.modelled:
        return f" [{found.name}: {found.reason}; no model reads it: stored, not paired]"
    if found.mixed:
        return f" [mixed scripts: read as {found.name}, {found.reason}; each claim by its own]"
    return f" [{found.name}]"
