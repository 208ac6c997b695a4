"""Changes to the scheme (labels and relation types) as undoable commands, for the window's scheme editor.

Each command calls the Store's own method, the one the command line calls (``annotator labels …``,
``annotator relations …``), so the window refuses what the command line refuses, in the same words. Its undo is
the opposite change through the same methods: a rename is renamed back, a colour, hotkey or the ends of a relation
type are set back, an addition is retired, a retirement brought back with its key. Retiring a label that spans use
(their spans relabelled or deleted) is not a command: nothing can tell those spans from the others afterwards, so
the editor asks first and says that it cannot be undone (as the command line cannot).
"""
from __future__ import annotations

from contextlib import nullcontext


def _atomic(store):
    """One transaction for a command's several writes (the Store's, where it has one)."""
    transaction = getattr(store, "transaction", None)
    return transaction() if transaction is not None else nullcontext()


class AddLabel:
    def __init__(self, name: str, color: str | None = None, hotkey: str | None = None, guideline: str = ""):
        self.name, self.color, self.hotkey, self.guideline = name, color, hotkey, guideline
        self.text = f"add label {name}"
        self.added = None

    def do(self, store) -> None:
        if self.added is None:
            self.added = store.add_label(self.name, color=self.color, hotkey=self.hotkey, guideline=self.guideline)
            return
        with _atomic(store):  # redo: the label comes back as it was added, with its key
            store.add_label(self.name)
            store.update_label(self.name, color=self.added.color, hotkey=self.added.hotkey,
                               guideline=self.added.guideline)

    def undo(self, store) -> None:
        store.retire_label(self.added.name)  # refused if a span uses it now (a span made since is undone first)


class RenameLabel:
    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        self.text = f"rename label {old} to {new}"

    def do(self, store) -> None:
        store.rename_label(self.old, self.new)

    def undo(self, store) -> None:
        store.rename_label(self.new, self.old)


class EditLabel:
    """Recolour a label, set its hotkey or its guideline (None: leave as it is)."""

    def __init__(self, label, *, color: str | None = None, hotkey: str | None = None, guideline: str | None = None):
        self.before = label
        self.changes = {"color": color, "hotkey": hotkey, "guideline": guideline}
        what = [w for w, v in (("colour", color), ("hotkey", hotkey), ("guideline", guideline)) if v is not None]
        self.text = f"{' and '.join(what) or 'edit'} of {label.name}"

    def do(self, store) -> None:
        store.update_label(self.before.name, **self.changes)

    def undo(self, store) -> None:
        b = self.before
        store.update_label(b.name, color=b.color, hotkey=b.hotkey, guideline=b.guideline)


class RetireLabel:
    """Retire a label no span uses; undo brings it back with its colour and key."""

    def __init__(self, label):
        self.before = label
        self.text = f"retire label {label.name}"

    def do(self, store) -> None:
        store.retire_label(self.before.name)

    def undo(self, store) -> None:
        b = self.before
        with _atomic(store):
            store.add_label(b.name)
            store.update_label(b.name, color=b.color, hotkey=b.hotkey, guideline=b.guideline)


class AddRelationType:
    def __init__(self, name: str, head: str, child: str, hotkey: str = "", guideline: str = ""):
        self.type_args = (name, head, child)  # not "args": the window reads a command's args[0] as its document
        self.hotkey, self.guideline = hotkey, guideline
        self.text = f"add relation type {name}"

    def do(self, store) -> None:
        store.add_relation_type(*self.type_args, hotkey=self.hotkey, guideline=self.guideline)

    def undo(self, store) -> None:
        store.retire_relation_type(self.type_args[0])


class RenameRelationType:
    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        self.text = f"rename relation type {old} to {new}"

    def do(self, store) -> None:
        store.rename_relation_type(self.old, self.new)

    def undo(self, store) -> None:
        store.rename_relation_type(self.new, self.old)


class EditRelationType:
    """Set a relation type's head or child label, its key or its guideline (None: leave as it is)."""

    def __init__(self, relation_type, **changes):
        self.before = relation_type
        self.changes = {k: v for k, v in changes.items() if v is not None}
        names = {"head": "head", "child": "child", "hotkey": "key", "guideline": "guideline"}
        self.text = f"{' and '.join(names[k] for k in self.changes) or 'edit'} of {relation_type.name}"

    def do(self, store) -> None:
        store.update_relation_type(self.before.name, **self.changes)

    def undo(self, store) -> None:
        b = self.before
        store.update_relation_type(b.name, head=b.head_label, child=b.child_label, hotkey=b.hotkey,
                                   guideline=b.guideline)


class RetireRelationType:
    """No new relation of the type (those made are kept); undo brings it back with its key."""

    def __init__(self, relation_type):
        self.before = relation_type
        self.text = f"retire relation type {relation_type.name}"

    def do(self, store) -> None:
        store.retire_relation_type(self.before.name)

    def undo(self, store) -> None:
        b = self.before
        store.add_relation_type(b.name, b.head_label, b.child_label, hotkey=b.hotkey, guideline=b.guideline)
