# Two commands on a fresh machine: `make run` starts the platform, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test lint format protos bench bench-reporting bench-infoshare bench-grants bench-propagation constraints clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/nlc up

test: $(STAMP)
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/protos.py --check
	$(BIN)/python scripts/validate_deploy.py

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

protos: $(STAMP)
	$(BIN)/python scripts/protos.py

bench: $(STAMP)
	$(BIN)/python bench/registry_read.py

bench-reporting: $(STAMP)
	$(BIN)/python bench/reporting_national.py

bench-infoshare: $(STAMP)
	$(BIN)/python bench/infoshare_share.py

# Imports the loopback NATS cluster and process helpers from tests/ (hence PYTHONPATH).
bench-grants: $(STAMP)
	PYTHONPATH=. $(BIN)/python bench/grants_submit.py

bench-propagation: $(STAMP)
	PYTHONPATH=. $(BIN)/python bench/event_propagation.py

constraints: $(STAMP)
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev]'
	( sed -n 1,2p constraints.txt; $(BIN)/python -m pip freeze --exclude-editable ) > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .nlc
