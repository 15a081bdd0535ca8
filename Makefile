# Two commands a newcomer needs: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast migrate demo lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.env:
	cp .env.example .env
	@echo "Создан .env из .env.example: впишите BOT_TOKEN и ADMIN_IDS."

run: $(STAMP) .env
	$(BIN)/python -m bot run

migrate: $(STAMP) .env
	$(BIN)/python -m bot migrate

demo: $(STAMP)
	$(BIN)/python -m bot demo

# All three tiers: tests/unit (domain, no I/O), tests/chat (conversations and queries over a
# database, no messenger), tests/e2e (real dispatchers, fake Telegram/VK servers, subprocesses).
# Most e2e time is waiting (long polls, subprocess start-ups), so TEST_WORKERS pytest-xdist
# processes overlap it even on two cores. TEST_POSTGRES_URL=postgresql+asyncpg://... runs the
# suite on PostgreSQL instead of SQLite files (a fresh database per test).
TEST_WORKERS ?= 4
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# The first two tiers only, for a quick check while editing (under 30 s).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit tests/chat

lint: $(STAMP)
	$(BIN)/ruff check bot tests migrations

clean:
	rm -rf $(VENV) .pytest_cache
