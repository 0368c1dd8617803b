"""The two seed articles of the sample board (seeds/000_… and seeds/003_…, copied) and the claims
the engine's extractor finds in them, frozen so that tests and snapshots need no spaCy
(tests/test_sample.py runs the extractor and compares). Data only: ``samples.board`` builds boards
from it."""

from __future__ import annotations

#: (key, start, end, sentence start, sentence end, speaker, cue, relay, content if not
#: text[start:end], topic key): the engine extractor's output on the seeds, frozen, in its order
#: (tests/test_sample.py runs the extractor and compares). The key names the claim for PAIRS,
#: TAGS and the tests; a claim the extractor no longer finds takes its key with it.
ClaimRow = tuple[str, int, int, int, int, str, str, tuple[str, ...], str | None, str]

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
    ('d0', 258, 403, 230, 403, 'Draghi', 'underlined', (), None, 'D'),
    ('d2', 635, 685, 533, 686, 'Putin', 'confirmed', ('Kremlin', 'TASS'), None, 'P'),
    ('d3', 773, 851, 735, 852, 'Vladimir Putin', 'said', ('AFP',), None, 'D'),
    ('d4', 873, 954, 873, 966, 'Putin', 'said', ('AFP',), None, 'D'),
    ('d5', 968, 1074, 968, 1074, 'Vladimir Putin', 'stated', ('TASS',), None, 'D'),
    ('d6', 1145, 1233, 1145, 1417, 'Russian embassy in Washington', 'announced', (), None, 'D'),
    ('d7', 1418, 1507, 1418, 1610, 'Russian embassy in Washington', 'wrote on Facebook', (),
     None, 'D'),
    ('d8', 1551, 1609, 1418, 1610, 'Russian embassy in Washington', 'adding', (), None, 'T'),
    ('d9', 1612, 1702, 1612, 1702, 'Boris Johnson', 'said', (), None, 'T'),
    ('d10', 1825, 1901, 1825, 1901, 'Boris Johnson', 'said', (), None, 'T'),
    ('d11', 1980, 2150, 1980, 2150, 'Boris Johnson', 'said', (), None, 'T'),
    ('d12', 2258, 2296, 2152, 2421, 'Antony Blinken', 'urged', ('US State Department',), None, 'D'),
    ('d16', 2310, 2421, 2152, 2421, 'Antony Blinken', 'calling', ('US State Department',),
     None, 'D'),
    ('d13', 2422, 2517, 2422, 2517, 'Antony Blinken', '', ('US State Department',), None, 'D'),
    ('d14', 2552, 2637, 2552, 2637, 'US sources', 'reported', (), None, 'D'),
    ('d15', 2808, 2952, 2786, 2952, 'US sources', 'according to', (), None, 'D'),
)
SCHOLZ_CLAIMS: tuple[ClaimRow, ...] = (
    ('s0', 559, 608, 499, 609, 'Scholz', 'said', (), None, 'D'),
    ('s1', 610, 698, 610, 698, 'Scholz', 'said', (), None, 'D'),
    ('s2', 699, 816, 699, 816, 'Scholz', 'said', (),
     'At the same time “I reiterated that we perceive the movement of Russian troops on the '
     'borders as a threat”.', 'T'),
    ('s3', 843, 879, 818, 880, 'Putin', 'said', (), None, 'P'),
    ('s4', 881, 936, 881, 1029, 'Putin', 'said', (), None, 'P'),
    ('s5', 958, 1028, 881, 1029, 'Putin', 'adding', (), None, 'P'),
    ('s6', 1201, 1260, 1031, 1261, 'Putin', 'said', (), None, 'P'),
    ('s7', 1697, 1782, 1582, 1783, 'Joe Biden', 'voiced', (), None, 'T'),
    ('s8', 1784, 1917, 1784, 1917, 'Joe Biden', 'added', (),
     'The United States “has not yet verified at this stage” the effective withdrawal of the '
     'Russians from the Ukrainian border.', 'T'),
    ('s9', 1932, 2050, 1918, 2051, 'Joe Biden', 'added', (), None, 'D'),
    ('s11', 2103, 2141, 2103, 2183, 'Joe Biden', 'assured', (), None, 'D'),
    ('s12', 2193, 2245, 2185, 2245, 'Moscow', ':', (), None, 'T'),
    ('s13', 2284, 2411, 2247, 2412, 'Moscow', 'announced', (), None, 'T'),
    ('s14', 2413, 2526, 2413, 2527, 'Serghei Lavrov', 'said', (),
     'The withdrawal “was planned,” “does not depend on Western hysteria”', 'T'),
    ('s15', 2528, 2613, 2528, 2623, 'Serghei Lavrov', 'added', (), None, 'T'),
    ('s16', 2625, 2787, 2625, 2859, 'Maria Zakharova', 'wrote on Telegram', (), None, 'T'),
    ('s17', 2898, 2995, 2860, 2995, 'Ministry of Defense', 'released', (), None, 'T'),
    ('s19', 3196, 3268, 3132, 3268, 'Dmytro Kuleba', ':', (), None, 'T'),
    ('s20', 3340, 3473, 3313, 3474, 'CNN', 'reports', (), None, 'T'),
    ('s23', 3728, 3842, 3698, 3842, 'CNN', 'refers', (), None, 'T'),
    ('s24', 3900, 3983, 3843, 3984, 'CNN', 'shows', (), None, 'T'),
    ('s26', 4242, 4436, 4094, 4459, 'Christo Grozev', 'writes on Twitter', (), None, 'T'),
    ('s27', 4460, 4685, 4460, 4945, 'Grozev', 'adds', (), None, 'T'),
    ('s28', 4718, 4919, 4460, 4945, 'Grozev', 'underlining', (),
     '“the official statement of the Russian Defense speaks of the repatriation of troops from'
     ' Belarusian exercises” “says nothing about the troops in the Kursk, Belgorod and Bryansk'
     ' regions”', 'T'),
    ('s29', 5113, 5212, 5072, 5212, 'Italy', 'said', (), None, 'D'),
)
# fmt: on
