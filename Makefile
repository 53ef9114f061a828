VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run test lint clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -e '.[test]'
	touch $@

setup: $(STAMP) ## Create .venv and install kg (editable) with its test tools

run: setup ## Build the graph from seeds/ into build/
	$(VENV)/bin/kg build seeds --out build

test: setup ## Run the test suite
	$(PY) -m pytest

lint: ## Run ruff when it is installed
	@if [ -x $(VENV)/bin/ruff ]; then $(VENV)/bin/ruff check .; \
	elif command -v ruff >/dev/null 2>&1; then ruff check .; \
	else echo "ruff is not installed; skipping lint"; fi

clean: ## Remove build outputs and caches (keeps .venv)
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
