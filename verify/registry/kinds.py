"""What an actor can be, and how a speaker's name meets an alias: shared by the registry
(``verify.registry.actors``) and its file schema (``verify.registry.file``), which must not import each
other."""

from __future__ import annotations

PERSON, ORGANISATION, PLACE = "person", "organisation", "place"
KINDS = {PERSON: PERSON, ORGANISATION: ORGANISATION, "organization": ORGANISATION, PLACE: PLACE}


def alias_key(text: str) -> str:
    """How a speaker meets an alias: lower case, one space, no leading "the"."""
    return " ".join(text.lower().replace("’", "'").split()).removeprefix("the ")
