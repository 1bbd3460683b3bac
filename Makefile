# selfeval — the front door. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLE := data/2024_luko_edu.yaml
TABLE_EXAMPLE := data/2025_example_county.yaml

.DEFAULT_GOAL := help
.PHONY: help demo test check lint typecheck schema base bench bench-count bench-scaling profile fuzz clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/selfeval: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(BIN)/selfeval
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: $(BIN)/selfeval  ## install into .venv and build both examples to build/
	$(BIN)/selfeval validate $(EXAMPLE) $(TABLE_EXAMPLE)
	$(BIN)/selfeval build $(EXAMPLE) -o build/2024_luko_edu.docx
	$(BIN)/selfeval build $(TABLE_EXAMPLE) -o build/2025_example_county.docx

test: $(VENV)/.dev lint typecheck  ## install dev tools into .venv, lint, type-check, run the tests with branch coverage
	$(BIN)/python -m pytest

lint: $(VENV)/.dev  ## ruff
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.dev  ## mypy --strict on the package, the tests and the bench
	$(BIN)/mypy

check: lint typecheck  ## lint and type-check

schema: $(BIN)/selfeval  ## regenerate schemas/selfeval.schema.json from the model
	$(BIN)/selfeval schema -o schemas/selfeval.schema.json

base: $(BIN)/selfeval  ## regenerate the styled empty report the writer starts from
	$(BIN)/python -c "from selfeval_cli.word.writer import BASE_DOCX, make_base_document; \
	BASE_DOCX.write_bytes(make_base_document())"

$(VENV)/.bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

bench: $(VENV)/.bench  ## run the benchmark against its peers (not part of `make test`; about 10 minutes)
	$(BIN)/python bench/run.py

bench-count: $(VENV)/.dev  ## instructions start-up executes (valgrind; AGAINST=rev to compare with a revision)
	$(BIN)/python bench/instructions.py

bench-scaling: $(VENV)/.dev  ## time per item of build and per paragraph of import, 1 000 to 60 000 (linear?)
	$(BIN)/python bench/scaling_build.py
	$(BIN)/python bench/scaling_import.py

profile: $(VENV)/.dev  ## cProfile of ten builds of the example (where the time goes)
	$(BIN)/python bench/profile_build.py

fuzz: $(VENV)/.dev  ## the long fuzz runs: the loader and validator, and import of mutated .docx files (on demand)
	$(BIN)/python -m pytest -m slow --no-cov tests/data/test_fuzz.py tests/importing/test_fuzz_docx.py

clean:  ## remove build outputs (keeps .venv)
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
