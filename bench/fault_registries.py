"""The fault campaign's registry cases (bench/fault_cases.py gathers every kind): wrong
types, alias bombs, deep nesting, duplicate aliases, huge, not UTF-8, a folder, and seeded random
mutations of a good registry, each under ``run`` and ``export --registry``."""

from __future__ import annotations

import json
import random

from fault_cases import HOSTILE, Case

# -- registries ----------------------------------------------------------------------------

LOL = ", ".join(['"lol"'] * 9)
BOMB = f"a: &a [{LOL}]\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi", strict=True)
)
REGISTRIES: dict[str, str | bytes | None] = {
    "actor_5.toml": "actor = 5\n",
    "aliases_5.toml": '[[actor]]\nname = "A"\naliases = 5\n',
    "just_42.yaml": "42\n",
    "just_42.toml": "42\n",
    "aliases_str.toml": '[[actor]]\nname = "Joe Biden"\naliases = "Biden"\n',
    "side_list.toml": '[[actor]]\nname = "Joe Biden"\nside = ["West", "US"]\n',
    "duplicate_alias.toml": '[[actor]]\nname = "Joe Biden"\naliases = ["Biden"]\n'
    '[[actor]]\nname = "Hunter Biden"\naliases = ["Biden"]\n',
    "bomb.yaml": BOMB,
    "deep.yaml": "[" * 5000 + "]" * 5000,
    "deep.toml": "a = " + "[" * 5000 + "]" * 5000,
    "huge.toml": "# " + "x" * 1_100_000 + "\n",
    "latin1.toml": b'[[actor]]\nname = "Caf\xe9"\n',
    "no_name.yaml": "actors:\n  - side: West\n",
    "item_5.yaml": "actors:\n  - 5\n",
    "null.yaml": "actors: null\n",
    "python_tag.yaml": "actors: !!python/object/apply:os.system ['echo pwned']\n",
    "kind_robot.yaml": "actors:\n  - name: X\n    kind: robot\n",
    "hostile_side.toml": f'[[actor]]\nname = "Ivan Petrov"\nside = {json.dumps(HOSTILE)}\n',
    "binary.yaml": b"\x00\x01\x02\xff",
    "a_folder.toml": None,
}
GOOD_ENTRY = {"name": "Joe Biden", "side": "West", "aliases": ["Biden"], "kind": "person"}
ODD_VALUES: list[object] = [5, 1.5, True, None, [], {}, ["a", 1], {"a": "b"}, "x" * 5000, "", [[1]]]


def _mutation(rng: random.Random) -> str:
    entry: dict[str, object] = dict(GOOD_ENTRY)
    key = rng.choice([*GOOD_ENTRY, "organisation", "extra"])
    entry[key] = rng.choice(ODD_VALUES)
    return json.dumps({"actors": [entry, {"name": "Kremlin", "side": "Russia"}]})  # JSON is YAML


def registry_cases(rng: random.Random, mutations: int = 16) -> list[Case]:
    bodies = dict(REGISTRIES)
    for i in range(mutations):
        bodies[f"mutation{i}.yaml"] = _mutation(rng)
    out = []
    for name, body in bodies.items():
        path, files = "{dir}/" + name, {name: body}
        out.append(
            Case("registry", f"run {name}", ["run", "{small}", "--registry", path], files=files)
        )
        out.append(
            Case(
                "registry",
                f"export {name}",
                ["export", "--format", "claimreview", "-o", "{dir}/cr.json", "--registry", path],
                files=files,
            )
        )
    return out
