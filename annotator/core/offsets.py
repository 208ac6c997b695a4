"""Code-point offsets (ours) <-> UTF-16 positions (Qt's), for one text.

Qt's QTextDocument counts UTF-16 code units, and a line break is one position (a block separator), so a Qt
position is the UTF-16 index into our text with ``\\n`` kept as one unit. Only astral characters (emoji, CJK
Extension B, ...) differ: each is two UTF-16 units and one code point. The widget converts through this class
and nowhere else (design.md section 2).
"""
from __future__ import annotations

import bisect
import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    def __init__(self, text: str):
        # code-point indexes of the astral characters: every one shifts later UTF-16 positions by one
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._len = len(text)
        # the UTF-16 position just after each astral character
        self._astral_q = [i + k + 2 for k, i in enumerate(self._astral)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """A Qt position to a code point; a position inside a surrogate pair falls back to the character's start."""
        k = bisect.bisect_right(self._astral_q, position)
        offset = position - k
        if k < len(self._astral) and self._astral[k] < offset:
            return self._astral[k]  # between the two halves of a surrogate pair
        return max(0, min(offset, self._len))

    def qt_length(self) -> int:
        return self._len + len(self._astral)
