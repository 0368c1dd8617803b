# Two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= counterclaim.db
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-all setup lint bench train train-stance3 eval clean

setup: $(STAMP)

# torch first, pinned: a bare `torch` requirement would pull gigabytes of CUDA wheels.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (first time only, a few minutes):"
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing torch 2.13.0 (the largest download: the longest step)"
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	@echo "installing counterclaim and its dependencies (spaCy and its English model, the"
	@echo "  MiniLM sentence embedder, ONNX Runtime, faiss, Textual, Ray, dev tools)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@echo "exporting the stance model's ONNX graph (~5 s, cached per user)"
	@# Exported now, not in the first run.
	@$(BIN)/python -m verify.stance.onnx_prepare --prepare >/dev/null 2>&1 || true
	touch $(STAMP)
	@echo "set-up done"

run: $(STAMP)
	$(BIN)/counterclaim run seeds/ examples/ru/ --db $(DB)  # examples/ru: the bilingual demo (issue 23)
	$(BIN)/counterclaim disputes --db $(DB) --top 10
	@if [ -t 1 ]; then $(BIN)/counterclaim board --db $(DB); fi

# Contracts first (seconds), then the suite: ruff with unused-noqa (RUF100), import contracts,
# mypy (config: pyproject.toml).
test: $(STAMP)
	$(BIN)/ruff check --extend-select RUF100 verify tui tests bench
	$(BIN)/ruff format --check verify tui tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

# Every tier: the default suite plus model training and evaluations, Ray, the browser, scale.
test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ''

lint: $(STAMP)
	$(BIN)/ruff check --extend-select RUF100 verify tui tests bench
	$(BIN)/ruff format --check verify tui tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench_pipeline.py

# Model quality: evaluations, never unit tests (a legitimate retrain must not break `make test`).
eval: $(STAMP)
	$(BIN)/counterclaim eval seeds
	$(BIN)/python bench/bench_propositions_e2e.py

train: $(STAMP)
	$(BIN)/python -m verify.stance.training.train_sklearn --out models/stance-sklearn

# Stance model 3, the prepared GPU run (the device tool; a CPU takes hours): the v3 mix (the
# engine's pairs, mined hard negatives, both NLI batches) for several epochs from the shipped
# weights, then its decision layer and the relatedness stage refitted over it.
train-stance3: $(STAMP)
	$(BIN)/python -m verify.stance.training.train_cross --out models/stance-cross --mix v3 \
		--init models/stance-cross --both-orders --max-steps 12000 --batch-size 64 --lr 3e-5
	$(BIN)/python -m verify.stance.training.recalibrate
	$(BIN)/python -m verify.stance.training.train_relatedness
	$(BIN)/python bench/bench_screen.py --roles dev --choose

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
