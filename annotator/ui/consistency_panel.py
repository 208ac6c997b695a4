"""The Consistency window: text the corpus labels differently in different places, each occurrence shown in its
context, one keypress away from the document where it can be fixed."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from .jobs import Job
from .plain import rich, text


class ConsistencyDialog(QDialog):
    sig_open_range = Signal(str, int, int)
    """Open this document and select this range (an occurrence to look at or fix)."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setObjectName("consistencyDialog")
        self.setWindowTitle("Consistency")
        self.store = store
        self.job: Job | None = None
        self.find_button = QPushButton("Find inconsistencies", objectName="findInconsistencies")
        self.find_button.clicked.connect(self.find)
        self.summary = QLabel(objectName="consistencySummary")
        self.summary.setTextFormat(Qt.PlainText)
        self.tree = QTreeWidget(objectName="inconsistencies")
        self.tree.setHeaderLabels(["Text, and each occurrence in its context", "Labels", "Untagged", "Where"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2, 3):  # never cut: "ORGANISATION ×12, FIGURE ×1"
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.tree.setItemDelegateForColumn(0, ContextDelegate(self.tree))
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find_button)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Enter or double-click an occurrence to open it with its text selected: "
                                "press a label key there to tag or relabel it."))
        layout.addWidget(self.tree)
        self.resize(900, 600)

    def find(self) -> None:
        from ..curation import consistency

        if self.job is not None:
            return
        self.summary.setText("Looking…")
        self.find_button.setEnabled(False)
        self.job = Job(self.store.path, lambda store, progress, cancelled: consistency.find(store), self)
        self.job.sig_succeeded.connect(self.show_found)
        self.job.sig_failed.connect(self.summary.setText)
        self.job.finished.connect(self._finished)
        self.job.start()

    def _finished(self) -> None:
        self.job = None
        self.find_button.setEnabled(True)

    def show_found(self, found) -> None:
        titles, texts = {}, {}
        self.tree.clear()
        self.summary.setText(f"{len(found)} surface string(s) labelled inconsistently" if found else
                             "No inconsistencies: every repeated string is labelled the same way everywhere.")
        for inc in found:
            labels = ", ".join(f"{k} ×{v}" for k, v in sorted(inc.labels.items()))
            top = QTreeWidgetItem([text(inc.surface), text(labels), str(len(inc.untagged)), ""])
            for o in inc.tagged + inc.untagged:
                if o.doc_id not in titles:
                    document = self.store.document(o.doc_id)
                    titles[o.doc_id], texts[o.doc_id] = document.title, document.text
                what = o.label or "untagged"
                before, hit, after = in_context(texts[o.doc_id], o.start, o.end)
                title = titles[o.doc_id]
                child = QTreeWidgetItem([text(before + hit + after), text(what + (f" ({o.annotator})" if o.annotator else "")), "",
                                         f"{text(title if len(title) <= 24 else title[:23] + '…')} @ {o.start}–{o.end}"])
                child.setData(0, Qt.UserRole, (o.doc_id, o.start, o.end))
                child.setData(0, CONTEXT_ROLE, (before, hit, after))
                child.setToolTip(3, rich(f"{title}\ncharacters {o.start}–{o.end}"))
                if o.label is None:
                    child.setForeground(1, QColor("#D55E00"))
                top.addChild(child)
            self.tree.addTopLevelItem(top)

    def _activated(self, item, _col=0) -> None:
        where = item.data(0, Qt.UserRole)
        if where:
            self.sig_open_range.emit(*where)


CONTEXT_ROLE = Qt.UserRole + 1
CONTEXT_WORDS = 6


def in_context(doc_text: str, start: int, end: int) -> tuple[str, str, str]:
    """An occurrence with a few words either side, on one line: (before, the occurrence, after)."""
    before = doc_text[max(0, start - 80):start].split()
    after = doc_text[end:end + 80].split()
    lead = ("…" if len(before) > CONTEXT_WORDS or start > 80 else "") + " ".join(before[-CONTEXT_WORDS:])
    tail = " ".join(after[:CONTEXT_WORDS]) + ("…" if len(after) > CONTEXT_WORDS or end + 80 < len(doc_text) else "")
    gap_before = " " if start and doc_text[start - 1].isspace() else ""
    gap_after = " " if end < len(doc_text) and doc_text[end].isspace() else ""
    return lead + gap_before, " ".join(doc_text[start:end].split()), gap_after + tail


class ContextDelegate(QStyledItemDelegate):
    """Paints an occurrence's context with the occurrence itself highlighted (plain text, never markup)."""

    def paint(self, painter, option, index):
        parts = index.data(CONTEXT_ROLE)
        if not parts:
            return super().paint(painter, option, index)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        before, hit, after = (text(p) for p in parts)
        metrics = option.fontMetrics
        rect = option.rect.adjusted(4, 0, -4, 0)
        x = rect.left()
        painter.save()
        highlight = option.palette.color(QPalette.Highlight)
        # the occurrence stays in view: what comes before it is cut from the left, what follows from the right
        before = metrics.elidedText(before, Qt.ElideLeft, int(rect.width() * 0.45))
        for part, marked in ((before, False), (hit, True), (after, False)):
            if x >= rect.right():
                break
            shown = metrics.elidedText(part, Qt.ElideRight, rect.right() - x)
            width = metrics.horizontalAdvance(shown)
            if marked:
                painter.fillRect(x, rect.top() + 2, width, rect.height() - 4, highlight)
                painter.setPen(option.palette.color(QPalette.HighlightedText))
            else:
                painter.setPen(option.palette.color(QPalette.Text))
            painter.drawText(x, rect.top(), width + 2, rect.height(), Qt.AlignVCenter | Qt.AlignLeft, shown)
            x += width
        painter.restore()
