#!/usr/bin/env bash
# make app: a one-folder application that needs no Python (PyInstaller), built from the wheel as a user installs it.
#   dist/annotator/annotator   the command (annotator gui opens the window); dist/annotator/_internal its libraries
# The build environment (build/app-venv) holds the wheel and PyInstaller only, so the bundle takes what the
# installed app imports and nothing of the test tools. spaCy (a dependency since the suggestions) goes in with its
# English language data and the registered functions its pipelines name (entry points, hence its metadata);
# the other languages are left out. numpy stays (spaCy and matplotlib need it); tkinter, gi (GTK) and matplotlib's
# GUI backends go (matplotlib's charts, for the findings report, are drawn by its SVG backend only).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
rm -rf build/app-wheel build/app-venv build/pyinstaller dist/annotator
"$PYTHON" -m pip wheel --quiet --no-deps -w build/app-wheel .
"$PYTHON" -m venv build/app-venv
build/app-venv/bin/pip install --quiet build/app-wheel/annotator-*.whl "pyinstaller>=6.10,<7"
build/app-venv/bin/pyinstaller --noconfirm --clean --log-level ERROR --name annotator --onedir \
  --distpath dist --workpath build/pyinstaller --specpath build/pyinstaller \
  --collect-submodules annotator --collect-data annotator.resources --copy-metadata annotator \
  --collect-submodules spacy.lang.en --collect-submodules spacy.pipeline --collect-submodules spacy.ml \
  --collect-data spacy --copy-metadata spacy --copy-metadata thinc --copy-metadata spacy-legacy \
  --copy-metadata spacy-loggers --exclude-module tkinter --exclude-module gi \
  --exclude-module matplotlib.backends.backend_gtk3 --exclude-module matplotlib.backends.backend_gtk4 \
  --exclude-module matplotlib.backends.backend_wx --exclude-module matplotlib.backends.backend_tkagg \
  --exclude-module matplotlib.backends.backend_qt --exclude-module matplotlib.backends.backend_qtagg \
  packaging/annotator_app.py
echo "built dist/annotator: $(du -sh dist/annotator | cut -f1)"
