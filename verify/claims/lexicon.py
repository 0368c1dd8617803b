"""Attribution vocabulary: generic English reporting language, nothing specific to one dispute."""

from __future__ import annotations

#: Lemmas of verbs that introduce what someone said or reported.
CUE_VERBS = frozenset(
    """say state announce add write tell claim insist deny confirm warn urge declare note stress
    underline explain argue suggest reiterate admit assure report allege voice repeat accuse
    emphasize emphasise comment reply respond acknowledge predict promise vow threaten call
    post tweet release publish refer describe conclude estimate believe complain observe
    point assert maintain caution recall indicate announce signal""".split()
)

#: Belief, perception and evidence verbs: they attribute only what a clause after them reports
#: ("polls show that ...", "aides believe ...", "he asked whether ...").
CLAUSE_CUE_VERBS = frozenset(
    """think know feel hope fear worry expect show find suggest reveal agree ask wonder doubt
    recognize realize understand concede contend boast joke quip speculate guess assume
    suspect testify recount remember remind mention hint imply demonstrate prove learn hear
    acknowledge insist charge decide determine predict""".split()
)

#: Verbs that relay someone else's words ("quoted by TASS", "reported by AFP").
RELAY_VERBS = frozenset({"quote", "report", "cite", "relay", "carry"})

#: Participles that open a second claim by the same speaker ("..., adding that X").
CONTINUATION_PARTICIPLES = frozenset(
    {
        "adding",
        "underlining",
        "stressing",
        "noting",
        "insisting",
        "saying",
        "warning",
        "explaining",
        "arguing",
        "emphasizing",
        "emphasising",
        "recalling",
        "claiming",
    }
)

#: Inflected cue forms, to spot a cue glued to the next word by scraping ("assuredholding").
GLUED_CUE_FORMS = (
    "said",
    "added",
    "assured",
    "stated",
    "wrote",
    "announced",
    "insisted",
    "stressed",
    "warned",
    "noted",
    "explained",
    "claimed",
    "declared",
)

#: Head nouns that can speak even when NER does not tag them.
SPEAKER_NOUNS = frozenset(
    """official officials source sources spokesman spokeswoman spokesperson minister president
    ministry embassy government chancellor secretary department agency broadcaster newspaper
    analyst analysts expert experts observer observers director leader leaders head chief
    diplomat diplomats envoy ambassador general commander army military office kremlin
    white house premier mayor governor senator lawmaker lawmakers party prosecutor police
    court committee council parliament duma investigators journalist reporter editor""".split()
)

#: Things that show rather than say: "footage shows tanks ..." is evidence the reporting source
#: presents, so the claim is that source's (the paragraph's speaker), not the footage's.
EVIDENCE_NOUNS = frozenset(
    """footage video videos image images photo photos picture pictures imagery data evidence
    document documents recording recordings clip clips map maps chart figures""".split()
)

SPEAKER_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PRONOUNS = frozenset({"he", "she", "they", "we"})
BACKREF_WORDS = frozenset({"this", "it", "that", "so", "what"})
OPEN_QUOTES = "“«„"
STRAIGHT_QUOTES = frozenset({'"', "''", "``"})  # open or close by position
CLOSE_QUOTES = "”»"
