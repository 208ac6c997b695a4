"""Words as a reviewer sees them, for snapping selections and for growing or shrinking a span a word at a time.

The tokenizer splits "Al-Nasser" into "Al", "-", "Nasser" and "(IOM)" into three tokens, which is right for
token formats but not for a reviewer: a selection that ends inside "Al-Nasser" means the whole name, and a step
past "Migration" means "(IOM)", not a lone "(". Here a hyphenated or apostrophised name is one word, and a
bracketed or quoted group on the same line (up to ``GROUP_LIMIT`` characters) is one step.
"""
from __future__ import annotations

from .tokenize import between_spaces, snap_to_tokens, tokenize

JOINERS = "-\u2010\u2011\u2013'\u2019"  # inside a name: Al-Nasser, Ki-moon, 2023–2024, O'Brien
PAIRS = {"(": ")", "[": "]", "{": "}", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", '"': '"'}
CLOSERS = {v: k for k, v in PAIRS.items()}
GROUP_LIMIT = 200
WINDOW = 400  # how far around a span the text is looked at (tokens never cross whitespace)


def _words(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text``: tokens, with names joined across hyphens and apostrophes."""
    out: list[tuple[int, int]] = []
    tokens = tokenize(text)
    i = 0
    while i < len(tokens):
        start, end = tokens[i].start, tokens[i].end
        while (i + 2 < len(tokens) and tokens[i + 1].text in JOINERS and len(tokens[i + 1].text) == 1
               and tokens[i + 1].start == end and tokens[i + 2].start == tokens[i + 1].end
               and text[end - 1].isalnum() and tokens[i + 2].text[0].isalnum()):
            end = tokens[i + 2].end
            i += 2
        out.append((start + offset, end + offset))
        i += 1
    return out


def _group_end(text: str, at: int, limit: int) -> int | None:
    """Where the bracket or quote opening at ``at`` closes (one past its closer), on the same line; else None."""
    opener = text[at]
    closer = PAIRS.get(opener)
    if closer is None:
        return None
    depth = 0
    for i in range(at + 1, min(len(text), at + 1 + GROUP_LIMIT, limit)):
        c = text[i]
        if c == "\n":
            return None
        if c == closer and depth == 0:
            return i + 1
        if c == opener and opener != closer:
            depth += 1
        elif c == closer:
            depth -= 1
    return None


def _group_start(text: str, end: int, limit: int) -> int | None:
    """Where the group closing just before ``end`` opens; else None."""
    closer = text[end - 1]
    opener = CLOSERS.get(closer)
    if opener is None:
        return None
    depth = 0
    for i in range(end - 2, max(-1, end - 2 - GROUP_LIMIT, limit - 1), -1):
        c = text[i]
        if c == "\n":
            return None
        if c == opener and depth == 0:
            return i
        if c == closer and opener != closer:
            depth += 1
        elif c == opener:
            depth -= 1
    return None


def _steps_inside(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The steps a span is made of, left to right: words, with bracketed or quoted groups as one step."""
    words = _words(text[start:end], start)
    steps: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        a, b = words[i]
        close = _group_end(text, a, end) if b - a == 1 else None
        if close is not None:
            while i + 1 < len(words) and words[i + 1][0] < close:
                i += 1
            b = close
        steps.append((a, b))
        i += 1
    return steps


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words (a name across its hyphens whole); whitespace around it is dropped."""
    start, end = snap_to_tokens(text, start, end)
    if start >= end or text[start:end].isspace():
        return start, end
    left, right = between_spaces(text, start, end)
    for a, b in _words(text[left:right], left):
        if a < start < b:
            start = a
        if a < end < b:
            end = b
    return start, end


def step(text: str, start: int, end: int, edge: str, direction: int) -> tuple[int, int]:
    """Move one edge of ``[start, end)`` by a step: outward (start -1, end +1) grows it, inward shrinks it. A step
    never leaves a span empty, and never takes a lone bracket or quote."""
    if edge == "end" and direction > 0:
        right = min(len(text), end + WINDOW)
        words = [w for w in _words(text[end:right], end) if w[0] >= end]
        if words:
            a, b = words[0]
            close = _group_end(text, a, right) if b - a == 1 else None
            if close is not None:
                b = close
            elif b - a == 1 and text[a] in PAIRS and len(words) > 1 and words[1][0] == b:
                b = words[1][1]  # an unclosed bracket goes with the word it opens
            end = b
    elif edge == "start" and direction < 0:
        left = max(0, start - WINDOW)
        words = [w for w in _words(text[left:start], left) if w[1] <= start]
        if words:
            a, b = words[-1]
            opened = _group_start(text, b, left) if b - a == 1 else None
            if opened is not None:
                a = opened
            elif b - a == 1 and text[a] in CLOSERS and len(words) > 1 and words[-2][1] == a:
                a = words[-2][0]
            start = a
    else:
        steps = _steps_inside(text, start, end)
        if len(steps) > 1:
            if edge == "end":
                end = steps[-2][1]
            else:
                start = steps[1][0]
    return start, end
