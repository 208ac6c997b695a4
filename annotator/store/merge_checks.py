"""The checks of a teammate's relations and attribute values as SQL conditions, for store/merge_database_links.py.

Each is stricter than the Python check it stands for (core.validate, core.relation_scheme, store.entities): a row
it passes, the Python check passes; a row it does not pass takes the Python check, which decides. Texts it passes
are printable ASCII, so they are UTF-8 and hold no surrogate.
"""
from __future__ import annotations


def our_time(c: str) -> str:
    """A time column: the form we write, a real date and time (year 0 aside), not after :latest."""
    # the form by a pattern of ASCII digits, the month, the hour and the year 0 (which Python refuses) by comparing
    # strings; a day past the 28th by SQLite's date functions, which take 2026-02-30 and move it on to March:
    # a date that comes back the same is real. Most days need no date function (a million times: 1.2 s -> 0.5 s)
    return (f"({c} <= :latest AND {c} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:"
            f"[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00' AND substr({c}, 6, 2) BETWEEN '01' AND '12' "
            f"AND substr({c}, 12, 2) <= '23' AND substr({c}, 1, 4) != '0000' "
            f"AND (substr({c}, 9, 2) BETWEEN '01' AND '28' "
            f"OR date(substr({c}, 1, 10), '+0 days') = substr({c}, 1, 10)))")


def ascii_id(c: str) -> str:
    """Printable ASCII, not empty: an id that decodes as UTF-8 and holds no surrogate."""
    return f"(typeof({c}) = 'text' AND {c} != '' AND NOT {c} GLOB '*[^ -~]*')"


def inner(c: str) -> str:
    return f"substr({c}, 2, length({c}) - 2)"


def plain_string(c: str) -> str:
    """A JSON string of printable ASCII with nothing escaped: what json.dumps writes for it, byte for byte."""
    return (f"({c} GLOB '\"*\"' AND length({c}) >= 2 AND NOT {inner(c)} GLOB '*[^ -~]*' "
            f"AND NOT {inner(c)} GLOB '*[\"\\]*')")


def plain_int(c: str) -> str:
    """A JSON integer as json.dumps writes it, of at most 18 digits (within the number attribute's 10**18)."""
    return (f"(({c} = '0' OR {c} GLOB '[1-9]*' OR {c} GLOB '-[1-9]*') AND NOT substr({c}, 2) GLOB '*[^0-9]*' "
            f"AND length(ltrim({c}, '-')) <= 18)")


def plain_value(c: str) -> str:
    return f"({c} IN ('true', 'false') OR {plain_int(c)} OR {plain_string(c)})"


def value_fits(c: str) -> str:
    """The value is one the attribute ``d`` takes (relation_scheme.check_attribute_value, store.entities'
    entity ids), on the plain forms only."""
    return (f"(CASE d.type WHEN 'bool' THEN {c} IN ('true', 'false') "
            f"WHEN 'number' THEN {plain_int(c)} "
            f"WHEN 'text' THEN {plain_string(c)} AND {inner(c)} GLOB '*[^ ]*' AND length({c}) <= 1002 "
            f"WHEN 'entity' THEN {plain_string(c)} AND {c} GLOB '\"[A-Za-z0-9]*' AND length({c}) <= 66 "
            f"AND NOT {inner(c)} GLOB '*[^A-Za-z0-9._-]*' "
            f"WHEN 'choice' THEN {plain_string(c)} AND EXISTS (SELECT 1 FROM json_each(d.choices) ch "
            f"WHERE ch.type = 'text' AND json_quote(ch.value) = {c}) "
            f"ELSE 0 END)")
