"""What the fields of a record from elsewhere (a teammate's database or bundle, an exported file read back) must
hold before a merge or an import lets it in: times in the one form we write, not in the future; text that is text.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate (a JSON "\ud800" escape): no store can hold it

# The one form of time we write (``store.now``): UTC, microseconds. In this form the later time is the greater
# string, which is how merges compare versions; any other form ("9999", "zzz") would compare wrongly forever.
# ASCII digits only ([0-9], not \d: datetime refuses other digits anyway, and \d's Unicode classes made this test
# three times as long, and an import tests a time for every span and relation).
_STAMP = re.compile(r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]{6}\+00:00")

# How far ahead of our clock a teammate's time may be: a clock set wrong by a time zone is up to 14 hours off.
# Further ahead, an edit would beat every later real edit until then: refused.
FUTURE_TOLERANCE = timedelta(hours=24)


def latest_time(now: datetime | None = None) -> str:
    """The latest time accepted from elsewhere, in our form (so that it compares as a string)."""
    now = now or datetime.now(timezone.utc)
    return (now + FUTURE_TOLERANCE).isoformat(timespec="microseconds")


_is_stamp = _STAMP.fullmatch
_parse_time = datetime.fromisoformat


def is_our_time(value, latest: str) -> bool:
    """The quick test of a time (an import checks a million): ours, real, and not after ``latest``."""
    if type(value) is str and value <= latest and _is_stamp(value):
        try:
            _parse_time(value)
            return True
        except ValueError:
            return False
    return False


def time_problem(name: str, value, latest: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if value is None or value == "":
        return f"it has no {name} time"
    if type(value) is not str or not _STAMP.fullmatch(value):
        return f"{name} {value!r} is not a time in the form we write (UTC, like 2026-05-05T10:00:00.000000+00:00)"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"{name} {value!r} is not a time in the form we write (not a real date)"
    if value > latest:
        return f"{name} {value!r} is more than {FUTURE_TOLERANCE.total_seconds() / 3600:g} hours in the future"
    return None


def is_text(value, empty: bool = True) -> bool:
    return type(value) is str and (empty or bool(value))
