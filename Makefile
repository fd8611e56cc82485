# `make demo` runs the instructor's job on the bundled sample cohort, `make lab` opens the
# course, `make test` runs the test suite, `make check` its fast tier for everyday work.
# Each creates .venv and installs the pinned stack into it on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian's Chromium, driven by Playwright in tests/test_browser.py (Playwright's own browser download is not used).
CHROMIUM := /usr/bin/chromium

# Debian packages the project needs beyond Python: bubblewrap, the sandbox grading runs
# learner code in. Installed when missing if we are root (as in CI); otherwise say how.
SYSTEM_PACKAGES := bubblewrap
SYSTEM_COMMANDS := bwrap

.PHONY: demo lab test check build lint check-python system system-packages clean

demo: $(STAMP) system  ## the main job on bundled data: generate, grade a sample class, feedback, reports
	$(BIN)/course demo

# The terminal is a plain (not login) shell with .venv/bin first on PATH: a login shell would
# read /etc/profile, which resets PATH, and `course` would not be found.
lab: $(STAMP)  ## open JupyterLab on the repository
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --notebook-dir=. \
	  --ServerApp.terminado_settings='{"shell_command": ["/bin/bash"]}'

# One pytest process per core: much of the suite waits on kernels, servers and the browser with
# a core idle, and another process fills it (tests/conftest.py keeps each test file, and the
# files that share an expensive fixture, in one process). TEST_PROCESSES=0: one process.
TEST_PROCESSES ?= auto
test: $(STAMP) system system-packages $(CHROMIUM)  ## run the whole test suite (lint, build, grading, notebooks, the browser test)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_PROCESSES)

# The fast tier (a few minutes): lint, the package's own tests, and one lab (the warm-up)
# built, linted and graded end to end with its whole catalogue.
FAST_TESTS := tests/test_lint.py tests/test_readme.py tests/test_layout.py tests/test_scoring.py tests/test_screen.py \
	tests/test_speedups.py tests/test_build.py tests/test_catalogue.py tests/test_grading.py tests/test_check.py
check: $(STAMP) system  ## the fast tier: lint, the package's unit tests, one lab graded end to end
	$(BIN)/ruff check .
	$(BIN)/course lint
	COURSE_LABS=lab00 $(BIN)/pytest -q $(FAST_TESTS)

# Debian packages the tests use, installed only when missing: PostgreSQL's server (the
# gradebook tests start one; its binaries live in /usr/lib/postgresql/<version>/bin),
# util-linux's runuser and unshare (the server runs unprivileged; cluster workers run in a
# mount namespace that hides the course's files from them; learners of the exchange test run
# as themselves), and passwd's useradd/userdel (the exchange test's learner accounts).
system-packages:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v runuser >/dev/null && command -v unshare >/dev/null \
	  && test -x /usr/sbin/useradd || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "The tests need Debian's postgresql, util-linux and passwd packages. Run: sudo apt-get install postgresql util-linux passwd"; exit 1; \
	  fi; \
	  echo "Installing Debian packages for the tests: postgresql util-linux passwd"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql util-linux passwd; }

build: $(STAMP)  ## regenerate labs/ and solutions/ from autograder/source/
	$(BIN)/course build

lint: $(STAMP)  ## check every lab source against the course's rules
	$(BIN)/course lint

system:  ## install the Debian packages grading needs, when missing
	@missing=0; for cmd in $(SYSTEM_COMMANDS); do command -v $$cmd >/dev/null || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get install -y -q $(SYSTEM_PACKAGES) || (apt-get update -q && apt-get install -y -q $(SYSTEM_PACKAGES))) >/dev/null; \
	  else \
	    echo "Missing system packages. Run: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	  fi; \
	fi

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' || \
	  { echo "Python 3.11.5 or newer is needed (found: $$($(PYTHON) --version 2>&1)). Name a newer one: make PYTHON=/path/to/python3 ..."; exit 1; }

$(STAMP): pyproject.toml constraints.txt | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Installed only when missing. CI runs as root; anyone else is told the command to run.
$(CHROMIUM):
	@test "$$(id -u)" = 0 || { echo "The browser test needs Debian's chromium at $(CHROMIUM). Install it as root: apt-get install -y chromium"; exit 1; }
	apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }

clean:  ## remove the environment and caches (never submissions, grades or the gradebook)
	rm -rf $(VENV) autograder/src/*.egg-info .pytest_cache .ruff_cache
