"""Stance models: given claim pairs, probabilities over ``verify.labels.STANCE_LABELS``: the
interface in ``base``, the choice of model in ``loading``, the models beside them."""
