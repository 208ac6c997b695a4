"""Values the tool proposes for a span's attributes from its text, shown as proposed until a reviewer confirms them.

An ORGANISATION whose text is exactly one entity's name or alias in the registry ("IOM", "International
Organization for Migration") is proposed that entity. Works on any object with the Store's ``find_entities``.
"""
from __future__ import annotations

from .model import AttributeDef, Span


def propose(store, span: Span, defs: list[AttributeDef]) -> dict[str, object]:
    """Attribute name -> proposed value, for the attributes of ``defs`` the text gives."""
    out: dict[str, object] = {}
    for d in defs:
        if d.type == "entity":
            found = store.find_entities(" ".join(span.text.split()))
            if len(found) == 1:
                out[d.name] = found[0].id
    return out
