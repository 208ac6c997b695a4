"""Strings from a corpus, a bundle or a reviewer, shown only as text, wherever the window shows them.

Qt guesses: a tooltip, a QLabel in auto mode, a message box or an input dialog's prompt that looks like markup
(``Qt.mightBeRichText``) is rendered as HTML, so a title ``<img src="/local/file">`` loads a local image and a
guideline ``Tag <ORG> names`` loses ``<ORG>``. A right-to-left override (U+202E) reorders everything after it
("TXT.EXE" reads "EXE.TXT") unless it is isolated; an ``&`` in a menu or button text is taken as a mnemonic.

Every widget that shows such a string uses one of these:
- ``text(s)``: for plain-text places (a QLabel set to Qt.PlainText, a table cell, a window title): isolated;
- ``label(widget, s)``: a QLabel showing ``s`` as plain text;
- ``rich(s)``: for places that only take rich text (tooltips, input-dialog prompts): escaped HTML, isolated;
- ``mnemonic_free(s)``: for menu and button texts.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

# Explicit bidirectional formatting characters: embeddings, overrides, isolates and their ends, and the marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
FSI, PDI = "\u2068", "\u2069"  # first strong isolate ... pop directional isolate


def isolate(s: str) -> str:
    """``s`` in a directional isolate, so an override or embedding inside it ends with it. Strings without bidi
    controls are returned as they are (the isolate marks are invisible, but copied text keeps them)."""
    s = s.replace("\x00", "\ufffd")  # a NUL ends a C string: Qt would drop what follows it
    if any(c in BIDI_CONTROLS for c in s):
        return f"{FSI}{s}{PDI}"
    return s


def text(s) -> str:
    return isolate(str(s))


def rich(s, *, bold_prefix: str = "") -> str:
    """``s`` as rich text that shows exactly ``s`` (line breaks kept), for widgets that guess or take HTML."""
    body = html.escape(isolate(str(s)), quote=False).replace("\n", "<br>")
    return f"<qt>{bold_prefix}{body}</qt>"


def rich_fragment(s) -> str:
    """``s`` escaped, to go inside rich text built by the caller (``<b>{rich_fragment(name)}</b>``)."""
    return html.escape(isolate(str(s)), quote=False).replace("\n", "<br>")


def label(widget: QLabel, s) -> None:
    widget.setTextFormat(Qt.PlainText)
    widget.setText(text(s))


def mnemonic_free(s) -> str:
    """A menu or button text: ``&`` shows as ``&`` and makes no Alt shortcut."""
    return text(s).replace("&", "&&")
