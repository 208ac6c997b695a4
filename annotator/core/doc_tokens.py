"""The tokens a document is exported with in the token formats (CoNLL, spaCy JSONL, DocBin).

A document imported from a file that had its own tokens (a CoNLL file, spaCy JSONL ``tokens``, a ``.spacy`` Doc)
keeps them: ``AL-AIN``, ``n’t``, ``Corp.`` or ``1945-1990`` stay as the source cut them, so a round trip gives
the source's tokens back and an evaluation tool can score the export against the original. They are kept in the
document's metadata under ``source_tokens`` as ``[start, end]`` code-point pairs, and only where they differ from
what our tokenizer makes of the text. Every other document gets our tokenizer's tokens.

``spacy_whitespace`` adds the tokens spaCy makes of whitespace: after a token, one space is its ``whitespace_``;
any other whitespace up to the next token (a line break, a run of spaces, a tab) is a token of its own. The
tokens and their flags then rebuild the text exactly, as ``Doc(words, spaces)`` does.
"""
from __future__ import annotations

import bisect
import re
from array import array

from .tokenize import LINE_BREAK_BEFORE, WS_AFTER, TokenArrays, token_arrays

KEY = "source_tokens"


def keep_source_tokens(text: str, bounds: list[tuple[int, int]]) -> list[list[int]] | None:
    """What to store under ``meta[KEY]`` for a document whose source had these tokens (code points into the
    stored text; whitespace-only tokens dropped, spaCy's whitespace tokens are made again on export): None where
    they are our tokenizer's tokens anyway, or not a usable tokenization."""
    kept = [[a, b] for a, b in bounds if b > a and not text[a:b].isspace()]
    if not _valid(text, kept):
        return None
    ours = token_arrays(text, with_texts=False)
    if len(ours.starts) == len(kept) and all(
            ours.starts[i] == a and ours.ends[i] == b for i, (a, b) in enumerate(kept)):
        return None
    return kept


def _valid(text: str, bounds) -> bool:
    """Ascending, non-empty, within the text, and only whitespace between and around them."""
    previous = 0
    for pair in bounds:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            return False
        a, b = pair
        if not (isinstance(a, int) and isinstance(b, int) and previous <= a < b <= len(text)):
            return False
        if a > previous and not text[previous:a].isspace():
            return False
        previous = b
    return previous == len(text) or text[previous:].isspace()


def document_tokens(text: str, meta: dict | None, with_texts: bool = True) -> TokenArrays:
    """The source's tokens where the document kept them (and they still fit its text), else ours."""
    kept = (meta or {}).get(KEY)
    if not kept or not _valid(text, kept):
        return token_arrays(text, with_texts)
    starts = array("q", (a for a, _ in kept))
    ends = array("q", (b for _, b in kept))
    flags = bytearray(len(kept))
    n, previous = len(text), 0
    for i, (a, b) in enumerate(kept):
        flags[i] = (WS_AFTER if b < n and text[b].isspace() else 0) | (
            LINE_BREAK_BEFORE if i and "\n" in text[previous:a] else 0)
        previous = b
    texts = [text[a:b] for a, b in kept] if with_texts else None
    return TokenArrays(starts, ends, texts, bytes(flags))


# Whitespace that is not the single space after a token: a run holding anything but a space, or two or more
# spaces (a run is matched from its first character, as a run can only start after a token). A single space at
# the very start of the text is looked at apart. (Of the ways tried, this pattern scans a 4 KB article fastest.)
_IRREGULAR = re.compile(r"[^\S ]\s*| \s+")
_ASCII_OTHER_SPACE = "\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f"  # str.isspace in ASCII, but the space


def spacy_whitespace(text: str, tokens: TokenArrays) -> tuple[array, array, bytes]:
    """Starts, ends and flags of the tokens plus spaCy's whitespace tokens; ``flags & WS_AFTER`` is spaCy's
    ``whitespace_`` (exactly one space after the token). Most texts need no change but at their line breaks, so
    only those places are visited."""
    starts, ends, flags = tokens.starts, tokens.ends, tokens.flags
    if text.isascii() and text[:1] != " " and "  " not in text and not any(c in text for c in _ASCII_OTHER_SPACE):
        return starts, ends, flags  # the common case, told by a few scans in C: every gap is one space
    runs = [m.span() for m in _IRREGULAR.finditer(text)]
    if text[:1] == " " and (not runs or runs[0][0] != 0):
        runs.insert(0, (0, 1))  # a lone space before the first token is a token of its own
    if not runs:
        return starts, ends, flags
    out_s, out_e, out_f = array("q"), array("q"), bytearray()  # arrays: slices of the input append in C
    done = 0
    for a, b in runs:
        k = bisect.bisect_left(starts, b)  # the first token after the run
        out_s += starts[done:k]
        out_e += ends[done:k]
        out_f += flags[done:k]
        done = k
        if a > 0 and text[a] == " ":
            a += 1  # the token before has this space as its whitespace_
        elif out_f:
            out_f[-1] &= ~WS_AFTER  # a line break or a tab after a token is not spaCy's whitespace_
        out_s.append(a)
        out_e.append(b)
        out_f.append(0)
    out_s += starts[done:]
    out_e += ends[done:]
    out_f += flags[done:]
    return out_s, out_e, bytes(out_f)
