"""Sample boards built straight through ``verify.store.Store``: no spaCy, no embedder, no model.

``build_seed_db`` stores the two seed articles with the claims the engine's extractor finds in
them (offsets, speakers, cues and relays frozen here), sides from the shipped actor registry,
pairs after shared/gold/seeds_pairs.jsonl and hand-set model probabilities. Tests and the demo
use it so they never wait for model training. ``build_large_db`` makes a synthetic board of any
size for bench/bench_board.py."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verify.actors import Registry
from verify.store import Store
from verify.types import Article, Claim

SAMPLE_MODEL = "sample-stance-v0"
STAMP = "2026-01-05T09:00:00+00:00"  # fixed tag times keep snapshots stable

#: (start, end, sentence start, sentence end, speaker, cue, relay, content if not text[start:end],
#: topic key): the engine extractor's output on the seeds, frozen.
ClaimRow = tuple[int, int, int, int, str, str, tuple[str, ...], str | None, str]

# fmt: off
DRAGHI_LIVE_BLOG = (
    'The Prime Minister, Mario Draghi, had a telephone conversation with the '
    'President of the Russian Federation, Vladimir Putin. At the center of the talks '
    'were the latest developments in the Ukrainian crisis and bilateral relations. '
    'President Draghi underlined the importance of working towards a de-escalation '
    'of tensions in the light of the serious consequences that a worsening of the '
    'crisis would have. A common commitment was agreed for a sustainable and lasting '
    'solution to the crisis and the need to rebuild a climate of trust.\n\nIn the '
    'phone call with Prime Minister Draghi, Russian President Putin confirmed '
    'Moscow’s intention to “continue to support stable gas supplies to Italy”. This '
    'is what the Kremlin says, quoted by TASS.\n\nRussian President Vladimir Putin '
    'said he hopes Moscow and the West will find a solution to the crisis around '
    'Ukraine. The AFP reports it. “I hope that we will eventually find this '
    'solution, even if it will not be easy,” Putin said.\n\nIn their replies, the US '
    '“ignored fundamental questions” about the security guarantees demanded by '
    'Russia. This was stated by Russian President Vladimir Putin, quoted by '
    'TASS.\n\nMoscow will not hold back in the face of threats of US sanctions on the '
    'Ukrainian crisis: the Russian embassy in Washington announced today before the '
    'expected telephone conversation between Russian Foreign Minister Serghei Lavrov '
    'and US Secretary of State Antony Blinken. “We will not back down and stand at '
    'attention, listening to the threats of US sanctions,” the embassy wrote on '
    'Facebook, adding that “it is Washington, not Moscow, that is generating '
    'tension”.\n\nAn attack by Russia on Ukraine would be “a political, humanitarian '
    'and military disaster”. British Prime Minister Boris Johnson said this at a '
    'press conference in Kiev with Ukrainian President Volodymyr Zelensky. The '
    'presence of Russian troops near Ukraine is a “clear and present danger”. '
    'British Prime Minister Boris Johnson said this at a press conference in Kiev. '
    '“We see a large number of troops massed, we see preparations for all kinds of '
    'operations consistent with an upcoming military campaign,” added the British '
    'Prime Minister.\n\nIn a phone call with Russian Foreign Minister Serghiei Lavrov, '
    'US Secretary of State Antony Blinken urged Moscow “to pursue the diplomatic '
    'path”, calling for “an immediate Russian de-escalation and the withdrawal of '
    'troops and military equipment from Ukrainian borders. “and admonishing that” a '
    'further invasion of Ukraine will have rapid and severe consequences “. The US '
    'State Department reports.\n\nSerghei Lavrov “gave no indication” of upcoming '
    'plans for a de-escalation in Ukraine. This was reported by US sources after the '
    'telephone conversation between the Russian Foreign Minister and the US '
    'Secretary of State Antony Blinken. According to sources, the next step will be '
    'Russia’s delivery of a “formal response” validated by President Vladimir Putin '
    'to the letter sent last week by Washington.'
)

SCHOLZ_WITHDRAWAL = (
    'It lasted three hours on face to face, in Moscow, between German Chancellor '
    'Olaf Scholz and Russian President Vladimir Putin. The two were seated at the '
    'now famous white table almost 6 meters long also used for the interview with '
    'French President Emmanuel Macron, adopted for Covid reasons but which has '
    'become the symbol of the distance between Russia and the West on the Ukrainian '
    'crisis. Even Scholz, like Macron, in fact refused the swab (he did it at the '
    'embassy, not at the Russian doctors).\n\nAfter the meeting, At the press '
    'conference Scholz said that the ways of diplomacy “are by no means exhausted”. '
    '“We discussed the situation in Ukraine and the security guarantees requested by '
    'Russia”. At the same time, he said, “I reiterated that we perceive the movement '
    'of Russian troops on the borders as a threat”.\n\nIn turn, Putin said that '
    '“Germany is a key partner of Russia”. “We talked in depth about issues of '
    'bilateral interest” he said, adding that he had had “a very useful and '
    'meaningful dialogue with the Chancellor”.\n\nResponding to a question about the '
    'Duma’s (Russian Parliament) request to recognize the two pro-Russian separatist '
    'republics of Lugansk and Donetsk, Ukraine, Putin said: “Our view is that what '
    'is happening in Donbass is genocide”.\n\nThe readiness of the Kremlin leader to '
    'talk about regional security, expressed in receiving Scholz, did not, however, '
    'clarify what the outcome of the arm wrestling over Kiev’s entry into NATO. For '
    'Moscow it must never happenbut Westerners cannot accept it, at least formally '
    'and in writing, as the Kremlin would like.\n\nIn the evening, the US president, '
    'Joe Biden, voiced the doubts of the allies but also their cautious '
    'availability: “The US is prepared, no matter what happens. An attack on Ukraine '
    'is always possible”. The United States, he added, “has not yet verified at this '
    'stage” the effective withdrawal of the Russians from the Ukrainian border. But '
    'he added: “We are eager to negotiate written agreements with Russia”, to '
    'propose “new measures on arms control and transparency”. Diplomacy must be '
    'given “every chance to succeed”. “We do not want to destabilize Russia”, he '
    'assuredholding out his hand to Putin.\n\nMoscow: troop withdrawal from the '
    'Ukrainian border has begun\n\nOn Tuesday morning, Moscow announced the start of '
    'the withdrawal of troops deployed on the border with Ukrainewhich would have '
    '“completed” the maneuvers in the area. The withdrawal “was planned,” the '
    'foreign minister said Serghei Lavrov, and “does not depend on Western '
    'hysteria”. The news spread by the West about a Russian invasion of Ukraine is '
    '“media terrorism,” he added.\n\n“The date of February 15, 2022 will go down in '
    'history as the day of the failure of the war propaganda by the West. Shamed and '
    'annihilated without firing a shot,” Russian Foreign Ministry spokeswoman Maria '
    'Zakharova wrote on Telegram. The Ministry of Defense also released the videos '
    'of the armored vehicles returning to their original bases once the exercises '
    'are over. The video shows the off-road march of tanks, as well as armored '
    'vehicles, infantry vehicles and artillery systems loaded onto a train.\n\nThe '
    'reaction of the head of Ukrainian diplomacy, Dmytro Kuleba: “Ukraine and '
    "Western countries have prevented the Russian ‘escalation'”.\n\nBut CNN shows "
    'troops massed on the border\n\nHowever, CNN reports that, contrary to what was '
    'announced by Moscow, the massing of Russian troops and military devices on the '
    'border with Ukraine is continuing. The broadcaster has geolocated some videos '
    'circulating on social media and documenting these movements. Some of the videos '
    'come from official sources and have been analyzed by observers and compared '
    'with satellite images.\n\nIn particular, the CNN refers to movements near '
    'Belgorod, in western Russia, a short distance from the border and the Ukrainian '
    'city of Kharkiv. Another footage, posted on social media on Sunday, shows tanks '
    'moving near the village of Sereteno, about 15 miles from the Ukrainian border. '
    'The area around Voronezh also appears to be the scene of military movements, '
    'with tanks and infantry units.\n\nChristo Grozev, director of the investigative '
    'journalism site Bellingcat, is also skeptical of the actual withdrawal, '
    'specialized in fact-checking: “” As part of a joint monitoring task force of '
    'Russian troop movements together with CITeam and The Insider, so far we see no '
    'evidence of a withdrawal of Russian troops from the Ukrainian border “he writes '
    'on Twitter. “This may change in the next few hours or days, but for the moment '
    'the aggregate data from our CITeam colleagues show that various convoys that '
    'were moving towards the Ukrainian border are still moving in the same '
    'direction,” adds Grozev. , underlining that “the official statement of the '
    'Russian Defense speaks of the repatriation of troops from Belarusian '
    'exercises”, while the text “says nothing about the troops in the Kursk, '
    'Belgorod and Bryansk regions”, on the Ukrainian border.\n\nDi Maio in '
    'Kiev\n\n“Reducing tensions” and “preserving peace and stability” is the declared '
    'goal of Di Maio’s mission to Kiev. Italy – said the head of the Farnesina – has '
    'a central role in international equilibrium, we continue to give our best with '
    'our diplomacy “.'
)

DRAGHI_CLAIMS: tuple[ClaimRow, ...] = (
    (258, 403, 230, 403, 'Draghi', 'underlined', (), None, 'D'),  # d0
    (404, 531, 404, 531, 'Draghi', '', (), None, 'D'),  # d1
    (613, 686, 533, 686, 'Putin', 'confirmed', ('Kremlin', 'TASS'), None, 'P'),  # d2
    (773, 852, 735, 852, 'Vladimir Putin', 'said', ('AFP',), None, 'D'),  # d3
    (873, 954, 873, 966, 'Putin', 'said', ('AFP',), None, 'D'),  # d4
    (968, 1074, 968, 1074, 'Vladimir Putin', 'stated', ('TASS',), None, 'D'),  # d5
    (1145, 1233, 1145, 1417, 'Russian embassy in Washington', 'announced', (), None, 'D'),  # d6
    (1418, 1507, 1418, 1610, 'Russian embassy in Washington', 'wrote on Facebook', (), None,
     'D'),  # d7
    (1551, 1610, 1418, 1610, 'Russian embassy in Washington', 'adding', (), None, 'T'),  # d8
    (1612, 1702, 1612, 1702, 'Boris Johnson', 'said', (), None, 'T'),  # d9
    (1825, 1901, 1825, 1901, 'Boris Johnson', 'said', (), None, 'T'),  # d10
    (1980, 2150, 1980, 2150, 'Boris Johnson', '', (), None, 'T'),  # d11
    (2258, 2421, 2152, 2421, 'Antony Blinken', 'urged', ('US State Department',), None,
     'D'),  # d12
    (2422, 2517, 2422, 2517, 'Antony Blinken', '', ('US State Department',), None, 'D'),  # d13
    (2552, 2637, 2552, 2637, 'US sources', 'reported', (), None, 'D'),  # d14
    (2808, 2952, 2786, 2952, 'US sources', 'according to', (), None, 'D'),  # d15
)
SCHOLZ_CLAIMS: tuple[ClaimRow, ...] = (
    (559, 609, 499, 609, 'Scholz', 'said', (), None, 'D'),  # s0
    (610, 698, 610, 698, 'Scholz', '', (), None, 'D'),  # s1
    (699, 816, 699, 816, 'Scholz', 'said', (),
     'At the same time “I reiterated that we perceive the movement of Russian troops on the'
     ' borders as a threat”.', 'T'),  # s2
    (843, 880, 818, 880, 'Putin', 'said', (), None, 'P'),  # s3
    (881, 936, 881, 1029, 'Putin', 'said', (), None, 'P'),  # s4
    (958, 1029, 881, 1029, 'Putin', 'adding', (), None, 'P'),  # s5
    (1201, 1261, 1031, 1261, 'Putin', 'said', (), None, 'P'),  # s6
    (1634, 1783, 1582, 1783, 'Joe Biden', 'voiced', (), None, 'T'),  # s7
    (1784, 1917, 1784, 1917, 'Joe Biden', 'added', (),
     'The United States “has not yet verified at this stage” the effective withdrawal of the'
     ' Russians from the Ukrainian border.', 'T'),  # s8
    (1932, 2051, 1918, 2051, 'Joe Biden', 'added', (), None, 'D'),  # s9
    (2052, 2102, 2052, 2102, 'Joe Biden', '', (), None, 'D'),  # s10
    (2103, 2141, 2103, 2183, 'Joe Biden', 'assured', (), None, 'D'),  # s11
    (2193, 2245, 2185, 2245, 'Moscow', ':', (), None, 'T'),  # s12
    (2284, 2412, 2247, 2412, 'Moscow', 'announced', (), None, 'T'),  # s13
    (2413, 2527, 2413, 2527, 'Serghei Lavrov', 'said', (),
     'The withdrawal “was planned,” and “does not depend on Western hysteria”.', 'T'),  # s14
    (2528, 2613, 2528, 2623, 'Serghei Lavrov', 'added', (), None, 'T'),  # s15
    (2625, 2787, 2625, 2859, 'Maria Zakharova', 'wrote on Telegram', (), None, 'T'),  # s16
    (2898, 2995, 2860, 2995, 'Ministry of Defense', 'released', (), None, 'T'),  # s17
    (2996, 3130, 2996, 3130, 'Ministry of Defense', '', (), None, 'T'),  # s18
    (3196, 3268, 3132, 3268, 'Dmytro Kuleba', ':', (), None, 'T'),  # s19
    (3340, 3474, 3313, 3474, 'CNN', 'reports', (), None, 'T'),  # s20
    (3475, 3578, 3475, 3578, 'CNN', '', (), None, 'T'),  # s21
    (3579, 3696, 3579, 3696, 'CNN', '', (), None, 'T'),  # s22
    (3728, 3842, 3698, 3842, 'CNN', 'refers', (), None, 'T'),  # s23
    (3843, 3984, 3843, 3984, 'CNN', '', (), None, 'T'),  # s24
    (3985, 4092, 3985, 4092, 'CNN', '', (), None, 'T'),  # s25
    (4242, 4438, 4094, 4459, 'Christo Grozev', 'writes on Twitter', (), None, 'T'),  # s26
    (4460, 4685, 4460, 4945, 'Grozev', 'adds', (), None, 'T'),  # s27
    (4718, 4945, 4460, 4945, 'Grozev', 'underlining', (), None, 'T'),  # s28
    (5113, 5212, 5072, 5212, 'Italy', 'said', (), None, 'D'),  # s29
)

TOPICS = {
    "T": "troops · withdrawal · border",
    "D": "diplomacy · de-escalation · talks",
    "P": "partner · gas · Donbass",
}

#: (claim, claim, p(contradiction, agreement, neutral, unrelated)); S01..S14 follow the gold pairs.
PAIRS: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("s13", "s20", (0.86, 0.04, 0.07, 0.03)),  # S01 Moscow: withdrawal begun / CNN: still massing
    ("s13", "s26", (0.78, 0.05, 0.12, 0.05)),  # S02 / Bellingcat: no evidence of a withdrawal
    ("s13", "s8", (0.57, 0.08, 0.30, 0.05)),   # S03 / Biden: not yet verified
    ("s17", "s24", (0.49, 0.06, 0.38, 0.07)),  # S04 back to bases / tanks near Sereteno
    ("s15", "d11", (0.64, 0.05, 0.24, 0.07)),  # S05 media terrorism / upcoming campaign
    ("d8", "s2", (0.52, 0.06, 0.33, 0.09)),    # S06 who is generating tension
    ("s16", "s7", (0.45, 0.05, 0.41, 0.09)),   # S07 war propaganda failed / attack possible
    ("s13", "s27", (0.71, 0.06, 0.17, 0.06)),  # S08 / convoys still moving
    ("s20", "s26", (0.08, 0.74, 0.14, 0.04)),  # S09 agreement
    ("s8", "s26", (0.10, 0.61, 0.24, 0.05)),   # S10 agreement
    ("s13", "s17", (0.06, 0.80, 0.10, 0.04)),  # S11 agreement
    ("d12", "d0", (0.05, 0.70, 0.20, 0.05)),   # S12 agreement
    ("d2", "s20", (0.04, 0.03, 0.13, 0.80)),   # S13 unrelated
    ("s3", "s26", (0.05, 0.04, 0.16, 0.75)),   # S14 unrelated
    ("d3", "d14", (0.41, 0.07, 0.46, 0.06)),
    ("s0", "s9", (0.07, 0.55, 0.33, 0.05)),
    ("d10", "s12", (0.69, 0.05, 0.20, 0.06)),
    ("s6", "s19", (0.22, 0.06, 0.30, 0.42)),
)

#: Tags already in the sample: bob and carol disagree on S09 (a conflict to settle).
TAGS: tuple[tuple[str, str, str, str], ...] = (
    ("s20", "s26", "bob", "agreement"),
    ("s20", "s26", "carol", "contradiction"),
    ("d2", "s20", "bob", "unrelated"),
    ("s13", "s17", "carol", "agreement"),
)

#: A claim made of markup and terminal escapes: it must show literally, never style the screen.
HOSTILE_TEXT = "[bold]x[/bold] [/foo] \x1b[31mred\x1b[0m"
HOSTILE_ARTICLE = Article(
    text=f"Officials said {HOSTILE_TEXT}.\n\nNothing else happened.\x07",
    source="hostile.txt",
    title="[blink]Breaking[/blink] \x1b[2J",
    outlet="[red]Evil[/red] Outlet",
    date="2022-02-16",
)
# fmt: on


@dataclass(frozen=True)
class SampleIds:
    """What a test needs to find things again: claim key -> id, (key, key) -> pair id."""

    claims: dict[str, int]
    pairs: dict[tuple[str, str], int]

    def pair(self, a: str, b: str) -> int:
        return self.pairs[(a, b)] if (a, b) in self.pairs else self.pairs[(b, a)]


def _claims(text: str, rows: Sequence[ClaimRow]) -> list[Claim]:
    return [
        Claim(sentence=text[s0:s1], text=content or text[start:end], start=start, end=end,
              speaker=speaker, cue=cue, relay=list(relay))
        for start, end, s0, s1, speaker, cue, relay, content, _topic in rows
    ]


def build_seed_db(path: str | Path, tags: bool = True, hostile: bool = False) -> SampleIds:
    """The seed dispute as the pipeline would store it (claims, sides, topics, pairs, scores)."""
    store = Store(path)
    try:
        registry = Registry.load()
        articles = [
            (Article(DRAGHI_LIVE_BLOG, "seeds/000_4c4b7a315de9ba1b.txt",
                     "Ukraine crisis live: Draghi–Putin call, Johnson in Kiev, Blinken–Lavrov call",
                     date="2022-02-01"), "d", DRAGHI_CLAIMS),
            (Article(SCHOLZ_WITHDRAWAL, "seeds/003_9c7f7e83a747c763.txt",
                     "Scholz meets Putin in Moscow; Moscow: troop withdrawal from the Ukrainian border"
                     " has begun, but CNN shows troops massed on the border", date="2022-02-15"),
             "s", SCHOLZ_CLAIMS),
        ]
        if hostile:
            start = HOSTILE_ARTICLE.text.index(HOSTILE_TEXT)
            row: ClaimRow = (start, start + len(HOSTILE_TEXT), 0, start + len(HOSTILE_TEXT) + 1,
                             "[i]Officials[/i]", "said", ("\x1b]8;;x\x07relay",), None, "T")
            articles.append((HOSTILE_ARTICLE, "h", (row,)))
        keys: dict[str, int] = {}
        topic_of: dict[int, int] = {}
        topic_keys = list(TOPICS)
        for article, prefix, rows in articles:
            ids = store.claim_ids(store.add_article(article, _claims(article.text, rows)))
            for i, (claim_id, row) in enumerate(zip(ids, rows, strict=True)):
                keys[f"{prefix}{i}"] = claim_id
                topic_of[claim_id] = topic_keys.index(row[-1])
        store.set_actors(
            (r["id"], actor.name or r["speaker"], actor.side)
            for r in store.claim_rows()
            for actor in [registry.resolve(r["speaker"])]
        )
        store.replace_topics(list(TOPICS.values()), topic_of)
        pairs = list(PAIRS) + ([("h0", "s20", (0.66, 0.04, 0.2, 0.1))] if hostile else [])
        store.upsert_pairs((keys[a], keys[b], 0.5) for a, b, _ in pairs)
        pair_ids = {(a, b): store.pair_id(keys[a], keys[b]) or 0 for a, b, _ in pairs}
        store.save_suggestions(SAMPLE_MODEL, [(pair_ids[(a, b)], p) for a, b, p in pairs])
        store.set_meta("stance_model", SAMPLE_MODEL)
        for a, b, who, label in TAGS if tags else ():
            store.add_tag(pair_ids[(a, b)], label, who, at=STAMP)
        return SampleIds(keys, pair_ids)
    finally:
        store.close()


# -- a large synthetic board, for bench/bench_board.py -------------------------------------------

_SUBJECTS = ("Russian troops", "The convoy", "Armoured units", "The withdrawal", "Talks in Geneva",
             "Gas supplies", "The exercise", "Satellite images", "The embassy", "Diplomacy")
_VERBS = ("are moving towards", "have left", "never reached", "continue near", "were seen at",
          "will return to", "do not depend on", "are ending at", "have resumed at", "threaten")
_PLACES = ("the Ukrainian border", "Belgorod", "Voronezh", "their bases", "Kursk", "Bryansk",
           "Crimea", "Belarus", "Kharkiv", "Rostov")
_SPEAKERS = (("Moscow", "Russia"), ("Sergei Lavrov", "Russia"), ("Maria Zakharova", "Russia"),
             ("TASS", "Russia"), ("CNN", "West"), ("Joe Biden", "West"),
             ("Christo Grozev", "West"), ("Boris Johnson", "West"), ("local officials", "unknown"),
             ("a witness", "unknown"))
_OUTLETS = ("", "TASS", "CNN", "Reuters", "AFP", "ANSA")


def build_large_db(path: str | Path, n_pairs: int = 10_000, n_claims: int = 2_500,
                   n_topics: int = 25, seed: int = 0) -> None:
    """A synthetic board of ``n_pairs`` scored pairs over ``n_claims`` claims (5 per article)."""
    rng = random.Random(seed)
    store = Store(path, durable=False)  # a throwaway file: build it fast
    try:
        per_article = 5
        for a in range(0, n_claims, per_article):
            sentences = [f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_PLACES)}"
                         f" (report {a + i})." for i in range(per_article)]
            speaker = rng.choice(_SPEAKERS)[0]
            claims, text = [], ""
            for s in sentences:
                start = len(text) + len(f"{speaker} said ")
                text += f"{speaker} said {s}\n\n"
                claims.append(Claim(sentence=f"{speaker} said {s}", text=s, start=start,
                                    end=start + len(s), speaker=speaker, cue="said"))
            article = Article(text, f"synthetic/{a // per_article:05d}.txt", f"Report {a}",
                              rng.choice(_OUTLETS), f"2022-02-{1 + a % 28:02d}")
            store.add_article(article, claims)
        rows = store.claim_rows()
        sides = dict(_SPEAKERS)
        store.set_actors((r["id"], r["speaker"], sides[r["speaker"]]) for r in rows)
        ids = [r["id"] for r in rows]
        store.replace_topics([f"synthetic topic {t} · troops · border" for t in range(n_topics)],
                             {cid: rng.randrange(n_topics) for cid in ids})
        seen: set[tuple[int, int]] = set()
        while len(seen) < n_pairs:
            a, b = rng.sample(ids, 2)
            seen.add((min(a, b), max(a, b)))
        store.upsert_pairs((a, b, rng.random()) for a, b in seen)
        scored = []
        for pid in store.pair_ids():
            raw = [rng.random() ** 2 for _ in range(4)]
            total = sum(raw)
            scored.append((pid, [x / total for x in raw]))
        store.save_suggestions(SAMPLE_MODEL, scored)
        store.set_meta("stance_model", SAMPLE_MODEL)
    finally:
        store.close()
