# The two commands: `make demo` starts the sandbox, `make test` runs the whole suite.
# Both create .venv and install on first use; the stamp makes a re-run with nothing changed instant.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test provision bench browser clean reset

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) manage.py sandbox

test: $(STAMP) browser
	$(PY) -m pytest $(PYTEST_ARGS)

provision: $(STAMP)
	$(PY) manage.py provision

# Wipe what users made (SANDBOX_STATE_DIR); keeps the signing keys (NEW_KEYS=1 drops them too).
reset: $(STAMP)
	$(PY) manage.py reset $(if $(NEW_KEYS),--new-keys)

bench: $(STAMP)
	$(PY) -m bench

# Debian's chromium for the end-to-end test (Playwright cannot download browsers offline).
browser:
	@$(PY) -c "from tests.browser import find_chromium; find_chromium()" 2>/dev/null || sh scripts/install-chromium.sh

clean:
	rm -rf $(VENV) .sandbox
