"""The suggestion settings in the window (Review > Suggestion settings…, or the Suggestions menu): which sources
are on (the corpus, the patterns, the model, an installed spaCy pipeline or a pipeline folder), the installed
pipeline's label mapping, the accept-all threshold (Ctrl+Shift+A), the lowest score shown, and after how many
newly done documents the model is retrained.

They are the database's settings, the ones ``annotator suggest-settings`` shows and sets, checked by the same
code (annotator.suggest.setting_checks) and stored all together or not at all: a value refused leaves every
setting as it was and says why in one line in the dialog."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..core.errors import AnnotatorError
from ..suggest import latest_model, settings
from ..suggest.setting_checks import store_all
from .file_dialogs import open_folder
from .plain import text

NOT_SUGGESTED = "(not suggested)"
NO_PIPELINE = "(none)"
# spaCy's English pipelines' entity labels (OntoNotes): rows of the mapping even before a pipeline is chosen
SPACY_LABELS = ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL",
                "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART")
OWN_SOURCES = (("corpus", "The corpus: texts reviewers tagged, found again"),
               ("patterns", "Patterns: figures and the registry's organisations"),
               ("model", "The model trained on the documents marked done"))


def installed_pipelines() -> list[str]:
    """The spaCy pipelines installed as packages (en_core_web_sm …), by name."""
    try:
        import spacy.util

        return sorted(spacy.util.get_installed_models())
    except Exception:  # a broken installation lists nothing rather than stopping the dialog
        return []


def pipeline_labels(name: str) -> list[str]:
    """The labels a pipeline's meta.json names for its ner and spancat (read, not loaded: loading takes seconds)."""
    import json

    try:
        import spacy.util

        folder = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
        found = [sub for sub in [folder, *folder.iterdir()] if (sub / "meta.json").is_file()]
        meta = json.loads((found[0] / "meta.json").read_text(encoding="utf-8")) if found else {}
    except Exception:
        return []
    labels = meta.get("labels", {}) if isinstance(meta, dict) else {}
    return sorted({str(x) for part in ("ner", "spancat") for x in labels.get(part, []) or []})


