"""What an entity of the registry may be called: its id (the short stable key links and exports use) and its
names and aliases. One place for the rules, used by the store's registry and by the readers of files that carry
entities (canonical JSONL's ``entities``)."""
from __future__ import annotations

import re

from .errors import InvariantError

# A short stable key, as brat's N lines and exports write it (IOM, UNODC, BALI-PROCESS, MOFA-TH)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_entity_id(entity_id) -> str:
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        raise InvariantError(f"an entity id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or "
                             f"digit (got {entity_id!r:.70})")
    return entity_id


def check_entity_text(what: str, value) -> str:
    """An entity's name or alias: 1 to 300 characters, no control characters, no space at either end."""
    if not isinstance(value, str) or not value.strip() or value != value.strip() or len(value) > 300 or any(
            ord(c) < 32 for c in value):
        raise InvariantError(f"an entity {what} is 1 to 300 characters, no control characters and no space at either "
                             f"end (got {value!r:.70})")
    return value
