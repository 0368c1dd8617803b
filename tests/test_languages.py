"""Languages (issue 23): detection, the Russian extractor (real natasha), the store's languages
and their correction (real SQLite), the router and the multilingual reader (real USE-m), and
bad input: mixed, unknown scripts, transliterated Russian, empty Cyrillic text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from verify.claims.languages import ByLanguage
from verify.language import detect, language_notice
from verify.store.corrections import CorrectionError
from verify.store.database import Store
from verify.types import Article

RU = (
    "Министр иностранных дел России Сергей Лавров заявил, что отвод войск начался. "
    "По словам Пескова, Кремль не планирует вторжение, передает ТАСС.\n\n"
    "Российские войска продолжают стягиваться к границе, сообщает CNN."
)
EN = "The Kremlin said on Tuesday that the withdrawal of troops from the border has begun."


@pytest.mark.parametrize(
    ("text", "code", "modelled"),
    [
        (EN, "en", True),
        (RU, "ru", True),
        ("Україна заявила, що війська не відходять від кордону", "uk", False),
        ("Lavrov zayavil, chto otvod vojsk nachalsya, po slovam ministra", "ru-Latn", False),
        ("Troops massing near Ukrainian border", "en", True),  # no stop words: English, as ever
        ("", "und", False),
        ("— «» … 2022", "und", False),
        ("საქართველოს მთავრობამ განაცხადა", "ka", False),
        ("Der Kreml sagt, dass die Truppen nicht abziehen", "de", True),
    ],
)
def test_detect(text: str, code: str, modelled: bool) -> None:
    found = detect(text)
    assert (found.code, found.modelled) == (code, modelled), found.reason


def test_mixed_article_is_read_by_its_main_script_and_says_so() -> None:
    text = EN + " " + "Песков заявил, что учения завершены."
    found = detect(text)
    assert found.code == "en" and found.mixed
    assert "mixed scripts" in language_notice(text)
    assert "no model reads it" in language_notice("Lavrov zayavil, chto vojsk net")


def test_russian_extractor_speakers_and_relay() -> None:
    claims = ByLanguage().extract(RU, "РИА Новости")
    by_text = {c.text: c for c in claims}
    lavrov = by_text["отвод войск начался"]
    assert (lavrov.speaker, lavrov.cue, lavrov.relay, lavrov.language) == (
        "Сергей Лавров",
        "заявил",
        [],
        "ru",
    )
    assert RU[lavrov.speaker_start : lavrov.speaker_end] == "Сергей Лавров"
    peskov = by_text["Кремль не планирует вторжение"]
    assert (peskov.speaker, peskov.relay) == ("Песков", ["ТАСС"])
    assert by_text["Российские войска продолжают стягиваться к границе"].speaker == "CNN"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "— «» …",
        "Ъ",
        "Lavrov zayavil, chto otvod vojsk nachalsya.",
        "ქართული ტექსტი აქ არის",
    ],
)
def test_bad_input_gives_claims_or_none_never_a_crash(text: str) -> None:
    claims = ByLanguage().extract(text, "Outlet")
    assert all(c.language == detect(text).code for c in claims)


def test_store_keeps_languages_and_analyst_corrections_apart(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    ex = ByLanguage()
    ru_id = store.add_article(Article(RU, "ru.txt", outlet="РИА"), ex.extract(RU, "РИА"))
    tr = "Lavrov zayavil, chto otvod vojsk nachalsya. Peskov skazal, chto eto pravda."
    store.add_article(Article(tr, "tr.txt", outlet="X"), ex.extract(tr, "X"))
    assert store.article(ru_id)["language"] == "ru"
    rows = store.claim_rows()
    langs = {r["id"]: r["language"] for r in rows}
    assert set(langs.values()) == {"ru", "ru-Latn"}
    live = set(store.live_claim_ids())  # a language no model reads is stored, never paired
    assert live == {i for i, lang in langs.items() if lang == "ru"}
    first = next(i for i, lang in langs.items() if lang == "ru")
    store.correct_claim(first, "ana", language="uk")
    assert first not in store.live_claim_ids()
    fixed = next(r for r in store.claim_rows() if r["id"] == first)
    assert fixed["language"] == "uk" and dict(fixed["corrected"]) == {"language": "ana"}
    raw = store.db.execute("SELECT language FROM claims WHERE id=?", (first,)).fetchone()[0]
    assert raw == "ru"  # the extractor's reading is kept beside the analyst's
    with pytest.raises(CorrectionError, match="unknown language"):
        store.correct_claim(first, "ana", language="klingon")
    store.close()


class _English:
    """The English model's place in the router: a fixed reading, so the test sees which pairs
    reached it (the router and the real multilingual reader are what is tested)."""

    version, uses_camps = "fixed", False

    def predict_pairs(self, pairs):
        return np.tile([0.0, 0.0, 0.0, 1.0], (len(pairs), 1))


def test_router_sends_non_english_pairs_to_the_multilingual_reader() -> None:
    from verify.multilingual.router import LanguageRouter
    from verify.stance.base import StancePairs

    router = LanguageRouter(_English())
    pairs = StancePairs(
        [EN, "Отвод войск от границы начался", EN],
        [EN, EN, "Lavrov skazal, chto vojsk net"],
        langs=[("en", "en"), ("ru", "en"), ("en", "ru-Latn")],
    )
    assert router.readers(pairs) == ["english", "multilingual", "multilingual"]
    probs = router.predict_pairs(pairs)
    assert probs.shape == (3, 4) and np.allclose(probs.sum(1), 1.0)
    assert probs[0].tolist() == [0.0, 0.0, 0.0, 1.0] and probs[1, 3] < 0.5  # related, not "fixed"
    assert router.version.startswith("fixed+usem-head-")


def test_cli_run_on_bad_inputs_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mixed.txt").write_text(
        EN + " Песков заявил, что учения завершены.", encoding="utf-8"
    )
    (folder / "translit.txt").write_text(
        "Lavrov zayavil, chto otvod vojsk nachalsya.", encoding="utf-8"
    )
    (folder / "georgian.txt").write_text("საქართველოს მთავრობამ განაცხადა.", encoding="utf-8")
    (folder / "empty_cyrillic.txt").write_text("«» — …", encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "verify.cli.main",
            "run",
            str(folder),
            "--db",
            str(tmp_path / "x.db"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert any("translit.txt" in x and "Russian in Latin letters" in x for x in lines)
    assert any("georgian.txt" in x and "no model reads it" in x for x in lines)
    assert any("mixed.txt" in x and "mixed scripts" in x for x in lines)
    assert any("empty_cyrillic.txt" in x for x in lines)


def test_an_english_headline_with_a_foreign_stop_word_or_two_stays_english() -> None:
    """Emergent headlines once read as Spanish or French went to the multilingual reader."""
    from verify.language import detect

    for text in (
        "No, Banksy hasn't been arrested",
        "NHL expansion could include Las Vegas, others",
        "Kim Jong-Un bans the name Kim Jong-un",
        # "i", "to", "do" are Polish stop words too: English lookalikes count for English only.
        "I never intended to kill his penis I was just angry: Mpumalanga acid attack girl",
        "Argentina's President Didn't Adopt A Jewish Child To Avoid Becoming A Werewolf So "
        "What Did She Do?",
    ):
        assert detect(text).code == "en", text
    assert detect("Non, le lancement du nouveau Star Wars ne sera pas devancé cet été").code == "fr"
    assert detect("Wojska rosyjskie nie wycofują się z granicy i to jest jasne").code == "pl"
    # Beside a Polish word that is no English look-alike, "i", "do", "to" count for Polish again.
    assert detect("Rosja wraca do rozmów o gazie i to jest szybko").code == "pl"
    assert detect("Polska wysyła czołgi do Ukrainy i to w tym tygodniu").code == "pl"
