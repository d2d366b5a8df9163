# Named tasks. The README's two commands are `make run` and `make test`;
# both create the virtual environment, install the pinned packages, build the data
# from ../shared/data (or AISNEMAP_SOURCES) when missing and copy the front-end assets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 8501
# The département served (02, the Aisne, by default): make run DEPARTEMENT=59, or
# AISNEMAP_DEPARTEMENT=59 make run.
DEPARTEMENT ?= $(or $(AISNEMAP_DEPARTEMENT),02)

.PHONY: setup data data-all assets run serve-cluster test test-fast lint bench clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

data: setup
	$(BIN)/python -m aisnemap.build --if-missing
	$(BIN)/python -m aisnemap.build.france --if-missing
	$(BIN)/python -m aisnemap.build --if-missing --departement $(DEPARTEMENT)

# Every département built once (a deployment's step: no visitor ever triggers a build).
data-all: data
	$(BIN)/python -m aisnemap.build.all

assets: setup
	$(BIN)/python -m aisnemap.render.assets > /dev/null

run: data assets
	AISNEMAP_DEPARTEMENT=$(DEPARTEMENT) $(BIN)/python -m aisnemap.serve --server.port $(PORT)

# Production mode: N replicas behind Debian's nginx (apt-get install nginx-light), one data
# folder, every département built beforehand. make serve-cluster N=2 CLUSTER_PORT=8080
N ?= 2
CLUSTER_PORT ?= 8080
serve-cluster: data-all assets
	AISNEMAP_DEPARTEMENT=$(DEPARTEMENT) $(BIN)/python -m aisnemap.cluster --repliques $(N) --port $(CLUSTER_PORT)

test: data assets
	$(BIN)/python -m pytest

test-fast: data assets
	$(BIN)/python -m pytest -m "not browser"

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# Python with ruff, the map's JavaScript with ESLint (pinned in package.json and its lock).
lint: setup node_modules/.package-lock.json
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	npx --no-install eslint static/aisnemap

bench: data assets
	$(BIN)/python -m bench.run_all
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.trace
	$(BIN)/python -m bench.national
	$(BIN)/python -m bench.scale
	$(BIN)/python -m bench.load_protocol
	$(BIN)/python -m bench.builds_on_visit

clean-data:
	rm -f data/*.geojson data/build_manifest.json data/build_report.txt
	rm -rf data/france data/departements
