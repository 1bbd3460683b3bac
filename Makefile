# selfeval — the front door. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLE := data/2024_luko_edu.yaml
TABLE_EXAMPLE := data/2025_example_county.yaml

.DEFAULT_GOAL := help
.PHONY: help demo test check lint typecheck schema base bench bench-count bench-scaling profile fuzz mutation clean

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
	$(BIN)/python -m pytest -m slow --no-cov tests/model/test_fuzz.py tests/importing/test_fuzz_docx.py

mutation: $(VENV)/.dev  ## mutation testing of the model, checks, scoring, money and summary (on demand; 6 to 9 minutes on two cores)
	rm -rf mutants
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/mutmut run --max-children 2
	@echo "Not killed (mutmut show NAME for the change):"
	@$(BIN)/mutmut results
	@$(BIN)/python -c 'import collections, json, pathlib; from mutmut.stats import status_by_exit_code as status; \
	root = pathlib.Path("mutants/src"); \
	rows = [(str(m.relative_to(root))[:-len(".meta")], collections.Counter(status[code] for code in \
	         json.loads(m.read_text())["exit_code_by_key"].values())) for m in sorted(root.rglob("*.py.meta"))]; \
	caught = ("killed", "timeout", "caught by type check"); \
	line = lambda name, c: print("  %-40s %4d / %4d killed (%d by mypy)  %s" % (name, sum(c[k] for k in caught), \
	       c.total(), c["caught by type check"], ", ".join("%d %s" % (n, k) for k, n in sorted(c.items()) if k not in caught))); \
	[line(name, c) for name, c in rows]; line("all", sum((c for _, c in rows), collections.Counter()))'

clean:  ## remove build outputs (keeps .venv)
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
