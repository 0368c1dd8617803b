"""No network for the model libraries: the one place the hub's offline flags are set.

``huggingface_hub`` and ``transformers`` read ``HF_HUB_OFFLINE`` / ``TRANSFORMERS_OFFLINE`` once,
when they are first imported, so the flags must be in the environment before that import: the
entry points call ``go_offline()`` first thing, and so does every loader that imports those
libraries (``verify.stages.embed``, ``verify.stance.cross_encoder``), for callers that start no entry
point (tests, the board). ``setdefault``: a user who has set either flag keeps it.
"""

from __future__ import annotations

import os

FLAGS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def go_offline() -> None:
    for flag in FLAGS:
        os.environ.setdefault(flag, "1")
