from pathlib import Path

import pytest

from verify.registry.actors import Registry, RegistryError


def test_default_registry_resolves_aliases_and_surnames() -> None:
    reg = Registry.load()
    assert reg.resolve("Serghei Lavrov").name == "Sergei Lavrov"
    assert reg.resolve("Lavrov").side == "Russia"
    assert reg.resolve("the CNN").name == "CNN"
    assert reg.resolve("Christo Grozev").side == "West"


def test_unknown_speaker_is_kept_as_written() -> None:
    actor = Registry.load().resolve("Local fishermen")
    assert (actor.name, actor.side) == ("Local fishermen", "unknown")


def test_common_noun_alias_does_not_claim_other_speakers() -> None:
    assert Registry.load().resolve("sources").side == "unknown"


def test_yaml_registry(tmp_path: Path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text("actors:\n  - name: Ada Lovelace\n    aliases: [Lovelace]\n    side: Science\n")
    reg = Registry.load(path)
    assert reg.resolve("Lovelace").side == "Science"


def test_broken_registry_names_file_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "reg.toml"
    path.write_text("[[actor]\nname=")
    with pytest.raises(RegistryError) as err:
        Registry.load(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_kind_from_the_registry_or_guessed(tmp_path: Path) -> None:
    from verify.registry.actors import kind_of
    from verify.registry.kinds import ORGANISATION, PERSON, PLACE

    path = tmp_path / "reg.toml"
    path.write_text(
        '[[actor]]\nname = "Moscow"\nkind = "Place"\n'
        '[[actor]]\nname = "Ada Lovelace"\n'
        '[[actor]]\nname = "Analytical Engine Society"\norganization = "Analytical Engine Society"\n'
        '[[actor]]\nname = "Embassy of Ruritania"\n'
    )
    reg = Registry.load(path)
    kinds = {a.name: kind_of(a) for a in reg.actors}
    assert kinds == {
        "Moscow": PLACE,
        "Ada Lovelace": PERSON,
        "Analytical Engine Society": ORGANISATION,  # its own organisation
        "Embassy of Ruritania": ORGANISATION,  # an institution word
    }
    shipped = Registry.load()
    assert kind_of(shipped.resolve("Russia")) == PLACE  # an alias of Moscow
    assert kind_of(shipped.resolve("the embassy")) == ORGANISATION
    assert kind_of(shipped.resolve("Lavrov")) == PERSON
    assert all(a.kind for a in shipped.actors)  # the shipped registry says each kind


def test_unknown_kind_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "reg.toml"
    path.write_text('[[actor]]\nname = "Moscow"\nkind = "city"\n')
    with pytest.raises(RegistryError, match=r"reg.toml: actor #1 \(Moscow\): kind 'city'") as info:
        Registry.load(path)
    assert "\n" not in str(info.value)
