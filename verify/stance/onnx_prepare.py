"""Export the cross-encoder's ONNX graph (and its int8 form, when the settings ask the engine
to read with it) into the cache ahead of its first use (``make setup`` runs it), so the first
scoring run does not pay for the trace (``onnx_backend`` holds the graph code; this entry point
sits above the model that uses it).

    python -m verify.stance.onnx_prepare --prepare [--model-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.onnx_prepare",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--prepare", action="store_true", help="export the graph into the cache now")
    p.add_argument("--model-dir", type=Path, help="default: the shipped models/stance-cross")
    args = p.parse_args(argv)
    if not args.prepare:
        p.print_help()
        return 0
    from verify.logs import to_stderr
    from verify.settings import Settings
    from verify.stance.cross_encoder import CrossEncoderStanceModel

    settings = Settings.from_env()
    with to_stderr():
        model = CrossEncoderStanceModel.load(
            args.model_dir, settings=settings, backend="onnx", int8=settings.quantized
        )
    if model.onnx_graph is None:  # the reason is on stderr already
        return 1
    print(model.onnx_graph)
    return 0


if __name__ == "__main__":
    sys.exit(main())
