"""The pipeline's stages, one module each, run in the order of ``verify.stages.pipeline.STAGES``.

Each is one object with ``full`` and ``incremental`` over the run's ``RunClaims``
(``verify.stages.record``); the modules beside this package (embed, topics, pairs, neighbours,
ranking) are the algorithms the stages call."""
