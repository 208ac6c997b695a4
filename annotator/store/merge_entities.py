"""Merging a teammate's entity registry (from their database) into ours, before their spans' links arrive.

An entity is keyed by its id. Its name, kind, country and whether it was merged into another are a version with
an update time: the newer wins, a tie goes to the greater canonical JSON (as spans). So is each alias (m008): given
or removed (a tombstone) at a time, the newer wins, so a removal travels as a giving does, whatever the order of
the merges. When the
winning version says the entity was merged into another (``merged_into``), the merge is replayed here: its aliases
move to the one it was merged into, and every link to it (reviewers' and gold) follows, with the time of that merge.

A bundle carries no registry: the links in it that name an entity this database lacks create it from the span's
text (store/merge_links.py), as an import does.
"""
from __future__ import annotations

import json

from ..core.errors import InputError, InvariantError
from ..core.model import Entity
from ..core.validate import latest_time, time_problem
from .entities import _check_text, check_entity_id
from .merge_links import _dumps


def _version(e: Entity) -> list:
    return [e.name, e.kind, e.country, e.created, e.updated, e.deleted, e.merged_into]


def _problem(e: Entity, latest: str) -> str | None:
    try:
        check_entity_id(e.id)
        _check_text("name", e.name)
        for alias in e.aliases:
            _check_text("alias", alias)
        if e.merged_into is not None:
            check_entity_id(e.merged_into)
    except InvariantError as exc:
        return str(exc)
    return (time_problem("created", e.created, latest) or time_problem("updated", e.updated, latest)
            or time_problem("deleted", e.deleted, latest, optional=True))


def merge_registry(store, entities: list[Entity], path: str, report, alias_rows=None) -> InputError | None:
    """Within the merge's transaction: the teammate's entities into ours. An InputError naming the first bad one
    (nothing of the registry written then: the merge rolls back). ``alias_rows``: their aliases as versions
    (entity_id, alias, updated, deleted); without them, the entities' live aliases, as the oldest versions."""
    latest = latest_time()
    for e in entities:
        problem = _problem(e, latest)
        if problem:
            return InputError(f"table entities, id {e.id!r:.70}: {problem}", path)
    if alias_rows is None:
        alias_rows = [(e.id, a, "", None) for e in entities for a in e.aliases]
    for row in alias_rows:
        problem = (_check_alias(row[1]) or time_problem("updated", row[2], latest)
                   or time_problem("deleted", row[3], latest, optional=True)) if row[2] else _check_alias(row[1])
        if problem:
            return InputError(f"table entity_aliases, entity {row[0]!r:.70}: {problem}", path)
    conn = store.conn
    ours = {r[0]: Entity(r[0], r[1], r[2], (), r[3], r[4], r[5], r[6], r[7]) for r in conn.execute(
        "SELECT id, name, kind, country, created, updated, deleted, merged_into FROM entities")}
    replays = []
    counted: set[str] = set()  # entities added or updated: one whose aliases changed too is counted once
    for e in entities:
        have = ours.get(e.id)
        if have is None:
            conn.execute("INSERT INTO entities (id, name, kind, country, created, updated, deleted, merged_into) "
                         "VALUES (?,?,?,?,?,?,?,?)", (e.id, e.name, e.kind, e.country, e.created, e.updated, e.deleted,
                                                      e.merged_into))
            report.entities_added += 1
            counted.add(e.id)
        elif e.updated > have.updated or (e.updated == have.updated and _version(e) != _version(have)
                                          and _dumps(_version(e)) > _dumps(_version(have))):
            conn.execute("UPDATE entities SET name = ?, kind = ?, country = ?, created = ?, updated = ?, deleted = ?, "
                         "merged_into = ? WHERE id = ?", (e.name, e.kind, e.country, e.created, e.updated, e.deleted,
                                                          e.merged_into, e.id))
            report.entities_updated += 1
            counted.add(e.id)
        if e.merged_into and (have is None or have.merged_into != e.merged_into):
            replays.append(e)
    replaced = _merge_aliases(conn, alias_rows)
    report.entities_updated += len(replaced - counted)
    for e in replays:
        _replay_merge(conn, e, report)
    return None


def _check_alias(alias) -> str | None:
    try:
        _check_text("alias", alias)
    except InvariantError as exc:
        return str(exc)
    return None


def _merge_aliases(conn, rows) -> set[str]:
    """Each alias row of theirs, where it is newer than ours (a tie: the greater canonical JSON, as entities);
    the ids of the entities whose aliases changed."""
    have = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        "SELECT entity_id, alias, updated, deleted FROM entity_aliases")}
    # live entities only: one merged into another has no aliases of its own (they moved with the merge)
    known = {r[0] for r in conn.execute("SELECT id FROM entities WHERE deleted IS NULL")}
    changed = set()
    for entity_id, alias, updated, deleted in rows:
        if entity_id not in known:
            continue  # an alias of an entity neither registry has: nothing to hang it on
        ours = have.get((entity_id, alias))
        theirs = (updated, deleted)
        if ours is not None and (ours == theirs or _dumps(list(ours)) > _dumps(list(theirs))):
            continue
        conn.execute("INSERT INTO entity_aliases (entity_id, alias, updated, deleted) VALUES (?,?,?,?) "
                     "ON CONFLICT (entity_id, alias) DO UPDATE SET updated = excluded.updated, "
                     "deleted = excluded.deleted", (entity_id, alias, updated, deleted))
        have[(entity_id, alias)] = theirs
        if ours is None or (ours[1] is None) != (deleted is None):
            changed.add(entity_id)
    return changed


def _replay_merge(conn, gone: Entity, report) -> None:
    """``gone`` was merged into another: as ``merge_entities`` does it, with the time it was done."""
    row = conn.execute("SELECT merged_into FROM entities WHERE id = ?", (gone.id,)).fetchone()
    keep = row[0] if row else None
    if not keep or not conn.execute("SELECT 1 FROM entities WHERE id = ?", (keep,)).fetchone():
        return  # the newer version here says otherwise, or the entity it went into is not here: nothing to move
    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) SELECT ?, alias FROM entity_aliases "
                 "WHERE entity_id = ? AND deleted IS NULL", (keep, gone.id))
    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?,?)", (keep, gone.name))
    conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (gone.id,))
    for table in ("span_attributes", "gold_span_attributes"):
        conn.execute(f"UPDATE {table} SET value = ?, updated = max(updated, ?) WHERE name = 'entity' AND value = ?",
                     (json.dumps(keep), gone.updated, json.dumps(gone.id)))
