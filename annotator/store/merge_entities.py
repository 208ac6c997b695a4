"""Merging a teammate's entity registry (from their database) into ours, before their spans' links arrive.

An entity is keyed by its id. Its name, kind, country and whether it was merged into another are a version with
an update time: the newer wins, a tie goes to the greater canonical JSON (as spans). Aliases are a union: an alias
either reviewer gave stays (removing an alias does not travel; ``annotator entities`` removes it again). When the
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


def merge_registry(store, entities: list[Entity], path: str, report) -> InputError | None:
    """Within the merge's transaction: the teammate's entities into ours. An InputError naming the first bad one
    (nothing of the registry written then: the merge rolls back)."""
    latest = latest_time()
    for e in entities:
        problem = _problem(e, latest)
        if problem:
            return InputError(f"table entities, id {e.id!r:.70}: {problem}", path)
    conn = store.conn
    ours = {r[0]: Entity(r[0], r[1], r[2], (), r[3], r[4], r[5], r[6], r[7]) for r in conn.execute(
        "SELECT id, name, kind, country, created, updated, deleted, merged_into FROM entities")}
    replays = []
    for e in entities:
        have = ours.get(e.id)
        if have is None:
            conn.execute("INSERT INTO entities (id, name, kind, country, created, updated, deleted, merged_into) "
                         "VALUES (?,?,?,?,?,?,?,?)", (e.id, e.name, e.kind, e.country, e.created, e.updated, e.deleted,
                                                      e.merged_into))
            report.entities_added += 1
        elif e.updated > have.updated or (e.updated == have.updated and _version(e) != _version(have)
                                          and _dumps(_version(e)) > _dumps(_version(have))):
            conn.execute("UPDATE entities SET name = ?, kind = ?, country = ?, created = ?, updated = ?, deleted = ?, "
                         "merged_into = ? WHERE id = ?", (e.name, e.kind, e.country, e.created, e.updated, e.deleted,
                                                          e.merged_into, e.id))
            report.entities_updated += 1
        if e.merged_into and (have is None or have.merged_into != e.merged_into):
            replays.append(e)
    for e in entities:
        conn.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?,?)",
                         [(e.id, a) for a in e.aliases])
    for e in replays:
        _replay_merge(conn, e, report)
    return None


def _replay_merge(conn, gone: Entity, report) -> None:
    """``gone`` was merged into another: as ``merge_entities`` does it, with the time it was done."""
    row = conn.execute("SELECT merged_into FROM entities WHERE id = ?", (gone.id,)).fetchone()
    keep = row[0] if row else None
    if not keep or not conn.execute("SELECT 1 FROM entities WHERE id = ?", (keep,)).fetchone():
        return  # the newer version here says otherwise, or the entity it went into is not here: nothing to move
    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) SELECT ?, alias FROM entity_aliases "
                 "WHERE entity_id = ?", (keep, gone.id))
    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?,?)", (keep, gone.name))
    conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (gone.id,))
    for table in ("span_attributes", "gold_span_attributes"):
        conn.execute(f"UPDATE {table} SET value = ?, updated = max(updated, ?) WHERE name = 'entity' AND value = ?",
                     (json.dumps(keep), gone.updated, json.dumps(gone.id)))
