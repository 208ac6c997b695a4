"""The window's menus and their keys: File, Edit, Labels (one action a label, rebuilt when the labels change),
Review, View and Help. Each action's key is in the F1 table (resources/keys.json) and in the label rules' list of
window keys, so a label hotkey cannot take it."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ..core import labels as label_rules
from ..core.errors import AnnotatorError
from .about import show_about
from .plain import mnemonic_free


def add_action(window, menu, text: str, keys, slot, checkable: bool = False) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in (keys if isinstance(keys, list) else [keys])])
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action

def build_menus(window) -> None:
    bar = window.menuBar()
    file = bar.addMenu("&File")
    add_action(window, file, "Import…", ["Ctrl+I"], window.import_dialog)
    add_action(window, file, "Export…", ["Ctrl+E"], window.export_dialog)
    add_action(window, file, "Merge reviewers' work…", ["Ctrl+Shift+M"], window.merge_dialog)
    add_action(window, file, "Sync with the team…", ["Ctrl+Shift+S"], window.sync_dialog)
    file.addSeparator()
    add_action(window, file, "Change reviewer name…", None, window.change_name)
    file.addSeparator()
    add_action(window, file, "&Quit", QKeySequence.Quit, window.close)

    edit = bar.addMenu("&Edit")
    window.undo_action = add_action(window, edit, "Undo", ["Ctrl+Z"], window.undo)
    window.redo_action = add_action(window, edit, "Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], window.redo)
    add_action(window, edit, "Retry actions not saved", ["F5"], window.pending.retry)
    edit.addSeparator()
    add_action(window, edit, "Delete span", ["Delete", "Backspace"], window.editor.delete_span)
    add_action(window, edit, "Note on span…", ["N"], window.editor.note_span)
    add_action(window, edit, "Next span", ["]"], lambda: window.step_span(1))
    add_action(window, edit, "Previous span", ["["], lambda: window.step_span(-1))
    add_action(window, edit, "Clear span selection", ["Esc"], lambda: window.select_span(None))
    add_action(window, edit, "Grow start by a word", ["Alt+Left"], lambda: window.editor.nudge("start", -1))
    add_action(window, edit, "Shrink start by a word", ["Alt+Right"], lambda: window.editor.nudge("start", 1))
    add_action(window, edit, "Grow end by a word", ["Alt+Shift+Right"], lambda: window.editor.nudge("end", 1))
    add_action(window, edit, "Shrink end by a word", ["Alt+Shift+Left"], lambda: window.editor.nudge("end", -1))
    edit.addSeparator()
    window.snap_action = add_action(window, edit, "Snap selections to whole words", ["Ctrl+Shift+W"], window._snap_toggled, True)
    window.snap_action.setChecked(True)
    window.labels_menu = bar.addMenu("&Labels")
    # made once (the Labels menu is rebuilt when the labels change), shown at the menu's end
    window.scheme_action = QAction("Edit scheme…", window)
    window.scheme_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
    window.scheme_action.triggered.connect(lambda: window.dialogs.scheme_editor(window.stack, window.undo, window.redo))
    window.addAction(window.scheme_action)  # its key works whatever the menu holds at the moment
    rebuild_label_actions(window)

    review = bar.addMenu("&Review")
    window.review_menu = review  # the suggestion desk adds its settings here
    add_action(window, review, "Mark done, open next to-do", ["Ctrl+Return", "Ctrl+Enter"], lambda: window.mark("done", advance=True))
    add_action(window, review, "Mark skipped, open next to-do", ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"], lambda: window.mark("skipped", advance=True))
    add_action(window, review, "Mark to do", ["Ctrl+Backspace"], lambda: window.mark("todo"))
    add_action(window, review, "Document note…", ["Ctrl+Shift+N"], window.review_status.document_note)
    review.addSeparator()
    window.curation_action = add_action(window, review, "Curation mode", ["Ctrl+Shift+C"], window.toggle_curation, True)
    add_action(window, review, "Agreement…", None, window.agreement_dialog)
    add_action(window, review, "Consistency…", None, window.consistency_dialog)
    add_action(window, review, "Findings…", None, lambda: window.dialogs.findings_dialog())
    review.addSeparator()
    add_action(window, review, "Next document", ["Ctrl+PgDown"], lambda: window.step_document(1))
    add_action(window, review, "Previous document", ["Ctrl+PgUp"], lambda: window.step_document(-1))
    add_action(window, review, "Search…", ["Ctrl+F"], window.document_pane.focus_search)

    view = bar.addMenu("&View")
    add_action(window, view, "Zoom in", ["Ctrl+=", "Ctrl++"], lambda: window.view.zoom(1))
    add_action(window, view, "Zoom out", ["Ctrl+-"], lambda: window.view.zoom(-1))
    add_action(window, view, "Usual size", ["Ctrl+0"], lambda: window.view.zoom(0))

    help_ = bar.addMenu("&Help")
    add_action(window, help_, "Keys…", ["F1"], window.show_keys)
    add_action(window, help_, "&About annotator…", None, lambda: show_about(window.store, window))


def rebuild_label_actions(window) -> None:
    for action in window.label_actions:
        window.removeAction(action)
    window.labels_menu.clear()
    window.label_actions = []
    refused = []
    for l in window.labels:
        key = l.hotkey
        if key:
            try:
                key = label_rules.check_hotkey(key)
            except AnnotatorError:
                # a label made before the rule, or by another tool: binding it would make the window's own
                # key ambiguous (Undo would stop working), so it gets none
                refused.append(f"{l.name} ({key})")
                key = ""
        window.label_actions.append(add_action(window, window.labels_menu, f"Apply {mnemonic_free(l.name)}", [key] if key else None,
                                               lambda _=False, n=l.name: window.apply_label(n)))
    window.labels_menu.addSeparator()
    add_action(window, window.labels_menu, "Add label…", None, window.dialogs.add_label)
    window.labels_menu.addAction(window.scheme_action)
    if refused:
        window.statusBar().showMessage(
            f"Hotkey not bound, it is a window key: {', '.join(refused)}. Give it another with "
            "`annotator labels edit NAME --hotkey KEY`", 10000)
