"""Finding tagged surfaces again in a text: case-sensitively, on word boundaries, longest first.

The consistency review (curation/consistency.py) and the corpus suggestions (suggest/corpus.py) both ask "where
else does this exact text occur?", and must give the same answer, so the matching lives here, below both.

A surface that begins or ends with a letter or digit must not continue a word there: ``UN`` is not found in
``UNODC``, but is in ``UN’s``. At each position the longest surface is found first, then the shorter surfaces
that are its prefixes (``UN`` inside ``UN office``), each on a word boundary too.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

_WORD = re.compile(r"\w")
CHUNK = 5000  # surfaces per compiled pattern: compiling is quicker in parts


def surface_pattern(surfaces: Iterable[str]) -> re.Pattern:
    """One regular expression that finds, at each position, the longest surface that begins there on a word
    boundary and ends on one: a trie, so the engine walks it a character at a time."""
    trie: dict = {}
    for s in surfaces:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict, last: str | None) -> str:
        alternatives = [re.escape(ch) + build(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:  # a surface ends here: after the longer ones, with its end boundary
            alternatives.append(r"(?!\w)" if last is not None and _WORD.match(last) else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    word_first = {ch: child for ch, child in trie.items() if _WORD.match(ch)}
    other_first = {ch: child for ch, child in trie.items() if not _WORD.match(ch)}
    parts = []
    if word_first:
        parts.append(r"(?<!\w)" + build(word_first, None))
    if other_first:
        parts.append(build(other_first, None))
    return re.compile("(?=(" + "|".join(parts) + "))")


class SurfaceFinder:
    """Compiled once for a set of surfaces; ``find(text)`` yields every (surface, start, end) occurrence."""

    def __init__(self, surfaces: Iterable[str]):
        surfaces = list(dict.fromkeys(s for s in surfaces if s))
        self.parts: list[tuple[re.Pattern, dict[str, list[str]]]] = []
        for i in range(0, len(surfaces), CHUNK):
            chunk = surfaces[i:i + CHUNK]
            known = set(chunk)
            shorter = {s: [s[:k] for k in range(1, len(s)) if s[:k] in known] for s in chunk}
            self.parts.append((surface_pattern(chunk), shorter))

    def __bool__(self) -> bool:
        return bool(self.parts)

    def find(self, text: str) -> Iterator[tuple[str, int, int]]:
        for pattern, shorter in self.parts:
            for m in pattern.finditer(text):
                start, longest = m.start(), m.group(1)
                for surface in (longest, *shorter[longest]):
                    end = start + len(surface)
                    if surface is not longest and _WORD.match(surface[-1]) and end < len(text) and _WORD.match(text[end]):
                        continue  # a shorter surface must end on a word boundary too
                    yield surface, start, end
