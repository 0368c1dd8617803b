"""Check-worthiness: the probability that a sentence states a fact worth checking.

A logistic regression on all-MiniLM-L6-v2 sentence embeddings (``verify.stages.embed``), trained on
ClaimBuster and CLEF 2020 CheckThat! task 1 (both GPL-3.0 data; see models/checkworthy/
MODEL_CARD.md). Saved as plain numpy arrays (``weights.npz``, read with ``allow_pickle=False``)
plus JSON: nothing executable in the model folder.

``model`` is what the engine runs (inference never imports ``training``: an import contract);
``training`` loads the public data, fits and writes the model:
``python -m verify.checkworthy.training --out models/checkworthy``.
"""
