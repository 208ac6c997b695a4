"""Token categories for agreement: each token of our tokenizer gets, per reviewer, the labels of the spans that
cover it (``O`` if none; several labels make one combined category, names sorted and joined with ``+``).

A token is covered by a span when they share a character. Most tokens are covered by no span, so:

- the tokens of a document are only counted (the compiled scanner, about 20 µs for a 4 KB article; where it was
  not built, a whitespace-separated chunk at a time, each distinct chunk tokenized once: tokens never cross
  whitespace and nothing in the tokenizer looks past it, so a chunk holds exactly the tokens the whole text has
  there; ``tests/curation/test_tokens.py`` checks both ways against ``tokenize``);
- only the stretches of text around spans, widened to whitespace, are tokenized to find their categories; the
  other tokens are all ``O`` for everyone and are only counted.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..core.tokenize import COMPILED, token_arrays, tokenize

O: tuple = ()  # the category of a token no span covers


def category_name(category: tuple[str, ...]) -> str:
    return "+".join(category) if category else "O"


class _ChunkCounts(dict):
    """Token count of each whitespace-free chunk, computed once."""

    LIMIT = 500_000

    def __missing__(self, chunk: str) -> int:
        if len(self) > self.LIMIT:
            self.clear()
        n = self[chunk] = len(tokenize(chunk))
        return n


_chunk_counts = _ChunkCounts()


def count_tokens(text: str) -> int:
    """``len(tokenize(text))``, without making the tokens."""
    if COMPILED:
        return len(token_arrays(text, with_texts=False).flags)
    return count_tokens_by_chunks(text)


def count_tokens_by_chunks(text: str) -> int:
    """The same with the regular expression: several times faster than tokenizing the whole text."""
    return sum(map(_chunk_counts.__getitem__, text.split()))


def windows(text: str, ranges) -> list[tuple[int, int]]:
    """The stretches of ``text`` that hold every token touching one of ``ranges`` (start, end): the ranges merged,
    widened to whitespace on both sides, and merged again. Sorted, disjoint."""
    out: list[list[int]] = []
    n = len(text)
    for start, end in sorted(ranges):
        left = start
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        right = end
        while right < n and not text[right].isspace():
            right += 1
        if out and left <= out[-1][1]:
            if right > out[-1][1]:
                out[-1][1] = right
        else:
            out.append([left, right])
    return [(a, b) for a, b in out]


def document_profiles(
    text: str, spans: Sequence[Sequence[tuple[int, int, str]]], profiles: Counter | None = None
) -> Counter:
    """Count, over the tokens of one document, each tuple of categories (one per reviewer, in the order of
    ``spans``, which holds each reviewer's (start, end, label) list). Adds to ``profiles`` if given."""
    profiles = Counter() if profiles is None else profiles
    k = len(spans)
    everyone = [s for mine in spans for s in mine]
    total = count_tokens(text)
    if not everyone:
        profiles[(O,) * k] += total
        return profiles
    covered = 0
    tagged = sorted(((s[0], s[1], s[2], who) for who, mine in enumerate(spans) for s in mine))
    i, m = 0, len(tagged)
    for left, right in windows(text, [(s[0], s[1]) for s in tagged]):
        inside = []
        while i < m and tagged[i][0] < right:
            inside.append(tagged[i])
            i += 1
        tokens = tokenize(text[left:right])
        covered += len(tokens)
        for t in tokens:
            ts, te = t.start + left, t.end + left
            labels: list[set] = [set() for _ in range(k)]
            for s, e, label, who in inside:
                if s < te and ts < e:
                    labels[who].add(label)
            profiles[tuple(tuple(sorted(l)) for l in labels)] += 1
    profiles[(O,) * k] += total - covered
    return profiles


def token_categories(text: str, spans: Sequence[Sequence[tuple[int, int, str]]]) -> list[tuple[str, ...]]:
    """Every token's category name per reviewer, the plain way (one tuple per token): for tests and small uses."""
    out = []
    for t in tokenize(text):
        out.append(tuple(
            category_name(tuple(sorted({label for s, e, label in mine if s < t.end and t.start < e})))
            for mine in spans
        ))
    return out
