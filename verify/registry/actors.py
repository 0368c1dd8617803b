"""The actor registry: speakers as written -> canonical actors and the analyst's sides.

A plain TOML or YAML file the analyst edits; resolution is recomputed on every run, so an edit
takes effect without recomputing any model output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from verify.printable import printable
from verify.registry.kinds import KINDS, ORGANISATION, PERSON, alias_key

UNKNOWN_SIDE = "unknown"
DEFAULT_REGISTRY = Path(__file__).parents[1] / "data" / "actors.toml"

_ORG_WORDS = re.compile(
    r"\b(ministry|ministries|government|embassy|office|agency|army|forces|military|council|"
    r"kremlin|pentagon|nato|un|eu|news|press|media|sources|officials|service|department|"
    r"command|committee|parliament|party|administration|company|tass|reuters|cnn|bbc|ap|afp|"
    r"analysts|intelligence|white house)\b",
    re.IGNORECASE,
)


def source_key(actor: str, outlet: str) -> str:
    """Who stands behind a claim (its actor, or speaker, and its outlet); pairs are only made
    between different sources."""
    return f"{actor.strip().lower()}|{outlet.strip().lower()}"


def outlet_key(outlet: str, article: object) -> str:
    """The source a reader counts (the board's "sources"): the outlet, or the article itself
    where its outlet is unknown. Not ``source_key``, which tells speakers apart too."""
    name = outlet.strip().casefold()
    return f"outlet {name}" if name else f"article {article}"


def own_relay(speaker: str, actor: str | None, relay: list[str]) -> list[str]:
    """The relay chain without the speaker's own names: "Vladimir Putin via Putin" names one
    source, not two (a relay whose words are all in the speaker's or actor's name is theirs)."""
    own = [set(n.casefold().split()) for n in (speaker, actor or "") if n.strip()]
    return [r for r in relay if not any(set(r.casefold().split()) <= o for o in own)]


@dataclass(frozen=True)
class Actor:
    name: str
    side: str = UNKNOWN_SIDE
    organisation: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    kind: str = ""  # person | organisation | place; "" = not given (see ``guess_kind``)


def guess_kind(name: str, organisation: str = "") -> str:
    """person or organisation, for an actor the registry gives no kind (or an unknown speaker).

    An actor that is its own organisation, a name with an institution word ("embassy",
    "ministry", "officials") or a single word ("Moscow", "Kremlin") is an organisation (a
    capital stands for its government); two or three capitalised words are a person."""
    words = name.split()
    if organisation and organisation == name or _ORG_WORDS.search(name):
        return ORGANISATION
    person = 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
    return PERSON if person else ORGANISATION


def kind_of(actor: Actor) -> str:
    """The actor's kind as the registry gives it, else guessed from its name."""
    return actor.kind or guess_kind(actor.name, actor.organisation)


class RegistryError(ValueError):
    """The registry file cannot be used; the message names the file and the reason."""


class Registry:
    def __init__(self, actors: list[Actor], source: str = "") -> None:
        self.actors = actors
        self.source = source
        self._by_alias: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_alias.setdefault(alias_key(alias), actor)
        # Surname of capitalised multi-word names ("Lavrov" for "Serghei Lavrov"), never of
        # common-noun phrases ("US sources" must not claim every "sources").
        self._by_last: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                words = alias.split()
                if len(words) >= 2 and all(w[:1].isupper() for w in words):
                    self._by_last.setdefault(alias_key(words[-1]), actor)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        """The registry file at ``path`` (default: the shipped one), validated by
        ``registry_file``; ``RegistryError``, one line naming the file, otherwise."""
        from verify.registry.file import RegistryFileError, read
        from verify.safe_load import FileRefused

        path = Path(path) if path else DEFAULT_REGISTRY
        try:
            entries = read(path)
        except (RegistryFileError, FileRefused) as exc:
            raise RegistryError(printable(f"{path}: {exc}")) from None
        actors = [
            Actor(
                name=e.name,
                side=e.side.strip() or UNKNOWN_SIDE,
                organisation=e.organisation or e.organization,
                aliases=tuple(e.aliases),
                kind=KINDS.get(e.kind.strip().lower(), ""),
            )
            for e in entries
        ]
        return cls(actors, str(path))

    def resolve(self, speaker: str) -> Actor:
        """Exact alias first, then a surname match; unknown speakers are kept as written."""
        key = alias_key(speaker)
        if not key:
            return Actor(name="", side=UNKNOWN_SIDE)
        if key in self._by_alias:
            return self._by_alias[key]
        words = key.split()
        if words and words[-1] in self._by_last:
            return self._by_last[words[-1]]
        return Actor(name=speaker, side=UNKNOWN_SIDE)

    def fingerprint(self) -> str:
        from verify.types import sha256

        return sha256(repr([(a.name, a.side, a.organisation, a.aliases) for a in self.actors]))
