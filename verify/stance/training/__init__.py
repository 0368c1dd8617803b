"""Training-only code for the stance models: corpora (``data``, ``nli``), the embedding ``cache``,
``mix`` and ``weighting``, ``metrics``, the ``seeds`` check, the trainers (``train_sklearn``,
``train_cross``, ``train_stacked``, ``recalibrate``) and the model cards. Inference never imports it.
"""
