"""The label set of a database: the labels, their colours, hotkeys, guidelines and order, and the rules that keep
a label in use from being dropped silently. A part of the Store (it uses the Store's connection, transactions and
change notices); its own module because labels are their own subject."""
from __future__ import annotations

from typing import Iterable

from ..core import labels as label_rules
from ..core.errors import InvariantError, NotFound
from ..core.model import Label
from .changes import Change, now


class LabelSet:
    def _create_default_labels(self) -> None:
        with self.transaction():
            for label in label_rules.default_labels():
                self._insert_label(label)

    def _insert_label(self, label: Label) -> None:
        self.conn.execute(
            "INSERT INTO labels (name, color, hotkey, guideline, retired, position) VALUES (?,?,?,?,?,?)",
            (label.name, label.color, label.hotkey, label.guideline, int(label.retired), label.position),
        )

    def labels(self, include_retired: bool = False) -> list[Label]:
        rows = self.conn.execute(
            "SELECT name, color, hotkey, guideline, retired, position FROM labels "
            + ("" if include_retired else "WHERE retired = 0 ")
            + "ORDER BY position, name"
        ).fetchall()
        return [Label(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def label(self, name: str) -> Label:
        for label in self.labels(include_retired=True):
            if label.name == name:
                return label
        raise NotFound(f"no label named {name!r}; known labels: {', '.join(l.name for l in self.labels())}")

    def add_label(self, name: str, color: str | None = None, hotkey: str | None = None, guideline: str = "") -> Label:
        name = label_rules.check_name(name)
        existing = {l.name: l for l in self.labels(include_retired=True)}
        if name in existing:
            if existing[name].retired:
                with self.transaction():
                    self.conn.execute("UPDATE labels SET retired = 0 WHERE name = ?", (name,))
                self._notify(Change("labels"))
                return self.label(name)
            raise InvariantError(f"a label named {name!r} already exists")
        live = [l for l in existing.values() if not l.retired]
        color = label_rules.check_color(color) if color else label_rules.next_color([l.color for l in live])
        used_keys = [l.hotkey for l in live if l.hotkey]
        if hotkey is None:
            hotkey = label_rules.next_hotkey(used_keys)
        elif hotkey and (hotkey := label_rules.check_hotkey(hotkey)) in used_keys:
            raise InvariantError(f"hotkey {hotkey!r} is already used by another label")
        position = max((l.position for l in existing.values()), default=-1) + 1
        label = Label(name, color, hotkey, guideline, False, position)
        with self.transaction():
            self._insert_label(label)
        self._notify(Change("labels"))
        return label

    def rename_label(self, old: str, new: str) -> Label:
        """Rename a label; every span keeps it (the foreign key cascades)."""
        self.label(old)
        new = label_rules.check_name(new)
        if new == old:
            return self.label(old)
        if any(l.name == new for l in self.labels(include_retired=True)):
            raise InvariantError(f"a label named {new!r} already exists")
        with self.transaction():
            self.conn.execute("UPDATE labels SET name = ? WHERE name = ?", (new, old))
            # the relation types and attributes of the scheme name the label too: they follow it
            for column in ("head_label", "child_label"):
                self.conn.execute(f"UPDATE relation_types SET {column} = ? WHERE {column} = ?", (new, old))
            self.conn.execute("UPDATE attribute_defs SET label = ? WHERE label = ?", (new, old))
        self._notify(Change("labels"))
        self._notify(Change("relation_types"))
        return self.label(new)

    def update_label(self, name: str, *, color: str | None = None, hotkey: str | None = None, guideline: str | None = None) -> Label:
        label = self.label(name)
        if color is not None:
            color = label_rules.check_color(color)
        if hotkey:
            hotkey = label_rules.check_hotkey(hotkey)
            clash = [l.name for l in self.labels() if l.hotkey == hotkey and l.name != name]
            if clash:
                raise InvariantError(f"hotkey {hotkey!r} is already used by {clash[0]}")
        with self.transaction():
            self.conn.execute(
                "UPDATE labels SET color = ?, hotkey = ?, guideline = ? WHERE name = ?",
                (color or label.color, label.hotkey if hotkey is None else hotkey,
                 label.guideline if guideline is None else guideline, name),
            )
        self._notify(Change("labels"))
        return self.label(name)

    def label_usage(self, name: str) -> int:
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM spans WHERE label = ? AND deleted IS NULL)"
            " + (SELECT count(*) FROM gold_spans WHERE label = ? AND deleted IS NULL)",
            (name, name),
        ).fetchone()[0]

    def label_usage_parts(self, name: str) -> tuple[int, int]:
        """Live spans using the label: the reviewers' and the gold layer's, apart (``stats`` counts the first)."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM spans WHERE label = ? AND deleted IS NULL),"
            " (SELECT count(*) FROM gold_spans WHERE label = ? AND deleted IS NULL)",
            (name, name),
        ).fetchone()

    def renumber_hotkeys(self) -> list[tuple[str, str, str]]:
        """Give the live labels with digit hotkeys the digits 1, 2, 3 ... in their palette order, closing the gaps a
        retired label leaves; labels with other keys keep them. Returns (name, old, new) for each change."""
        live = [l for l in self.labels() if l.hotkey.isdigit()]
        changes = []
        with self.transaction():
            for i, label in enumerate(live, 1):
                key = str(i) if i < 10 else ""
                if key != label.hotkey:
                    self.conn.execute("UPDATE labels SET hotkey = ? WHERE name = ?", (key, label.name))
                    changes.append((label.name, label.hotkey, key))
        if changes:
            self._notify(Change("labels"))
        return changes

    def retire_label(self, name: str, *, relabel_to: str | None = None, delete_spans: bool = False, annotator: str = "") -> int:
        """Retire a label. Spans that use it are never dropped silently: say where they go, or that they go.

        Returns how many spans were relabelled or deleted.
        """
        if relabel_to and delete_spans:
            raise InvariantError("choose one of relabelling the spans and deleting them")
        if self.label(name).retired:
            raise InvariantError(f"label {name!r} is retired already")
        used = self.label_usage(name)
        if used and not relabel_to and not delete_spans:
            raise InvariantError(
                f"label {name!r} is used by {used} span(s): say what happens to them "
                f"(relabel them to another label, or delete them)"
            )
        if relabel_to:
            target = self.label(relabel_to)
            if target.retired or target.name == name:
                raise InvariantError(f"cannot relabel to {relabel_to!r}: choose another label in use")
        stamp = now()
        with self.transaction():
            if used and relabel_to:
                for table in ("spans", "gold_spans"):
                    self.conn.execute(
                        f"UPDATE {table} SET label = ?, updated = ? WHERE label = ? AND deleted IS NULL",
                        (relabel_to, stamp, name),
                    )
            elif used:
                for table in ("spans", "gold_spans"):
                    self.conn.execute(
                        f"UPDATE {table} SET deleted = ?, updated = ? WHERE label = ? AND deleted IS NULL",
                        (stamp, stamp, name),
                    )
            self.conn.execute("UPDATE labels SET retired = 1, hotkey = '' WHERE name = ?", (name,))
        self._notify(Change("labels"))
        return used

    def ensure_labels(self, names: Iterable[str]) -> list[str]:
        """Add the labels not yet known (inside the caller's transaction); return the names added."""
        known = {l.name: l for l in self.labels(include_retired=True)}
        added = []
        for name in sorted(set(names) - set(known)):
            name = label_rules.check_name(name)
            live = [l for l in known.values() if not l.retired]
            label = Label(
                name,
                label_rules.next_color([l.color for l in live]),
                label_rules.next_hotkey([l.hotkey for l in live if l.hotkey]),
                "",
                False,
                max((l.position for l in known.values()), default=-1) + 1,
            )
            self._insert_label(label)
            known[name] = label
            added.append(name)
        used_keys = [l.hotkey for l in known.values() if l.hotkey and not l.retired]
        for name in sorted(set(names)):
            if known[name].retired:
                # back in use: with a key, as a label first seen in use gets one (a merge of a deletion and then
                # of the live span must end as the other order does)
                hotkey = known[name].hotkey
                if not hotkey or hotkey in used_keys:
                    hotkey = label_rules.next_hotkey(used_keys)
                used_keys.append(hotkey)
                self.conn.execute("UPDATE labels SET retired = 0, hotkey = ? WHERE name = ?", (hotkey, name))
        return added

