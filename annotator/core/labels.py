"""The default label set and the rules for label names, colours and hotkeys."""
from __future__ import annotations

import re

from .errors import InvariantError
from .model import Label

# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9", "#F0E442", "#000000"]

DEFAULT_LABELS = [
    Label(
        "ORGANISATION", PALETTE[0], "1",
        "An organisation named in the text: an agency, ministry, court, police force, alliance, intergovernmental "
        "process or company (IOM, UNODC, the Ministry of Foreign Affairs, the Bali Process, the European Union). "
        "Tag the full name as written, including a leading article only if it is part of the name; tag an acronym "
        "in parentheses as a span of its own. Do not tag people, countries acting as states, or generic groups "
        "such as 'police' without a name.",
        position=0,
    ),
    Label(
        "FIGURE", PALETTE[1], "2",
        "A quantity together with what it counts or measures (more than 90 delegates, US$7 billion, 2.4 million "
        "people, 350 Pakistani nationals). Include qualifiers that change the number (more than, about, at least) "
        "and the unit or counted noun; leave out dates, times, ages used as names and ordinal numbers.",
        position=1,
    ),
    Label(
        "COMMITMENT", PALETTE[2], "3",
        "A statement that an actor will do, pledges or agrees to do something (China will strengthen cooperation "
        "with regional and international organizations ...). Tag the clause from the actor, or the verb if the "
        "actor is not in the clause, to the end of what is promised; leave out reporting verbs such as 'said' "
        "and statements about what was already done.",
        position=2,
    ),
]

# no space at either end: "FIGURE " would be a second label that looks like FIGURE (refused, not trimmed, wherever a
# label arrives: typed, imported or merged, so a file's labels are stored exactly as they are written)
_NAME = re.compile(r"^[^\s\x00-\x1f](?:[^\x00-\x1f]{0,62}[^\s\x00-\x1f])?$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
HOTKEYS = [str(n) for n in range(1, 10)] + ["0"]


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvariantError(f"label name {name!r} must be 1 to 64 printable characters, without a space at its start"
                             " or end")
    return name


def name_problem(name) -> str | None:
    """Why ``name`` is not a label name as it stands (None if it is one): a name from elsewhere is not tidied."""
    if type(name) is not str or name != name.strip() or not _NAME.match(name):
        # the same words as check_name, so a label is refused alike wherever it arrives
        return f"label name {name!r} must be 1 to 64 printable characters, without a space at its start or end"
    return None


def check_color(color: str) -> str:
    if not _COLOR.match(color):
        raise InvariantError(f"colour {color!r} must be written #RRGGBB, for example #0072B2")
    return color.upper()


def next_color(used: list[str]) -> str:
    used_up = {c.upper() for c in used}
    for color in PALETTE:
        if color not in used_up:
            return color
    return PALETTE[len(used) % len(PALETTE)]


def next_hotkey(used: list[str]) -> str:
    for key in HOTKEYS:
        if key not in used:
            return key
    return ""
