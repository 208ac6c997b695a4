"""The spancat's span suggester, fitted to the reviewers' spans (registered with spaCy as ``SUGGESTER``).

spaCy's n-gram suggester proposes every window of the given sizes: fine for names and figures (1 to 8 tokens),
but a COMMITMENT clause of 25 tokens would need every window of every size up to 25, about 25 times the
candidates and the training time, most of them crossing clause and sentence boundaries no reviewer would tag.
So the suggester proposes:

- every n-gram of the sizes the short spans (at most ``SHORT`` tokens) of the training data have, as before;
- for the long spans, clauses: runs of tokens that begin where the training data's long spans began (at the start
  of a sentence, or after a word or mark that came just before one: "said", "that", a comma) and end where they
  ended (before a word or mark that came after one, or after a final mark one ended with), with a length between
  the shortest and the longest long span seen (with a little slack), inside one sentence unless a tagged span
  crossed one.

Training fits these cues (``fit``) and stores them in the spancat's config, so the saved pipeline suggests the
same candidates when loaded: whoever loads it must call ``register()`` first (the "model" source and the
installed-pipeline source do).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Optional, Sequence

SUGGESTER = "annotator.clause_suggester.v1"
SHORT = 8           # n-grams up to this many tokens; longer spans are clauses
LONGEST = 80        # a longer tagged span (a paragraph) is not learnt
SENTENCE_ENDS = {".", "!", "?"}
SLACK = 2           # tokens shorter and longer than the tagged clauses that are still proposed


def _is_break(token) -> bool:
    return token.text in SENTENCE_ENDS or (token.is_space and "\n" in token.text)


def _encode(words: set) -> list[str]:
    return sorted(w.encode("utf-8").hex() for w in words)


def _decode(words: Sequence[str]) -> set[str]:
    return {bytes.fromhex(w).decode("utf-8") for w in words}


def fit(spans: Iterable) -> dict:
    """The suggester's settings for spaCy Spans (the training data's, token-aligned)."""
    sizes, long_sizes, after, before, ends_with = set(), [], set(), set(), set()
    crosses = False
    for span in spans:
        n = len(span)
        if n <= SHORT:
            sizes.add(n)
            continue
        long_sizes.append(n)
        doc = span.doc
        if span.start > 0 and not doc[span.start - 1].is_space:  # (after a line break: a sentence start)
            after.add(doc[span.start - 1].lower_)
        last = span[-1]
        if not last.is_alpha and not last.is_digit:
            ends_with.add(last.lower_)          # a clause tagged with its full stop
        if span.end < len(doc) and not doc[span.end].is_space:
            before.add(doc[span.end].lower_)
        crosses = crosses or any(_is_break(t) for t in span[:-1])
    return {
        "sizes": sorted(sizes) or [1],
        "long_min": max(SHORT + 1, min(long_sizes) - SLACK) if long_sizes else 0,
        "long_max": max(long_sizes) + SLACK if long_sizes else 0,
        # the cue words as hex: spaCy keeps the settings in a config file, where "$" or "${" in a word ("US$")
        # would be read as a variable
        "starts_after": _encode(after),
        "ends_before": _encode(before),
        "ends_with": _encode(ends_with),
        "cross_sentences": crosses,
    }


def _clauses(doc, long_min: int, long_max: int, after: set, before: set, ends_with: set, crosses: bool):
    n = len(doc)
    starts = [i for i in range(n) if not doc[i].is_space and (
        i == 0 or _is_break(doc[i - 1]) or doc[i - 1].lower_ in after)]
    ends = {e for e in range(1, n + 1) if not doc[e - 1].is_space and (
        e == n or doc[e].lower_ in before or _is_break(doc[e]) or doc[e - 1].lower_ in ends_with)}
    breaks = [i for i in range(n) if _is_break(doc[i])]
    out = []
    for s in starts:
        stop = min(n, s + long_max)
        if not crosses:  # a clause ends at the sentence's end (with its mark at most)
            k = bisect_left(breaks, s)
            stop = min(stop, (breaks[k] if k < len(breaks) else n) + 1)
        for e in range(s + long_min, stop + 1):
            if e in ends:
                out.append((s, e))
    return out


def suggest(docs, *, sizes: Sequence[int], long_min: int, long_max: int, starts_after: Sequence[str],
            ends_before: Sequence[str], ends_with: Sequence[str], cross_sentences: bool, ops=None):
    from thinc.api import get_current_ops
    from thinc.types import Ragged

    ops = ops or get_current_ops()
    xp = ops.xp
    after, before, ends = _decode(starts_after), _decode(ends_before), _decode(ends_with)
    blocks, lengths = [], []
    for doc in docs:
        n, length = len(doc), 0
        starts = xp.arange(n, dtype="i").reshape((-1, 1))
        for size in sizes:
            if size <= n:
                block = starts[: n - (size - 1)]
                blocks.append(xp.hstack((block, block + size)))
                length += block.shape[0]
        if long_max:
            clauses = _clauses(doc, long_min, long_max, after, before, ends, cross_sentences)
            if clauses:
                blocks.append(xp.asarray(clauses, dtype="i"))
                length += len(clauses)
        lengths.append(length)
    data = xp.vstack(blocks) if blocks else xp.zeros((0, 2), dtype="i")
    return Ragged(data, ops.asarray1i(lengths))


_registered = False


def register() -> None:
    """Make the suggester known to spaCy (before building or loading a pipeline that names it); once is enough."""
    from functools import partial

    from spacy.util import registry

    global _registered
    if _registered:
        return
    _registered = True

    @registry.misc(SUGGESTER)
    def build(sizes: list, long_min: int = 0, long_max: int = 0, starts_after: Optional[list] = None,
              ends_before: Optional[list] = None, ends_with: Optional[list] = None, cross_sentences: bool = False):
        return partial(suggest, sizes=sizes, long_min=long_min, long_max=long_max, starts_after=starts_after or [],
                       ends_before=ends_before or [], ends_with=ends_with or [], cross_sentences=cross_sentences)

