"""The registry of canonical entities (organisations) that ORGANISATION spans link to through their ``entity``
attribute: names, aliases and acronyms, grown by reviewers. A part of the Store, like the label set.

Entities are never deleted outright: merging one into another marks it ``merged_into`` and moves its aliases and
every span linked to it, so a teammate's link to the old id still resolves (``entity()`` follows the chain).
"""
from __future__ import annotations

import json

from ..core.entity_rules import check_entity_id, check_entity_text
from ..core.errors import InvariantError, NotFound
from ..core.model import Entity
from .changes import Change, now

ENTITY_COLUMNS = "id, name, kind, country, created, updated, deleted, merged_into"
# an alias given (again): live, with the time it was given; over a removal of it too (m008)
LIVE_ALIAS = ("INSERT INTO entity_aliases (entity_id, alias, updated, deleted) VALUES (?,?,?,NULL) "
              "ON CONFLICT (entity_id, alias) DO UPDATE SET updated = excluded.updated, deleted = NULL")
_check_text = check_entity_text  # the name store/merge_entities.py knows it by


class EntityRegistry:
    def _entity_from_row(self, row) -> Entity:
        aliases = tuple(r[0] for r in self.conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? AND deleted IS NULL ORDER BY alias", (row[0],)))
        return Entity(row[0], row[1], row[2], aliases, row[3], row[4], row[5], row[6], row[7])

    def entities(self, *, include_merged: bool = False) -> list[Entity]:
        sql = f"SELECT {ENTITY_COLUMNS} FROM entities"
        if not include_merged:
            sql += " WHERE deleted IS NULL"
        return [self._entity_from_row(r) for r in self.conn.execute(sql + " ORDER BY name COLLATE NOCASE, id")]

    def entity(self, entity_id: str, *, follow: bool = True) -> Entity:
        """The entity with this id; one merged into another gives the one it was merged into (``follow``)."""
        seen = set()
        while True:
            row = self.conn.execute(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?", (entity_id,)).fetchone()
            if row is None:
                raise NotFound(f"no entity with id {entity_id!r} (see 'annotator entities list')")
            if not (follow and row[7]) or row[7] in seen:
                return self._entity_from_row(row)
            seen.add(entity_id)
            entity_id = row[7]

    def add_entity(self, entity_id: str, name: str, *, kind: str = "organisation", aliases=(), country: str = "",
                   notify: bool = True) -> Entity:
        check_entity_id(entity_id)
        _check_text("name", name)
        aliases = tuple(dict.fromkeys(_check_text("alias", a) for a in aliases))
        if self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone():
            raise InvariantError(f"there is already an entity with id {entity_id!r}")
        stamp = now()
        with self.transaction():
            self.conn.execute(f"INSERT INTO entities ({ENTITY_COLUMNS}) VALUES (?,?,?,?,?,?,NULL,NULL)",
                              (entity_id, name, kind, country, stamp, stamp))
            self.conn.executemany(LIVE_ALIAS, [(entity_id, a, stamp) for a in aliases])
        if notify:
            self._notify(Change("entities"))
        return self.entity(entity_id)

    def add_alias(self, entity_id: str, alias: str) -> Entity:
        entity = self.entity(entity_id)
        _check_text("alias", alias)
        with self.transaction():
            self.conn.execute(LIVE_ALIAS, (entity.id, alias, now()))
        self._notify(Change("entities"))
        return self.entity(entity.id)

    def remove_alias(self, entity_id: str, alias: str) -> Entity:
        entity = self.entity(entity_id)
        if alias not in entity.aliases:
            raise NotFound(f"{entity.id} has no alias {alias!r}; its aliases: {', '.join(entity.aliases) or 'none'}")
        stamp = now()
        with self.transaction():
            # a tombstone with its time, not a deletion: a merge replays the removal (store/merge_entities.py)
            self.conn.execute("UPDATE entity_aliases SET updated = ?, deleted = ? WHERE entity_id = ? AND alias = ?",
                              (stamp, stamp, entity.id, alias))
        self._notify(Change("entities"))
        return self.entity(entity.id)

    def rename_entity(self, entity_id: str, name: str) -> Entity:
        entity = self.entity(entity_id)
        _check_text("name", name)
        with self.transaction():
            self.conn.execute("UPDATE entities SET name = ?, updated = ? WHERE id = ?", (name, now(), entity.id))
        self._notify(Change("entities"))
        return self.entity(entity.id)

    def merge_entities(self, keep: str, gone: str) -> tuple[Entity, int]:
        """``gone`` becomes an alias of ``keep``: its name and aliases move to ``keep``, every span linked to it
        (reviewers' and gold) is linked to ``keep``; the number of links moved."""
        kept, old = self.entity(keep), self.entity(gone)
        if kept.id == old.id:
            raise InvariantError(f"{keep!r} and {gone!r} are the same entity")
        stamp = now()
        moved = 0
        with self.transaction():
            for alias in (old.name, *old.aliases):
                self.conn.execute(LIVE_ALIAS, (kept.id, alias, stamp))
            self.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (old.id,))
            self.conn.execute("UPDATE entities SET merged_into = ?, deleted = ?, updated = ? WHERE id = ?",
                              (kept.id, stamp, stamp, old.id))
            self.conn.execute("UPDATE entities SET updated = ? WHERE id = ?", (stamp, kept.id))
            for table in ("span_attributes", "gold_span_attributes"):
                moved += self.conn.execute(
                    f"UPDATE {table} SET value = ?, updated = ? WHERE name = 'entity' AND value = ?",
                    (json.dumps(kept.id), stamp, json.dumps(old.id))).rowcount
        self._notify(Change("entities"))
        self._notify(Change("attributes"))
        return self.entity(kept.id), moved

    def find_entities(self, text: str) -> list[Entity]:
        """The live entities whose name or an alias is exactly ``text``."""
        rows = self.conn.execute(
            f"SELECT {ENTITY_COLUMNS} FROM entities WHERE deleted IS NULL AND (name = ? OR id IN "
            f"(SELECT entity_id FROM entity_aliases WHERE alias = ? AND deleted IS NULL)) ORDER BY id",
            (text, text)).fetchall()
        return [self._entity_from_row(r) for r in rows]

    def entity_links(self, entity_id: str) -> int:
        """How many live spans are linked to the entity."""
        return self.conn.execute("SELECT count(*) FROM span_attributes WHERE name = 'entity' AND value = ? AND "
                                 "deleted IS NULL", (json.dumps(entity_id),)).fetchone()[0]
