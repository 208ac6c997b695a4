"""The default label set and the rules for label names, colours and hotkeys."""
from __future__ import annotations

import re

from . import resources
from .errors import InvariantError
from .model import Label

# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9", "#F0E442", "#000000"]

SCHEME = "scheme.json"  # the default scheme a new database starts from, in resources/


def default_labels() -> list[Label]:
    """The labels of the default scheme (resources/scheme.json), checked as any label is."""
    return labels_from_scheme(resources.read_json(SCHEME), f"{resources.PACKAGE}/{SCHEME}")


def labels_from_scheme(scheme: dict, source: str) -> list[Label]:
    """The labels of a scheme file's ``{"labels": [{"name", "color", "hotkey", "guideline"}, ...]}``, in order.

    A label the rules refuse (name, colour, hotkey, a name or hotkey used twice) is an InvariantError naming the
    file and the label's place in it: nothing of the scheme is taken then.
    """
    items = scheme.get("labels")
    if not isinstance(items, list) or not items:
        raise InvariantError(f"{source}: 'labels' must be a non-empty list of labels")
    labels: list[Label] = []
    for n, item in enumerate(items, 1):
        where = f"{source}: label {n}"
        if not isinstance(item, dict) or not all(isinstance(item.get(k, ""), str)
                                                 for k in ("name", "color", "hotkey", "guideline")):
            raise InvariantError(f"{where} must be an object whose name, color, hotkey and guideline are strings")
        try:
            name = check_name(item.get("name", ""))
            color = check_color(item.get("color", ""))
            hotkey = check_hotkey(item["hotkey"]) if item.get("hotkey") else ""
        except InvariantError as exc:
            raise InvariantError(f"{where}: {exc}") from None
        if any(l.name == name for l in labels):
            raise InvariantError(f"{where}: the name {name!r} is given twice")
        if hotkey and any(l.hotkey == hotkey for l in labels):
            raise InvariantError(f"{where}: the hotkey {hotkey!r} is given twice")
        labels.append(Label(name, color, hotkey, item.get("guideline", ""), position=n - 1))
    return labels


def __getattr__(name: str):
    # DEFAULT_LABELS, as older callers name it: read from the scheme file when first asked for
    if name == "DEFAULT_LABELS":
        return default_labels()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# no space at either end: "FIGURE " would be a second label that looks like FIGURE (refused, not trimmed, wherever a
# label arrives: typed, imported or merged, so a file's labels are stored exactly as they are written)
_NAME = re.compile(r"^[^\s\x00-\x1f](?:[^\x00-\x1f]{0,62}[^\s\x00-\x1f])?$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
HOTKEYS = [str(n) for n in range(1, 10)] + ["0"]


# Every key the review window binds (menus, curation panel, text selection): a label hotkey on one of them would
# make it ambiguous ("Ambiguous shortcut": Undo stops working). tests/ui checks the window binds nothing else.
WINDOW_KEYS = frozenset({
    "Ctrl+I", "Ctrl+E", "Ctrl+Shift+M", "Ctrl+Shift+S", "Ctrl+Q", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Delete", "Backspace", "N",
    "]", "[", "Esc", "Alt+Left", "Alt+Right", "Alt+Shift+Right", "Alt+Shift+Left", "Ctrl+Shift+W",
    "Ctrl+Return", "Ctrl+Enter", "Ctrl+Shift+Return", "Ctrl+Shift+Enter", "Ctrl+Backspace", "Ctrl+Shift+N",
    "Ctrl+Shift+C", "Ctrl+PgDown", "Ctrl+PgUp", "Ctrl+F", "Ctrl+=", "Ctrl++", "Ctrl+-", "Ctrl+0", "F1", "F5",
    # relations and attributes
    "R", "Ctrl+R", "F2", "Y",
    # the scheme editor (Labels > Edit scheme…)
    "Ctrl+Shift+L",
    # suggestions (Tab, Shift+Tab, Return and Enter below): reject, accept all at or above the threshold, the list
    "X", "Ctrl+Shift+A", "Ctrl+G",
    # curation mode
    "G", "Return", "Enter", "A", "R", "E",
    # moving and selecting in the article and the lists
    "Left", "Right", "Up", "Down", "Home", "End", "PgUp", "PgDown", "Tab", "Shift+Tab", "Space", "Ctrl+A",
    "Ctrl+C", "Shift+Left", "Shift+Right", "Shift+Up", "Shift+Down", "Shift+Home", "Shift+End",
    "Ctrl+Shift+Left", "Ctrl+Shift+Right", "Ctrl+Left", "Ctrl+Right", "Ctrl+Home", "Ctrl+End",
})
_MODIFIERS = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta"}
_NAMED_KEYS = {k.lower(): k for k in (
    "Esc", "Return", "Enter", "Delete", "Backspace", "Left", "Right", "Up", "Down", "Home", "End", "PgUp",
    "PgDown", "Tab", "Space", "Insert", *(f"F{n}" for n in range(1, 36)))}
_NAMED_KEYS.update({"escape": "Esc", "del": "Delete", "pageup": "PgUp", "pagedown": "PgDown", "ins": "Insert"})


def normal_key(hotkey: str) -> str:
    """A key as Qt writes it (``ctrl+z`` -> ``Ctrl+Z``), or InvariantError if it is not one key."""
    given = hotkey
    hotkey = hotkey.strip()
    if hotkey.endswith("++") or hotkey == "+":
        parts, key = hotkey[:-2].split("+") if len(hotkey) > 1 else [], "+"
        parts = [p for p in parts if p]
    else:
        *parts, key = hotkey.split("+")
    mods = []
    for p in parts:
        mod = _MODIFIERS.get(p.strip().lower())
        if mod is None:
            raise InvariantError(f"hotkey {given!r} is not a key: {p.strip()!r} is not Ctrl, Alt, Shift or Meta")
        mods.append(mod)
    key = key.strip()
    if len(key) == 1 and key.isprintable() and not key.isspace():
        key = key.upper()
    elif key.lower() in _NAMED_KEYS:
        key = _NAMED_KEYS[key.lower()]
    else:
        raise InvariantError(f"hotkey {given!r} is not one key (a character such as 4 or Q, or F2, with Ctrl, Alt, "
                             "Shift or Meta if wanted)")
    order = ["Ctrl", "Alt", "Shift", "Meta"]
    return "+".join(sorted(set(mods), key=order.index) + [key])


def check_hotkey(hotkey: str) -> str:
    """``hotkey`` as Qt writes it, or InvariantError if it is not one key or the window already uses it."""
    key = normal_key(hotkey)
    if key in WINDOW_KEYS:
        raise InvariantError(f"hotkey {key!r} is a key of the review window already (see its Keys, F1); "
                             "choose another, such as a digit or a letter other than N, G, A, R and E")
    return key


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
