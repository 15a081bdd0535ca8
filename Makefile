# Two commands a newcomer needs: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test migrate demo lint clean

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

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot tests migrations

clean:
	rm -rf $(VENV) .pytest_cache
