from pathlib import Path

import pytest

from verify.actors import Registry, RegistryError


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
