"""Checks of spans against the text they point into (design.md section 2, offsets)."""
from __future__ import annotations

from .errors import InputError


def check_span(text: str, start, end, stated_text: str | None = None) -> str:
    """Return ``text[start:end]`` after checking the offsets; raise InputError with the reason otherwise."""
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise InputError(f"span offsets must be integers, got start={start!r} end={end!r}")
    if start < 0 or end > len(text):
        raise InputError(f"span {start}-{end} is out of range: the document has {len(text)} characters")
    if start >= end:
        raise InputError(f"span {start}-{end} is empty or reversed: start must be less than end")
    covered = text[start:end]
    if stated_text is not None and stated_text != covered:
        raise InputError(f"span {start}-{end} says its text is {_short(stated_text)} but the document has {_short(covered)} there")
    return covered


def _short(s: str, limit: int = 40) -> str:
    return repr(s if len(s) <= limit else s[: limit - 1] + "…")
