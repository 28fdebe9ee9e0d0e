# The two commands that matter: `make run` (the portal with demo data) and `make test`.
# Both set everything up on a fresh clone: virtual environment, Python and npm packages.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install services chromium lint check bench bench-profile bench-reminders clean

install: $(VENV)/.installed node_modules/.installed static/build/nhsuk.min.css

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	# --inexact keeps uv itself in the environment; --frozen installs exactly uv.lock.
	$(VENV)/bin/uv sync --frozen --inexact --extra dev --python $(PY)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Our build of the NHS.UK styles: same design system, no font from another host (see the .scss).
static/build/nhsuk.min.css: static/scss/nhsuk.scss node_modules/.installed
	npx sass --load-path=node_modules --style=compressed --no-source-map $< $@

# The local demo: SQLite and a filesystem broker unless DATABASE_URL / REDIS_URL are set.
# Ctrl-C stops the web server, the worker and beat together.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py sync_beat_schedule
	@echo "Starting the portal on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all)."
	@trap 'kill 0' INT TERM; \
	$(VENV)/bin/celery -A collab worker --beat --loglevel=INFO --concurrency=1 & \
	$(PY) manage.py runserver 127.0.0.1:8000 & \
	wait

# Starts the machine's PostgreSQL and Redis if they are installed but stopped; fails loudly
# if either still does not answer.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n 1) main start; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  echo "Starting Redis"; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  sleep 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }

# The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium is missing" >&2; exit 1; }

test: install services chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest

# The portal under a national load (issue 7): builds the national dataset (SCALE=1: 50,000
# people, 1,000,000 votes...; SCALE=0.05 runs in under two minutes), serves it with gunicorn under
# the production settings, drives it with locust as signed-in people of each role and prints the
# figures against the goals; JSON in bench/results/. KEEP=1 reuses today's data of that scale.
bench: install services
	$(PY) -m bench.national $(if $(SCALE),--scale $(SCALE)) $(if $(KEEP),--keep) \
	  $(if $(DURATION),--duration $(DURATION)) $(if $(WORKERS),--workers $(WORKERS))

# Why each page of `make bench` costs what it does: one request at a time, in-process, split into
# template, SQL and the rest, next to the ceiling. Reuses (or builds) the national data of SCALE.
bench-profile: install services
	$(PY) -m bench.page_cost $(if $(SCALE),--scale $(SCALE)) $(if $(N),--requests $(N))

# One commitment reminder sweep over 100,000 open commitments on the machine's PostgreSQL and
# Redis (its own database and Redis db); figures printed and written to bench/results/.
bench-reminders: install services
	$(PY) -m bench.reminder_sweep $(if $(N),--commitments $(N))

lint: install
	$(VENV)/bin/ruff check .

check: install
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles static/build .celery-broker db.sqlite3
