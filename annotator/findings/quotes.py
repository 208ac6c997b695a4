"""Sentences and quotations: where the sentence holding a span begins and ends (a commitment's organisations and
figures are looked for there when no relation names them), and the quotation every row carries, which is that
sentence with the span marked, so a reader can check the claim against its source.

A sentence ends at . ! or ? (with a closing quote or bracket) before white space, or at a line break: the plain
text's own boundaries, read the same way by the proximity rule and the quotations (a model's sentencizer would be
no better on news prose and would cost a pipeline per document). Both ends are found by one regular expression
each, from the span outwards, in C: this runs for every commitment and figure of the corpus.
"""
from __future__ import annotations

import re

from .model import Quote

QUOTE_CAP = 240  # characters of a very long sentence kept either side of the span, cut at a word
WINDOW = 600  # characters looked back for a sentence's start before looking further

# The last sentence end before a position: greedy, so the match backtracks from the position to the nearest end.
_LAST_END = re.compile(r"(?s).*(?:[.!?][\"'\u201d\u2019)\]]?\s|\n)")
_NEXT_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]?(?=\s)|\n")
_SPACES = re.compile(r"\s+")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence (or sentences) holding text[start:end] begins and ends: from the first character after
    the previous sentence's end and its space, to the end of its own closing punctuation (and quote or bracket)."""
    left, window = max(0, start - WINDOW), WINDOW
    while True:
        m = _LAST_END.match(text, left, start)
        if m is not None:
            lo = m.end()
            break
        if left == 0:
            lo = 0
            break
        window *= 4
        left = max(0, start - window)
    m = _NEXT_END.search(text, max(end - 1, 0))
    hi = len(text) if m is None else m.end() if m.group() != "\n" else m.start()
    return lo, max(hi, end)


def quote(text: str, start: int, end: int, cap: int = QUOTE_CAP) -> Quote:
    """The sentence holding the span, split around it, white space made single spaces. A sentence longer than
    ``cap`` characters on a side is cut there at a word, with an ellipsis saying so."""
    return Quote(*quote_in(text, *sentence_around(text, start, end), start, end, cap))


def quote_in(text: str, lo: int, hi: int, start: int, end: int, cap: int = QUOTE_CAP) -> tuple[str, str, str]:
    """``quote`` of the span in the sentence text[lo:hi], already found, as (before, the span, after): the pass
    makes a Quote only of the rows it keeps."""
    before = text[lo:start].lstrip()
    after = text[end:hi]
    if len(before) > cap:
        before = before[-cap:]
        cut = before.find(" ")  # the first word is likely cut: drop it
        before = "…" + (before[cut + 1:] if 0 <= cut < len(before) - 1 else before)
    if len(after) > cap:
        after = after[:cap]
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return _squash(before), _squash(text[start:end]).strip(), _squash(after)


def _squash(s: str) -> str:
    # most quotations hold single spaces only: four scans in C are cheaper than a substitution that changes nothing
    return _SPACES.sub(" ", s) if ("  " in s or "\n" in s or "\t" in s or "\r" in s) else s
