# The two commands of the README: `make run` and `make test`. Everything is installed from the lock files.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
RUN := $(UV) run --frozen

.PHONY: install uv assets run test lint migrations-check bench

uv:
	@command -v uv >/dev/null 2>&1 || test -x "$(UV)" || $(PYTHON) -m pip install --user --quiet uv

install: uv
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/copy-assets.mjs

assets:
	node scripts/copy-assets.mjs

# The demo's staff accounts need a second factor; in DEBUG only, allauth accepts this fixed code.
DEMO_MFA_BYPASS_CODE ?= 000000

run: export DEMO_MFA_BYPASS_CODE := $(DEMO_MFA_BYPASS_CODE)
run: install
	$(RUN) python manage.py migrate --noinput
	$(RUN) python manage.py load_demo
	$(RUN) bash scripts/run-portal.sh

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

migrations-check:
	$(RUN) python manage.py makemigrations --check --dry-run --settings=zelfbeheer.settings.test

test: install lint migrations-check
	$(RUN) pytest $(PYTEST_ARGS)

# The benchmark (not part of the tests): SCALE=small (the foundation) or large (100,000 homes).
SCALE ?= small
BENCH_ARGS ?=
bench: install
	$(UV) sync --frozen --group bench
	bash scripts/services-up.sh
	$(RUN) --group bench python -m bench.run --scale $(SCALE) $(BENCH_ARGS)
