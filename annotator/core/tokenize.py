"""The one tokenizer: code-point token offsets for snapping, token formats (CoNLL, spaCy) and agreement.

Words, numbers with their separators and currency (``2.4``, ``1,200``, ``US$7``) and punctuation are tokens;
possessives split (``Union’s`` is ``Union`` + ``’s``); abbreviations such as ``U.S.`` stay whole; CJK characters
are a token each, so any span inside CJK text falls on token boundaries; an emoji sequence (ZWJ, skin tones,
flags) is one token and never split.

The rules are written once, as the regular expression below; ``_tokens.c`` runs the same alternatives in the same
order about thirty times faster, and is what ``token_arrays`` uses when it was built (tests check the two agree).
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from typing import Iterator, NamedTuple


class Token(NamedTuple):
    """A token, for code that wants objects; exports use ``token_arrays`` and make none."""

    start: int
    end: int
    text: str
    ws: bool  # followed by whitespace (spaCy's ``whitespace_``)


# Character classes as code-point ranges: the regular expression and the compiled scanner's table are both built
# from these, so the two cannot disagree about what a CJK character or an emoji is.
_CJK_RANGES = [
    (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x3190, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3134F),
]
_EMOJI_BASE_RANGES = [
    (0xA9, 0xA9), (0xAE, 0xAE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122), (0x2139, 0x2139),
    (0x2194, 0x21AA), (0x231A, 0x23FF), (0x24C2, 0x24C2), (0x25AA, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B55),
    (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299), (0x1F000, 0x1FAFF),
]
_EMOJI_MOD_RANGES = [(0x1F3FB, 0x1F3FF), (0xFE0F, 0xFE0F), (0x20E3, 0x20E3), (0xE0020, 0xE007F)]
_REGIONAL_RANGES = [(0x1F1E6, 0x1F1FF)]
_CURRENCY_SIGNS = "$€£¥₹₩₽"
_APOS = "'\u2019"


def _mark_ranges() -> list[tuple[int, int]]:
    """Every combining mark (Unicode categories Mn, Mc, Me): marks stay with their base."""
    ranges, first, last = [], None, None
    for cp in list(range(0x300, 0x20000)) + list(range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(cp))[0] == "M":
            if last is not None and cp == last + 1:
                last = cp
                continue
            if first is not None:
                ranges.append((first, last))
            first = last = cp
    ranges.append((first, last))
    return ranges


def _class(ranges) -> str:
    """Ranges as the body of a regex character class."""
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_MARK_RANGES = _mark_ranges()
_CJK = _class(_CJK_RANGES)
_MARK = _class(_MARK_RANGES)
_EMOJI_BASE = _class(_EMOJI_BASE_RANGES)
_EMOJI_MOD = _class(_EMOJI_MOD_RANGES)
_REGIONAL = _class(_REGIONAL_RANGES)
_CUR = re.escape(_CURRENCY_SIGNS)

# The commonest token (a word) comes first and is atomic, so a word costs one attempt; the lookahead hands
# "US$7" to money and "U.S." to abbr. Runs of letters are matched a run at a time (a per-character loop with
# the mark class is several times slower on long texts). _tokens.c follows these alternatives in this order.
_TOKEN = re.compile(
    rf"""
    (?P<word>(?>[^\W\d_{_CJK}][{_MARK}]*(?:[^\W_{_CJK}]+[{_MARK}]*)*)(?![{_CUR}]\d|\.[^\W\d_]\.))
    |(?P<number>\d+(?:[.,]\d+)*(?:[^\W\d_{_CJK}]+[{_MARK}]*)*)                 # 2.4, 1,200, 90,000, 20th
    |(?P<money>(?:[A-Z]{{1,3}})?[{_CUR}]\d+(?:[.,]\d+)*)                       # US$7, $1,200, €30.5
    |(?P<abbr>(?:[^\W\d_]\.){{2,}})                                           # U.S., U.N.
    |(?P<possessive>[{_APOS}]s\b)                                             # ’s after a word
    |(?P<emoji>[{_REGIONAL}]{{2}}                                           # a flag: two regional indicators
        |[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*)
    |(?P<cjk>[{_CJK}][{_MARK}]*)
    |(?P<other>\S[{_MARK}]*)
    """,
    re.VERBOSE,
)

WS_AFTER = 1  # flag: whitespace follows the token (spaCy's ``whitespace_``)
LINE_BREAK_BEFORE = 2  # flag: the whitespace before the token holds a line break (a paragraph break in CoNLL)


class TokenArrays(NamedTuple):
    """The tokens of a text as parallel arrays: what exporters of token formats use (no object per token)."""

    starts: array  # array("q"): code-point offsets, ascending
    ends: array
    texts: list[str] | None
    flags: bytes  # WS_AFTER | LINE_BREAK_BEFORE, one byte per token


def _regex_arrays(text: str, with_texts: bool = True) -> TokenArrays:
    """The reference: the regular expression above."""
    starts, ends, texts, flags = [], [], [] if with_texts else None, bytearray()
    isspace, n, previous = str.isspace, len(text), 0
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        flag = WS_AFTER if end < n and isspace(text[end]) else 0
        if starts and "\n" in text[previous:start]:
            flag |= LINE_BREAK_BEFORE
        starts.append(start)
        ends.append(end)
        if with_texts:
            texts.append(m.group())
        flags.append(flag)
        previous = end
    return TokenArrays(array("q", starts), array("q", ends), texts, bytes(flags))


def _class_table() -> bytes:
    """One byte of class flags per code point, for the compiled scanner (the bits are those of _tokens.c)."""
    table = bytearray(0x110000)
    for bit, ranges in ((1, _MARK_RANGES), (2, _CJK_RANGES), (4, _EMOJI_BASE_RANGES), (8, _EMOJI_MOD_RANGES),
                        (16, _REGIONAL_RANGES), (32, [(ord(c), ord(c)) for c in _CURRENCY_SIGNS]),
                        (64, [(ord(c), ord(c)) for c in _APOS])):
        for a, b in ranges:
            table[a:b + 1] = bytes(x | bit for x in table[a:b + 1])
    return bytes(table)


try:
    from . import _tokens as _compiled
except ImportError:  # built without a C compiler: the regular expression gives the same tokens, more slowly
    _compiled = None
else:
    _compiled.configure(_class_table())

COMPILED = _compiled is not None


def token_arrays(text: str, with_texts: bool = True) -> TokenArrays:
    if _compiled is None:
        return _regex_arrays(text, with_texts)
    starts, ends, texts, flags = _compiled.scan(text, with_texts)
    return TokenArrays(array("q", starts), array("q", ends), texts, flags)


def iter_tokens(text: str) -> Iterator[Token]:
    make = tuple.__new__
    starts, ends, texts, flags = token_arrays(text)
    for i, start in enumerate(starts):
        yield make(Token, (start, ends[i], texts[i], bool(flags[i] & WS_AFTER)))


def tokenize(text: str) -> list[Token]:
    return list(iter_tokens(text))


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """Sorted token starts and ends: what snapping and token formats look up."""
    arrays = token_arrays(text, with_texts=False)
    return arrays.starts.tolist(), arrays.ends.tolist()


def between_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of non-space characters around ``start``..``end``: what snapping a selection needs to look at."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the tokens it touches; whitespace around it is dropped.

    A selection of whitespace only is returned unchanged (there is nothing to snap to). Only the words around the
    selection are tokenized (tokens never cross whitespace), so snapping costs the same in a 1 MB article.
    """
    given = start, end
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return given
    left, right = between_spaces(text, start, end)
    for t in iter_tokens(text[left:right]):
        if t.start + left <= start < t.end + left:
            start = t.start + left
        if t.start + left < end <= t.end + left:
            end = t.end + left
    return start, end

