"""The actor registry: speakers as written -> canonical actors and the analyst's sides.

A plain TOML or YAML file the analyst edits; resolution is recomputed on every run, so an edit
takes effect without recomputing any model output."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

UNKNOWN_SIDE = "unknown"
DEFAULT_REGISTRY = Path(__file__).parent / "data" / "actors.toml"
PERSON, ORGANISATION, PLACE = "person", "organisation", "place"
KINDS = {PERSON: PERSON, ORGANISATION: ORGANISATION, "organization": ORGANISATION, PLACE: PLACE}

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


def _key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).removeprefix("the ")


class Registry:
    def __init__(self, actors: list[Actor], source: str = "") -> None:
        self.actors = actors
        self.source = source
        self._by_alias: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_alias.setdefault(_key(alias), actor)
        # Surname of capitalised multi-word names ("Lavrov" for "Serghei Lavrov"), never of
        # common-noun phrases ("US sources" must not claim every "sources").
        self._by_last: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                words = alias.split()
                if len(words) >= 2 and all(w[:1].isupper() for w in words):
                    self._by_last.setdefault(_key(words[-1]), actor)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        path = Path(path) if path else DEFAULT_REGISTRY
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RegistryError(f"{path}: cannot read registry ({exc.strerror})") from exc
        try:
            if path.suffix.lower() in {".yaml", ".yml"}:
                import yaml

                data = yaml.safe_load(raw) or {}
            else:
                data = tomllib.loads(raw.decode("utf-8"))
        except Exception as exc:  # any parse error becomes one clear line
            raise RegistryError(f"{path}: registry does not parse ({exc})".splitlines()[0]) from exc
        entries = data.get("actor", data.get("actors", [])) if isinstance(data, dict) else data
        actors = []
        for i, entry in enumerate(entries or []):
            if not isinstance(entry, dict) or not entry.get("name"):
                raise RegistryError(f"{path}: actor #{i + 1} has no name")
            kind = str(entry.get("kind") or "").strip().lower()
            if kind and kind not in KINDS:
                raise RegistryError(
                    f"{path}: actor #{i + 1} ({entry['name']}): kind {kind!r} is not one of "
                    "person, organisation, place"
                )
            actors.append(
                Actor(
                    name=str(entry["name"]),
                    side=str(entry.get("side") or UNKNOWN_SIDE),
                    organisation=str(entry.get("organisation") or entry.get("organization") or ""),
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                    kind=KINDS.get(kind, ""),
                )
            )
        return cls(actors, str(path))

    def resolve(self, speaker: str) -> Actor:
        """Exact alias first, then a surname match; unknown speakers are kept as written."""
        key = _key(speaker)
        if not key:
            return Actor(name="", side=UNKNOWN_SIDE)
        if key in self._by_alias:
            return self._by_alias[key]
        words = key.split()
        if words and words[-1] in self._by_last:
            return self._by_last[words[-1]]
        return Actor(name=speaker, side=UNKNOWN_SIDE)

    def fingerprint(self) -> str:
        from .types import sha256

        return sha256(repr([(a.name, a.side, a.organisation, a.aliases) for a in self.actors]))
