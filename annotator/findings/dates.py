"""Document dates as their metadata gives them, read into ISO dates (YYYY-MM-DD), so they sort and filter.

Publishers print dates their own way: "06/12/2001" (China Daily, day first), "5 April 2011", "April 5, 2011",
"2024-04-27". Numeric dates are read day first (the corpus is international news, where month-first is the
exception); a date that cannot be read is kept as written and sorts after every read one.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

MONTHS = {m: i for i, m in enumerate(
    ("january february march april may june july august september october november december").split(), 1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def iso_date(value) -> str:
    """The date as YYYY-MM-DD (YYYY-MM or YYYY when that is all it says), or "" if it cannot be read."""
    if value is None or isinstance(value, bool):
        return ""
    return _iso_date(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=16384)  # a corpus's documents share their dates: a day a document in a large one
def _iso_date(value: str) -> str:
    s = " ".join(value.split())
    try:
        if m := _ISO.match(s):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _NUMERIC.match(s):
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if m := _DAY_MONTH.match(s):
            month = MONTHS.get(m[2].lower())
            return date(int(m[3]), month, int(m[1])).isoformat() if month else ""
        if m := _MONTH_DAY.match(s):
            month = MONTHS.get(m[1].lower())
            return date(int(m[3]), month, int(m[2])).isoformat() if month else ""
        if m := _YEAR_MONTH.match(s):
            return f"{int(m[1]):04d}-{int(m[2]):02d}" if 1 <= int(m[2]) <= 12 else ""
        if m := _YEAR.match(s):
            return m[1]
    except ValueError:  # 31/02/2020: looks like a date, is none
        return ""
    return ""


def check_bound(value: str, what: str) -> str:
    """A date range bound as a user typed it (YYYY, YYYY-MM or YYYY-MM-DD), or ValueError saying what is wrong."""
    s = value.strip()
    if not s:
        return ""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s) or (len(s) >= 7 and not iso_date(s + ("-01" if len(s) == 7 else ""))):
        raise ValueError(f"{what} {value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (2011, 2011-04, 2011-04-05)")
    return s


def in_range(iso: str, since: str, until: str) -> bool:
    """Whether a document's date falls in [since, until] (either may be empty: open). A bound of a year or a month
    takes the whole of it; a document without a readable date is outside every range that has a bound."""
    if not since and not until:
        return True
    if not iso:
        return False
    if since and iso[:len(since)] < since:
        return False
    if until and iso[:len(until)] > until:
        return False
    return True
