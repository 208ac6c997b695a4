"""How an organisation's name is compared: what varies between two writings of one name is folded away.

An acronym (an alias with no lower-case letter: IOM, UNODC, EU) is compared as written, so "IOM" is not "Iom"
and "UN" is not "un"; a name is compared whatever its case, spacing, hyphens, punctuation and British or
American spelling ("International Organisation for Migration" is "International Organization for Migration",
"Co-operation" is "Cooperation"). Both lose a leading "the", a possessive 's and the spaces around them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"',
                         **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}})
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")
_EDGES = " \t\n.,;:!?\"'*"
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")  # U.N., E.U.
_UN_PREFIX = re.compile(r"^(?:UN|U\.N\.)(?=[\s-])")  # "UN Office on Drugs and Crime": United Nations, spelt out
# British and American spellings, folded one way on both sides of a comparison
_SPELLINGS = [(re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)\b"), r"iz\1"), (re.compile(r"our\b"), "or"),
              (re.compile(r"tre\b"), "ter"), (re.compile(r"programme"), "program"), (re.compile(r"ence\b"), "ense")]
_NOT_LETTERS = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def clean(text: str) -> str:
    """The name a span holds, without what only surrounds it: spaces, quotes, end punctuation, "the", 's."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip(_EDGES)
    for _ in range(2):  # "the UNODC's"
        text = _POSSESSIVE.sub("", _THE.sub("", text)).strip(_EDGES)
    return text


def is_acronym(name: str) -> bool:
    """An acronym has letters and none of them lower case (IOM, UN, U.N., UN-GIFT); it is compared as written."""
    return any(c.isalpha() for c in name) and not any(c.islower() for c in name)


def acronym_key(text: str) -> str:
    return _DOTTED.sub(lambda m: m[0].replace(".", ""), clean(text))


@lru_cache(maxsize=8192)  # pure, and a corpus repeats its names
def name_key(text: str) -> str:
    """A name with its case, spacing, punctuation, hyphens and spelling folded: letters and digits only."""
    text = _UN_PREFIX.sub("United Nations", clean(text)).replace("&", " and ").casefold()
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return _NOT_LETTERS.sub("", text)


def key(alias: str) -> tuple[str, str]:
    """How ``alias`` is looked up: ("acronym", as written) or ("name", folded)."""
    return ("acronym", acronym_key(alias)) if is_acronym(clean(alias)) else ("name", name_key(alias))


@lru_cache(maxsize=8192)
def keys_of_span(text: str) -> tuple[tuple[str, str], ...]:
    """The keys a span's text may be found under, best first: an acronym as written and the name folded (a span
    "UNODC" is looked up as an acronym and, in case a reviewer listed it as a name, as a name); for
    "International Organization for Migration (IOM)" the whole, then the name, then the bracketed acronym."""
    found: list[tuple[str, str]] = []
    parts = [text]
    m = _BRACKETED.match(clean(text))
    if m:
        parts += [m[1], m[2]]
    for part in parts:
        cleaned = clean(part)
        if not cleaned:
            continue
        if is_acronym(cleaned):
            found.append(("acronym", acronym_key(cleaned)))
        found.append(("name", name_key(cleaned)))
    return tuple(found)
