VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help setup browser run test lint clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -e '.[test]'
	touch $@

setup: $(STAMP) ## Create .venv and install kg (editable) with its test tools

# The browser tests drive Debian's chromium (Playwright's own browser download is not used).
browser: ## Install Debian's chromium for the browser tests when it is missing (as root)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update && apt-get install -y chromium) \
	  || echo "could not install chromium: the browser tests will skip (fail when CI=true)"; \
	else echo "$(CHROMIUM) is missing and this is not root: the browser tests will skip" \
	  "(fail when CI=true); install it with: sudo apt-get install chromium"; fi

run: setup ## Build the graph from seeds/ into build/
	$(VENV)/bin/kg build seeds --out build

test: setup browser ## Run ruff, then the test suite (browser tests need chromium)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: setup ## Run ruff (installed with the test extras)
	$(VENV)/bin/ruff check .

clean: ## Remove build outputs and caches (keeps .venv)
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