class SuggestionSettings(QDialog):
    sig_message = Signal(str, int)
    """A line for the status bar once the settings are saved."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setObjectName("suggestionSettings")
        self.setWindowTitle("Suggestion settings")
        self.store = store
        chosen = settings(store)
        self.ours = [label.name for label in store.labels()]
        layout = QVBoxLayout(self)

        layout.addWidget(QLabel("<b>Sources</b>"))
        self.source_boxes: dict[str, QCheckBox] = {}
        model = latest_model(store)
        for name, words in OWN_SOURCES:
            if name == "model":
                f1 = model.scores.get("ALL", {}).get("f") if model is not None else None
                words += (" (none trained yet: Suggestions > Train model now)" if model is None else
                          f" (model {model.id}" + (f", held-out F1 {f1:.2f})" if f1 is not None else ", not scored)"))
            box = QCheckBox(words, objectName=f"source_{name}")
            box.setChecked(name in chosen["sources"])
            self.source_boxes[name] = box
            layout.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Installed spaCy pipeline:"))
        self.pipeline = QComboBox(objectName="spacyPipeline", editable=True)
        self.pipeline.addItem(NO_PIPELINE)
        self.pipeline.addItems(installed_pipelines())
        self.pipeline.setCurrentText(chosen["spacy_pipeline"] or NO_PIPELINE)
        self.pipeline.setToolTip("An installed pipeline's name (pip install it first) or a saved pipeline's folder; "
                                 f"{NO_PIPELINE} switches this source off")
        row.addWidget(self.pipeline, 1)
        folder = QPushButton("Folder…", objectName="pipelineFolder")
        folder.clicked.connect(self._choose_folder)
        row.addWidget(folder)
        layout.addLayout(row)

        layout.addWidget(QLabel("<b>The pipeline's labels as ours</b>"))
        self.mapping = QTableWidget(0, 2, objectName="labelMapping")
        self.mapping.setHorizontalHeaderLabels(["spaCy label", "suggested as"])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self._fill_mapping(chosen["spacy_labels"])
        self.pipeline.currentTextChanged.connect(lambda _: self._fill_mapping(self.mapping_value()))
        layout.addWidget(self.mapping, 1)

        form = QFormLayout()
        self.threshold = self._score_box("acceptThreshold", chosen["min_score"])
        form.addRow("Accept all (Ctrl+Shift+A) at or above:", self.threshold)
        self.shown_from = self._score_box("shownFrom", chosen.get("shown_min_score", 0.0))
        form.addRow("Show no suggestion scored below:", self.shown_from)
        self.retrain_after = QSpinBox(objectName="retrainAfter", minimum=0, maximum=1_000_000)
        self.retrain_after.setValue(int(chosen["retrain_after"]))
        self.retrain_after.setSpecialValueText("never by itself")
        form.addRow("Retrain the model after newly done documents:", self.retrain_after)
        layout.addLayout(form)

        self.error = QLabel(objectName="settingsError", wordWrap=True)
        self.error.setTextFormat(Qt.PlainText)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 620)

    @staticmethod
    def _score_box(name: str, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(objectName=name, minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2)
        box.setValue(float(value))
        return box

    def _choose_folder(self) -> None:
        folder = open_folder(self, "A saved spaCy pipeline's folder")
        if folder:
            self.pipeline.setCurrentText(folder)

    # -- the label mapping ------------------------------------------------------------------------------------

    def _fill_mapping(self, mapping: dict[str, str]) -> None:
        name = self.pipeline_value()
        theirs = pipeline_labels(name) if name else []
        rows = sorted(set(mapping) | set(SPACY_LABELS) | set(theirs), key=lambda k: (k not in mapping, k))
        self.mapping.setRowCount(len(rows))
        for r, label in enumerate(rows):
            item = QTableWidgetItem(text(label))
            item.setData(Qt.UserRole, label)
            item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            self.mapping.setItem(r, 0, item)
            combo = QComboBox(objectName=f"map_{label}")
            combo.addItem(NOT_SUGGESTED, "")
            for ours in self.ours:
                combo.addItem(text(ours), ours)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(label, ""))))
            self.mapping.setCellWidget(r, 1, combo)

    def mapping_combo(self, label: str) -> QComboBox | None:
        for r in range(self.mapping.rowCount()):
            if self.mapping.item(r, 0).data(Qt.UserRole) == label:
                return self.mapping.cellWidget(r, 1)
        return None

    def mapping_value(self) -> dict[str, str]:
        out = {}
        for r in range(self.mapping.rowCount()):
            ours = self.mapping.cellWidget(r, 1).currentData()
            if ours:
                out[self.mapping.item(r, 0).data(Qt.UserRole)] = ours
        return out

    def pipeline_value(self) -> str:
        name = self.pipeline.currentText().strip()
        return "" if name == NO_PIPELINE else name

    # -- saving -----------------------------------------------------------------------------------------------

    def values(self) -> dict:
        own = [name for name, box in self.source_boxes.items() if box.isChecked()]
        pipeline = self.pipeline_value()
        return {
            # the pipeline alone is a source too (the window adds it to the sources; the command line's default
            # --source is the sources setting, so it is named there when nothing else is on)
            "sources": own or ([f"spacy:{pipeline}"] if pipeline else []),
            "spacy_pipeline": pipeline,
            "spacy_labels": self.mapping_value(),
            "min_score": round(self.threshold.value(), 2),
            "shown_min_score": round(self.shown_from.value(), 2),
            "retrain_after": self.retrain_after.value(),
        }

    def save(self) -> bool:
        try:
            stored = store_all(self.store, self.values())
        except AnnotatorError as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.show()
            return False
        on = list(dict.fromkeys([*stored["sources"], *([f"spacy:{stored['spacy_pipeline']}"]
                                                      if stored["spacy_pipeline"] else [])]))
        self.sig_message.emit(f"Suggestion settings saved: sources {', '.join(on) or 'none'}; accept all at "
                              f"≥ {stored['min_score']:.2f}; retrain after {stored['retrain_after']} done", 8000)
        self.accept()
        return True
