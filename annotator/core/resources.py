"""The files the app loads that are not code, read from the installed package ``annotator.resources``.

They live in the checkout's top-level ``resources/`` folder, which setup.py installs as that package, so a wheel
and an editable install read the same files through importlib.resources, whatever the working folder is.
A resource we cannot read or that does not hold what we expect is named with what is wrong (a broken install),
never read half.
"""
from __future__ import annotations

import json
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

from .errors import AnnotatorError, InputError

PACKAGE = "annotator.resources"
ICON_SIZES = (16, 32, 48, 64, 128, 256)  # the PNG sizes a launcher and the hicolor icon theme ask for


class ResourceMissing(AnnotatorError):
    """A resource of the installed package is missing or unreadable: the install is broken."""


def resource(name: str) -> Traversable:
    """The resource ``name`` (``"scheme.json"``, ``"icons/annotator.svg"``), which must exist."""
    item = files(PACKAGE)
    for part in name.split("/"):
        item = item / part
    if not item.is_file():
        raise ResourceMissing(f"{PACKAGE}/{name} is missing from the installed annotator (reinstall it)")
    return item


def read_bytes(name: str) -> bytes:
    return resource(name).read_bytes()


def read_json(name: str) -> dict:
    try:
        return parse_json_object(read_bytes(name), f"{PACKAGE}/{name}")
    except InputError as exc:
        raise ResourceMissing(str(exc)) from None


def parse_json_object(data: bytes, source: str) -> dict:
    """A JSON object from UTF-8 bytes, or InputError naming ``source`` and what is wrong."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    except ValueError as exc:
        raise InputError(f"{source}: not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InputError(f"{source}: must hold a JSON object, such as {{\"labels\": [...]}}")
    return value


def icon_name(size: int | None = None) -> str:
    """The icon's resource name: the SVG, or the PNG rendered at ``size`` pixels."""
    return "icons/annotator.svg" if size is None else f"icons/annotator-{size}.png"


def keys_table() -> list[tuple[str, str]]:
    """The rows of the keys table the F1 window shows: (what it does, its keys)."""
    rows = read_json("keys.json").get("keys")
    if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("what"), str) and isinstance(r.get("keys"), str) for r in rows):
        raise ResourceMissing(f"{PACKAGE}/keys.json: 'keys' must be a list of {{\"what\": ..., \"keys\": ...}}")
    return [(r["what"], r["keys"]) for r in rows]


__all__ = ["ICON_SIZES", "PACKAGE", "ResourceMissing", "as_file", "icon_name", "keys_table", "parse_json_object", "read_bytes",
           "read_json", "resource"]
