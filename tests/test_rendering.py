"""A claim in another language is read through the English claim that renders it, when one
among its neighbours is close enough in USE-m's space (``verify.multilingual.rendering``)."""

from __future__ import annotations

import numpy as np
import pytest

from verify.multilingual.rendering import RENDER_COSINE, renderings, use_part

WITHDRAWAL_RU = "Отвод войск от украинской границы начался"
WITHDRAWAL_EN = "troop withdrawal from the Ukrainian border has begun"
MASSING_EN = "the massing of Russian troops on the border with Ukraine is continuing"
GAS_EN = "Italy will have stable gas supplies this winter"


@pytest.fixture(scope="module")
def encode():
    from verify.multilingual.space import ClaimSpace

    return ClaimSpace().encode


def test_the_english_rendering_is_chosen_over_a_claim_on_the_same_topic(encode) -> None:
    claims = {
        1: (WITHDRAWAL_RU, "ru"),
        2: (MASSING_EN, "en"),
        3: (WITHDRAWAL_EN, "en"),
        4: (GAS_EN, "en"),
        5: ("Отвод войск завершён", "ru"),  # another Russian claim: never a rendering
    }
    assert renderings([1], {1: [2, 5, 3, 4]}, claims, encode) == {1: 3}
    # Among neighbours that do not render it, none is taken: the multilingual reader reads it.
    assert renderings([1], {1: [2, 4, 5]}, claims, encode) == {}
    assert renderings([1], {}, claims, encode) == {}


def test_use_part_is_the_unit_tail_of_the_joint_vectors(encode) -> None:
    from verify.multilingual.encoder import MultilingualEncoder

    joint = encode([WITHDRAWAL_RU, WITHDRAWAL_EN])
    direct = MultilingualEncoder().encode([WITHDRAWAL_RU, WITHDRAWAL_EN])
    assert np.allclose(
        use_part(joint), direct / np.linalg.norm(direct, axis=1, keepdims=True), atol=1e-5
    )
    assert float(use_part(joint)[0] @ use_part(joint)[1]) >= RENDER_COSINE
