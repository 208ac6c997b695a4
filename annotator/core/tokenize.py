"""The one tokenizer: code-point token offsets for snapping, token formats (CoNLL, spaCy) and agreement.

Words, numbers with their separators and currency (``2.4``, ``1,200``, ``US$7``) and punctuation are tokens;
possessives split (``Union’s`` is ``Union`` + ``’s``); abbreviations such as ``U.S.`` stay whole; CJK characters are a token each, so any span inside CJK
text falls on token boundaries; an emoji sequence (ZWJ, skin tones, flags) is one token and never split.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple


class Token(NamedTuple):
    """A token (a named tuple: a million of them are made per export of a token format)."""

    start: int
    end: int
    text: str
    ws: bool  # followed by whitespace (spaCy's ``whitespace_``)


_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)


def _mark_class() -> str:
    """Every combining mark (Unicode categories Mn, Mc, Me) as a regex class body: marks stay with their base."""
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
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_MARK = _mark_class()
_EMOJI_BASE = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
_EMOJI_MOD = "\U0001f3fb-\U0001f3ff\ufe0f\u20e3\U000e0020-\U000e007f"
_APOS = "'\u2019"
_CURRENCY = r"(?:[A-Z]{1,3})?[$€£¥₹₩₽]"

# The commonest token (a word) comes first and is atomic, so a word costs one attempt; the lookahead hands
# "US$7" to money and "U.S." to abbr. Runs of letters are matched a run at a time (a per-character loop with
# the mark class is several times slower on long texts).
_TOKEN = re.compile(
    rf"""
    (?P<word>(?>[^\W\d_{_CJK}][{_MARK}]*(?:[^\W_{_CJK}]+[{_MARK}]*)*)(?![$€£¥₹₩₽]\d|\.[^\W\d_]\.))
    |(?P<number>\d+(?:[.,]\d+)*(?:[^\W\d_{_CJK}]+[{_MARK}]*)*)                 # 2.4, 1,200, 90,000, 20th
    |(?P<money>{_CURRENCY}\d+(?:[.,]\d+)*)                                    # US$7, $1,200, €30.5
    |(?P<abbr>(?:[^\W\d_]\.){{2,}})                                           # U.S., U.N.
    |(?P<possessive>[{_APOS}]s\b)                                             # ’s after a word
    |(?P<emoji>[\U0001f1e6-\U0001f1ff]{{2}}                                 # a flag: two regional indicators
        |[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*)
    |(?P<cjk>[{_CJK}][{_MARK}]*)
    |(?P<other>\S[{_MARK}]*)
    """,
    re.VERBOSE,
)


def iter_tokens(text: str) -> Iterator[Token]:
    make, isspace, n = tuple.__new__, str.isspace, len(text)
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        yield make(Token, (start, end, m.group(), end < n and isspace(text[end])))


def tokenize(text: str) -> list[Token]:
    return list(iter_tokens(text))


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """Sorted token starts and ends: what snapping and token formats look up."""
    starts, ends = [], []
    for t in iter_tokens(text):
        starts.append(t.start)
        ends.append(t.end)
    return starts, ends


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
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    for t in iter_tokens(text[left:right]):
        if t.start + left <= start < t.end + left:
            start = t.start + left
        if t.start + left < end <= t.end + left:
            end = t.end + left
    return start, end

