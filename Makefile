# Gerai — the two commands are `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python$$(cat .python-version 2>/dev/null) || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
export GERAI_VAR_DIR ?= $(CURDIR)/var
# Links in emails and QR codes follow the address served (make run PORT=8101 links to port 8101).
export GERAI_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run serve worker test lint typecheck test-unit test-browser test-scale install sysdeps demo migrate messages clean chromium bench bench-documents bench-dashboards bench-planner bench-prices bench-public bench-regions

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: sysdeps $(STAMP)

# WeasyPrint renders with the system's Pango and subsets fonts with HarfBuzz; DejaVu is the letters' font.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
sysdeps:
	@missing=""; for lib in $(PDF_LIBS); do ldconfig -p | grep -q "$$lib" || missing=1; done; \
	  test -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf || missing=1; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; }; \
	    else echo "install: PDF rendering needs Pango, HarfBuzz-subset and DejaVu fonts (apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)"; fi; \
	  fi

## make run: set up, migrate SQLite, load the demo, serve on http://$(HOST):$(PORT) with the task worker.
run: install
	mkdir -p $(GERAI_VAR_DIR)
	GERAI_HTTPS=false $(BIN)/python manage.py migrate --noinput
	GERAI_HTTPS=false $(BIN)/python manage.py createcachetable
	GERAI_HTTPS=false $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	GERAI_HTTPS=false $(BIN)/python manage.py load_demo
	GERAI_HTTPS=false $(BIN)/python manage.py collectstatic --noinput -v0
	GERAI_HTTPS=false bin/serve $(HOST) $(PORT) $(WORKERS)

## make test: lint, type-check and the whole suite (also on PostgreSQL when DATABASE_URL is set).
test: install lint typecheck test-unit

lint: install
	$(BIN)/ruff check gerai tests bench
	$(BIN)/ruff format --check gerai tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=bench --ignore=tests --no-obsolete --no-location -v0
	@git diff -I POT-Creation-Date --quiet -- gerai/locale 'gerai/*/locale' 2>/dev/null \
	  && test -z "$$(git ls-files --others --exclude-standard -- 'gerai/*/locale/*.po' 2>/dev/null)" \
	  || { git diff -I POT-Creation-Date --stat -- gerai/locale 'gerai/*/locale'; git ls-files --others --exclude-standard -- 'gerai/*/locale'; \
	  echo "lint: a message catalog is out of date; run make messages and translate the new strings"; exit 1; }

typecheck: install
	$(BIN)/mypy

test-unit: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/pytest -q -m "not browser and not scale" -n 2

chromium:
	@command -v chromium >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## make test-browser: the end-to-end journey in Debian's headless chromium; screenshots in test-artifacts/.
test-browser: install chromium
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest -q -m browser -p no:xdist

## make test-scale: two web instances and two workers on a throwaway PostgreSQL primary with a streaming replica
## (needs the PostgreSQL server binaries and Redis; deploy/SCALE-OUT.md). Prints the figures it observed.
test-scale: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest -q -m scale -p no:xdist -s

messages: install
	$(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=bench --ignore=tests --no-obsolete --no-location


clean:
	rm -rf $(VENV) var staticfiles test-artifacts

## make bench: the load benchmark (1,000,000 applications, PostgreSQL and SQLite); ratios to baselines.
bench: install
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-public: every public page against the bare lookup (SQLite, 20,000 applications; issue #20).
bench-public: install
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py --db sqlite --rows 20000 --public $(BENCH_ARGS)

## make bench-regions: Banyuwangi-sized regions one server carries at peak (issue #20; BENCH_ARGS=--quick: smoke).
bench-regions: install
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get install -y -qq wrk; }
	$(BIN)/python bench/regions.py $(BENCH_ARGS)

## make bench-dashboards: the transparency pages at 100,000 and 10,000,000 applications (PostgreSQL).
bench-dashboards: install
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get install -y -qq wrk; }
	$(BIN)/python bench/dashboard.py $(BENCH_ARGS)

## make bench-planner: the roadmap planner (HiGHS) on random 300 candidates x 5 years: time or gap, ratio to greedy.
bench-planner: install
	$(BIN)/python bench/planner.py $(BENCH_ARGS)

## make bench-documents: signing and verification-by-upload throughput on a fresh SQLite demo.
bench-documents: install
	$(BIN)/python bench/documents.py $(BENCH_ARGS)

## make bench-prices: the public price page at 10 years of weekly prices for 20 markets against 1 year (ratio).
bench-prices: install
	$(BIN)/python bench/prices.py $(BENCH_ARGS)
