# Two commands for a fresh machine with Python 3.11:
#   make run    set up .venv/ and start the app on http://localhost:8501 (samples one click away)
#   make test   set up .venv/ (with test tools), run ruff and mypy, then the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint venv venv-dev clean

$(VENV)/.installed: requirements.txt vendor/bertopic-0.17.4+nost-py3-none-any.whl
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

run: venv
	$(PY) -m lib samples
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# two workers, one per core of the 2-core machine the suite is sized for (not `-n auto`: in a container psutil
# may count the host's cores, and four workers on two cores would double every test's time and memory; on a
# bigger machine: make test PYTEST_WORKERS="-n auto --dist worksteal"). worksteal splits the tests evenly in
# their order and lets an idle worker take part of another's queue, so a module's tests mostly stay on one
# worker (its module fixtures built once) and no worker idles while another has a queue
PYTEST_WORKERS ?= -n 2 --dist worksteal
test: lint
	$(PY) -m pytest -q $(PYTEST_WORKERS) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV)
