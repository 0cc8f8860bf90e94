# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test bench bench-large relevance probe lock messages translations lexicon clean

install: $(INSTALLED) translations lexicon

$(INSTALLED): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(INSTALLED)

# Compiles locale/*/LC_MESSAGES/django.po into .mo files (pure Python: no gettext tools needed).
translations: $(INSTALLED)
	$(PY) manage.py compile_translations

# Builds the lemma and compound dictionaries (search/lexicon.py) once: about 25 s, 30 MB.
lexicon: $(INSTALLED)
	$(PY) -m search.lexicon

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py kb_bootstrap
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Import, index, search, page and load figures on a synthetic corpus (docs/performance.md):
# 10 000 practices; `make bench PRACTICES=300` for a quick run; ARGS go to `python -m benchmarks`
# (`make bench ARGS="--json out.json --keep"`). `make bench-large` (or ARGS=--large): 100 000
# practices, one to two hours, not for CI.
bench: install
	$(PY) -m benchmarks $(if $(PRACTICES),--practices $(PRACTICES)) $(ARGS)

bench-large: install
	$(PY) -m benchmarks --large $(ARGS)

# Search quality: pass rate and mean reciprocal rank per category of tests/search/relevance/cases.py.
relevance: install
	$(PY) -m pytest tests/search/relevance -q $(PYTEST_ARGS)

# Hostile requests, a private page, the sign-in throttle, load with and without an import, and
# Redis/Elasticsearch faults against the production server (about 5 minutes per database;
# BENCH_DATABASE_URL=postgres://... adds a PostgreSQL run).
probe: install
	$(PY) -m benchmarks.probe

# Re-pins every dependency after a change to pyproject.toml.
lock: $(INSTALLED)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements.lock

# Extracts interface strings into the six catalogues (needs GNU gettext's xgettext).
messages: $(INSTALLED)
	$(PY) manage.py makemessages --locale lv --locale fi --locale et --locale da --locale sv --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --no-obsolete

clean:
	rm -rf $(VENV) db.sqlite3 media/ static/
