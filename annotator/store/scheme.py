"""A scheme file applied to a database: the labels it names are added or brought to its colour, hotkey and
guideline, all in one transaction (so two labels can swap hotkeys). Labels it does not name are retired if no span
uses them (a retired label comes back with 'labels add'), and kept if one does: a label in use is never dropped."""
from __future__ import annotations

from ..core.errors import InvariantError
from ..core.model import Label
from .store import Change


def apply_scheme(store, labels: list[Label], source: str) -> dict[str, list[str]]:
    """Apply ``labels`` (checked by core.labels.labels_from_scheme); the names added, changed, retired and kept.

    Refused, with nothing changed, when a hotkey of the file is the hotkey of a label in use the file does not name.
    """
    have = {l.name: l for l in store.labels(include_retired=True)}
    named = {l.name for l in labels}
    others = [l for l in have.values() if not l.retired and l.name not in named]
    kept = [l for l in others if store.label_usage_parts(l.name) != (0, 0)]
    retired = [l for l in others if l not in kept]
    for label in labels:
        other = next((l for l in kept if l.hotkey == label.hotkey and label.hotkey), None)
        if other:
            raise InvariantError(f"{source}: {label.name}'s hotkey {label.hotkey!r} is {other.name}'s in the "
                                 f"database; give one of them another key")
    added, changed = [], []
    with store.transaction():
        store.conn.executemany("UPDATE labels SET retired = 1 WHERE name = ?", [(l.name,) for l in retired])
        # hotkeys are cleared first so that labels of the file may swap them
        store.conn.executemany("UPDATE labels SET hotkey = '' WHERE name = ?", [(l.name,) for l in labels])
        # the file's order first (the palette's and the Labels menu's), then the others in the order they had
        for position, label in enumerate(labels):
            old = have.get(label.name)
            if old is None:
                store.conn.execute(
                    "INSERT INTO labels (name, color, hotkey, guideline, retired, position) VALUES (?,?,?,?,0,?)",
                    (label.name, label.color, label.hotkey, label.guideline, position))
                added.append(label.name)
                continue
            store.conn.execute("UPDATE labels SET color = ?, hotkey = ?, guideline = ?, retired = 0, position = ? "
                               "WHERE name = ?", (label.color, label.hotkey, label.guideline, position, label.name))
            if (old.color, old.hotkey, old.guideline, old.retired) != (label.color, label.hotkey, label.guideline,
                                                                       False):
                changed.append(label.name)
        rest = sorted((l for l in have.values() if l.name not in named), key=lambda l: (l.position, l.name))
        store.conn.executemany("UPDATE labels SET position = ? WHERE name = ?",
                               [(len(labels) + n, l.name) for n, l in enumerate(rest)])
    store._notify(Change("labels"))
    return {"added": added, "changed": changed, "retired": [l.name for l in retired], "kept": [l.name for l in kept]}


def scheme_of(store) -> dict:
    """The database's scheme in the form of resources/scheme.json: live labels, relation types, attributes."""
    attributes: dict[str, list] = {}
    for d in store.attribute_defs():
        item = {"name": d.name, "type": d.type}
        if d.choices:
            item["choices"] = list(d.choices)
        attributes.setdefault(d.label, []).append(item)
    return {
        "labels": [{"name": l.name, "color": l.color, "hotkey": l.hotkey, "guideline": l.guideline}
                   for l in store.labels()],
        "relations": [{"name": t.name, "head": t.head_label, "child": t.child_label, "hotkey": t.hotkey,
                       "guideline": t.guideline} for t in store.relation_types()],
        "attributes": attributes,
    }


def apply_relation_scheme(store, types, defs, source: str) -> dict[str, list[str]]:
    """Apply a scheme file's relation types (``types``, None when the file has no 'relations') and attributes
    (``defs``, None when it has no 'attributes'): types it names are added or updated, the others retired (their
    relations are kept); the attribute definitions become the file's (values already given are kept).
    Refused, with nothing changed, when a type connects a label the database does not have."""
    from ..store.relations import ANY_LABEL

    labels = {l.name for l in store.labels(include_retired=True)}
    for t in types or ():
        for label in (t.head_label, t.child_label):
            if label != ANY_LABEL and label not in labels:
                raise InvariantError(f"{source}: relation {t.name} connects {label}, which is not a label")
    for d in defs or ():
        if d.label not in labels:
            raise InvariantError(f"{source}: attributes are given to {d.label}, which is not a label")
    done = {"relations added": [], "relations changed": [], "relations retired": []}
    if types is not None:
        have = {t.name: t for t in store.relation_types(include_retired=True)}
        named = {t.name for t in types}
        with store.transaction():
            store.conn.execute("UPDATE relation_types SET hotkey = ''")  # so that types may swap hotkeys
            for t in types:
                old = have.get(t.name)
                if old is None:
                    store._insert_relation_type(t)
                    done["relations added"].append(t.name)
                    continue
                store.conn.execute(
                    "UPDATE relation_types SET head_label = ?, child_label = ?, hotkey = ?, guideline = ?, "
                    "retired = 0, position = ? WHERE name = ?",
                    (t.head_label, t.child_label, t.hotkey, t.guideline, t.position, t.name))
                if (old.head_label, old.child_label, old.hotkey, old.guideline, old.retired) != (
                        t.head_label, t.child_label, t.hotkey, t.guideline, False):
                    done["relations changed"].append(t.name)
            for name, old in have.items():
                if name not in named:
                    store.conn.execute("UPDATE relation_types SET retired = 1, position = ? WHERE name = ?",
                                       (len(types) + old.position, name))
                    if not old.retired:
                        done["relations retired"].append(name)
        store._notify(Change("relation_types"))
    if defs is not None:
        store.set_attribute_defs(defs)
    return done
