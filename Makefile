# Two commands for a newcomer: `make run` opens the application on documents/, `make test` runs the tests.
# Each builds its own virtual environment (.venv) on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= annotator.db

.PHONY: run test lint bench screenshot app app-smoke clean

$(BIN)/annotator: pyproject.toml setup.py annotator/core/_tokens.c annotator/core/_relations.c annotator/_json_escape.h annotator/store/_export_links.c annotator/store/_export_links.h annotator/store/_sqlite_api.c annotator/store/_export_documents.c annotator/formats/_spacy_tokens.c annotator/formats/_write_files.c \
		annotator/formats/_json_objects.c annotator/formats/_span_records.c annotator/formats/_labelstudio_regions.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/annotator

run: $(BIN)/annotator
	$(BIN)/annotator --db $(DB) import documents/
	$(BIN)/annotator --db $(DB) stats
	$(BIN)/annotator --db $(DB) gui

test: $(BIN)/annotator
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto

bench: $(BIN)/annotator
	for b in benchmarks/bench_*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$b; done

screenshot: $(BIN)/annotator
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py docs/review-desk.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py docs/review-desk-dark.png --dark
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_curation.py docs/curation-mode.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_about.py docs/about.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_relations.py docs/relations.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_scheme.py docs/scheme-editor.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_suggestions.py docs/suggestions.png docs/suggestion-settings.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_model_scores.py docs/model-scores.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_sync.py docs/sync.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_findings.py docs/findings-panel.png docs/findings-report.png

# A one-folder application that needs no Python (PyInstaller), then its smoke test.
app: $(BIN)/annotator
	PYTHON=$(BIN)/python scripts/build_app.sh
	scripts/app_smoke.sh dist/annotator

app-smoke:
	scripts/app_smoke.sh dist/annotator

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm build dist
