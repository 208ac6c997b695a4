"""What every store module shares: the time stamp of a write and the notice of what a write changed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


def now() -> str:
    """UTC, microseconds, ISO 8601: sorts as text, so the newer edit is the greater string."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Change:
    """What a committed action changed, broadcast to views so each decides what to refresh."""

    kind: str  # "spans", "document", "documents", "labels", "review", "gold", "relations", "relation_types",
    #            "attributes", "entities"
    doc_id: str | None = None
    span_ids: tuple[str, ...] = ()
