"""The relation types and span attributes of a scheme, and the rules every value of them obeys.

A scheme file (resources/scheme.json, or one a user exports and loads) holds, beside its labels:

    "relations": [{"name": "ACTOR", "head": "COMMITMENT", "child": "ORGANISATION", "hotkey": "a",
                   "guideline": "..."}, ...],
    "attributes": {"FIGURE": [{"name": "value", "type": "number"}, ...], ...}

Both are optional in a file (a scheme of labels alone stays valid); a new database takes the defaults of
resources/scheme.json. Pure rules, no storage: the store checks every write against them, and so does a merge.
"""
from __future__ import annotations

import math
import re

from . import resources
from .errors import InvariantError
from .labels import SCHEME
from .model import ATTRIBUTE_TYPES, AttributeDef, RelationType

# Relation type names follow label names' rules in spirit but are shorter and upper case by convention only.
_NAME = re.compile(r"^[^\s\x00-\x1f](?:[^\x00-\x1f]{0,62}[^\s\x00-\x1f])?$")
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def default_relation_types() -> list[RelationType]:
    return relation_types_from_scheme(resources.read_json(SCHEME), f"{resources.PACKAGE}/{SCHEME}")


def default_attribute_defs() -> list[AttributeDef]:
    return attribute_defs_from_scheme(resources.read_json(SCHEME), f"{resources.PACKAGE}/{SCHEME}")


def check_relation_name(name) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvariantError(f"a relation type name must be 1 to 64 characters, no control characters and no space "
                             f"at either end (got {name!r})")
    return name


def relation_types_from_scheme(scheme: dict, source: str) -> list[RelationType]:
    """The scheme's relation types in order; none when it names none. Refused whole, naming the file and the
    type's place, when one is malformed or a name or hotkey is given twice."""
    items = scheme.get("relations", [])
    if not isinstance(items, list):
        raise InvariantError(f"{source}: 'relations' must be a list of relation types")
    types: list[RelationType] = []
    for n, item in enumerate(items, 1):
        where = f"{source}: relation {n}"
        if not isinstance(item, dict) or not all(isinstance(item.get(k, ""), str)
                                                 for k in ("name", "head", "child", "hotkey", "guideline")):
            raise InvariantError(f"{where} must be an object whose name, head, child, hotkey and guideline are "
                                 f"strings")
        try:
            name = check_relation_name(item.get("name", ""))
        except InvariantError as exc:
            raise InvariantError(f"{where}: {exc}") from None
        if not item.get("head") or not item.get("child"):
            raise InvariantError(f"{where}: 'head' and 'child' name the labels the relation connects")
        hotkey = item.get("hotkey", "")
        if hotkey and (len(hotkey) != 1 or not hotkey.isalnum()):
            raise InvariantError(f"{where}: a relation hotkey is one letter or digit (got {hotkey!r})")
        if any(t.name == name for t in types):
            raise InvariantError(f"{where}: the name {name!r} is given twice")
        if hotkey and any(t.hotkey == hotkey for t in types):
            raise InvariantError(f"{where}: the hotkey {hotkey!r} is given twice")
        types.append(RelationType(name, item["head"], item["child"], hotkey, item.get("guideline", ""),
                                  position=n - 1))
    return types


def attribute_defs_from_scheme(scheme: dict, source: str) -> list[AttributeDef]:
    items = scheme.get("attributes", {})
    if not isinstance(items, dict):
        raise InvariantError(f"{source}: 'attributes' must be an object from label names to lists of attributes")
    defs: list[AttributeDef] = []
    for label, attrs in items.items():
        if not isinstance(attrs, list):
            raise InvariantError(f"{source}: the attributes of {label!r} must be a list")
        for n, item in enumerate(attrs, 1):
            where = f"{source}: attribute {n} of {label!r}"
            if not isinstance(item, dict):
                raise InvariantError(f"{where} must be an object with a name and a type")
            name, kind, choices = item.get("name"), item.get("type"), item.get("choices", [])
            if not isinstance(name, str) or not _ATTRIBUTE_NAME.match(name):
                raise InvariantError(f"{where}: the name must be lower-case letters, digits or _ (got {name!r})")
            if kind not in ATTRIBUTE_TYPES:
                raise InvariantError(f"{where}: the type must be one of {', '.join(ATTRIBUTE_TYPES)} (got {kind!r})")
            if not isinstance(choices, list) or not all(isinstance(c, str) and c for c in choices):
                raise InvariantError(f"{where}: 'choices' must be a list of non-empty strings")
            if kind == "choice" and not choices:
                raise InvariantError(f"{where}: a choice attribute needs its choices")
            if any(d.label == label and d.name == name for d in defs):
                raise InvariantError(f"{where}: the name {name!r} is given twice")
            defs.append(AttributeDef(label, name, kind, tuple(choices), position=n - 1))
    return defs


def check_attribute_value(definition: AttributeDef, value):
    """``value`` as stored for ``definition``, or InvariantError saying why it cannot be."""
    kind, where = definition.type, f"{definition.label}.{definition.name}"
    if kind in ("entity", "text"):
        if not isinstance(value, str) or not value.strip() or len(value) > 1000 or "\x00" in value:
            raise InvariantError(f"{where} takes a non-empty text of at most 1,000 characters (got {value!r:.60})")
        return value
    if kind == "choice":
        if value not in definition.choices:
            raise InvariantError(f"{where} is one of {', '.join(definition.choices)} (got {value!r:.60})")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvariantError(f"{where} is true or false (got {value!r:.60})")
        return value
    # number: an int or a finite float (JSON has no NaN); a bool is not a number here
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, int) and abs(value) > 10**18):
        raise InvariantError(f"{where} takes a finite number (got {value!r:.60})")
    return value
