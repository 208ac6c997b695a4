"""CoNLL 2003 / IOB2: one token a line (``token _ _ TAG``: four columns as CoNLL 2003 has them, ``_`` for the
part-of-speech and chunk tags we do not have, as CoNLL-U writes "none"; readers take the first column and the last),
a blank line between paragraphs, ``-DOCSTART- -X- O O`` before each document (the line ``spacy convert`` splits
documents at; readers skip any line that starts with ``-DOCSTART-``). The tokens are the source's own
for a document imported with tokens (a CoNLL file, spaCy JSONL, ``.spacy``), else our tokenizer's; documents go
out in the order they came in, so a CoNLL file imported and exported again gives its tokens and tags back, line
for line. A label with spaces is written with ``_`` for them (a column cannot hold a space), counted as adjusted.

A token can carry one tag, so of overlapping or nested spans only the outermost (earliest, longest) is written and
the others are counted as lost; a span that starts or ends inside a token is widened to whole tokens and counted
as adjusted. CoNLL keeps tokens and tags only: titles, metadata, notes and the exact spacing of the text are not
kept (on import, tokens are joined by single spaces, CJK text by nothing, and sentences by line breaks).
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..core.doc_tokens import document_tokens
from ..core.tokenize import _CJK as CJK_CLASS, LINE_BREAK_BEFORE, TokenArrays, token_arrays
from .common import count_losses, make_record, overlapping
from .links import count_lost

NAME = "conll"
NAMES_REVIEWERS = False  # its spans get the importing reviewer (--annotator), and the report says so
DESCRIPTION = "CoNLL 2003 / IOB2 (token per line, -DOCSTART- between documents)"
SUFFIXES = (".conll", ".iob", ".iob2", ".bio")
DOCSTART = "-DOCSTART-"
# Scripts written without spaces between words, with their punctuation (《》、。，！ and the full-width forms);
# Korean writes spaces between words, so Hangul is not among them.
_UNSPACED = re.compile(f"[{CJK_CLASS}\u3000-\u303f\uff00-\uffef]")
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def _separator_rule(lines: list[tuple[int, str]]):
    """How the document's tokens are joined: a file with a character a line (Chinese NER corpora: MSRA, Weibo,
    Resume) was cut from text without spaces, so nothing goes between them, Latin letters and digits included;
    otherwise nothing between two tokens of unspaced scripts (``美国《时代》周刊``) and a space elsewhere."""
    firsts = [cols[0] for cols in (line.split() for _, line in lines) if cols]
    if firsts and all(len(t) == 1 for t in firsts) and any(_UNSPACED.match(t) and not _HANGUL.match(t) for t in firsts):
        return lambda before, after: ""

    def unspaced(ch: str) -> bool:
        return bool(_UNSPACED.match(ch)) and not _HANGUL.match(ch)

    return lambda before, after: "" if unspaced(before[-1]) and unspaced(after[0]) else " "


# Names CoNLL files go by besides ours (CoNLL 2003's eng.train/eng.testa, MSRA's .bmes, flair's .txt and .tsv):
# a file with one of them is taken for CoNLL when its content says so.
CONTENT_SUFFIXES = (".txt", ".train", ".dev", ".test", ".testa", ".testb", ".bmes", ".bioes", ".tsv", ".conll2003",
                    ".conllx", ".ner", ".data", "")
_TAG = re.compile(r"^(?:O|[BIESMUL]-\S+)$")


def sniff(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return True
    return suffix in CONTENT_SUFFIXES and looks_like_conll(path)


def looks_like_conll(path: Path, sample: int = 200) -> bool:
    """A token a line with a tag in the last column (``O``, ``B-X`` ...), or a ``-DOCSTART-`` line first: judged
    on the first lines, so a prose ``.txt`` (whose lines do not all end in a tag) is never taken for it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)  # a bounded read: a prose .txt may be one line of megabytes
        cut = len(head) == 1 << 16
        text = head.decode("utf-8", errors="ignore" if cut else "strict")
    except (OSError, UnicodeDecodeError):
        return False
    lines = text.split("\n")
    if cut:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines if line.strip()][:sample]
    if not lines:
        return False
    if lines[0].startswith(DOCSTART):
        return True
    for k in (-1, -2):  # tags last, or before flair's space-after column
        columns = [line.split() for line in lines]
        if all(len(c) > -k and _TAG.match(c[k]) for c in columns) and any(c[k] != "O" for c in columns):
            return True
    # spaCy's .iob, a sentence a line of word|POS|TAG
    return all(all("|" in t and _TAG.match(t.rsplit("|", 1)[1]) for t in line.split()) for line in lines)


# -- writing ----------------------------------------------------------------------------------------------------

_LINE_BREAKS = bytes(0x0A if f & LINE_BREAK_BEFORE else 0 for f in range(256))


_O = " _ _ O\n"
ORDER = "imported"  # documents in the order they came in (the source file's), not by id


def column_label(label: str, report=None) -> str:
    """A label as one whitespace-free column: spaces become ``_`` (counted as adjusted)."""
    if not any(c.isspace() for c in label):
        return label
    if report is not None:
        report.adjust("spans whose label has spaces (written with _ for them)")
    return "_".join(label.split())


def conll_block(text: str, spans, report=None, tokens: TokenArrays | None = None) -> str:
    """The lines of one document after its -DOCSTART- line: ``token -X- _ TAG`` per token, IOB2 tags, a blank
    line at each paragraph break.

    Most tokens are outside spans and not before a break: their lines are made by joining runs of tokens with
    the ``O`` suffix, so a 4 KB article costs a few joins rather than a formatted string per token."""
    starts, ends, texts, flags = tokens or token_arrays(text)
    kept, dropped = overlapping([s for s in spans if not s.deleted])
    if report is not None and dropped:
        report.lose("overlapping or nested spans (a CoNLL token has one tag)", len(dropped))
    suffix: dict[int, str] = {}  # token index -> the end of its line, where it is not _O
    for s in kept:
        first = bisect.bisect_right(ends, s.start)  # the first token that ends after the span starts
        last = bisect.bisect_left(starts, s.end) - 1  # the last token that starts before the span ends
        if first > last:
            continue
        if report is not None and (starts[first] != s.start or ends[last] != s.end):
            report.adjust("spans widened to whole tokens")
        label = column_label(s.label, report)
        suffix[first] = f" _ _ B-{label}\n"
        inside = f" _ _ I-{label}\n"
        for k in range(first + 1, last + 1):
            suffix[k] = inside
    breaks = flags.translate(_LINE_BREAKS)
    k = breaks.find(10, 1)
    while k > 0:
        suffix[k - 1] = suffix.get(k - 1, _O) + "\n"
        k = breaks.find(10, k + 1)
    pieces, done = [], 0
    for k in sorted(suffix):
        if k > done:
            pieces += (_O.join(texts[done:k]), _O)
        pieces += (texts[k], suffix[k])
        done = k + 1
    if done < len(texts):
        pieces += (_O.join(texts[done:]), _O)
    return "".join(pieces)


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    report = options.report if options is not None else None
    n = 0
    for rec in records:
        if report is not None:
            count_losses(rec, report)
            if rec.relations or rec.attributes:
                count_lost(rec, report, fmt="CoNLL")
        out.write(f"{DOCSTART} -X- O O\n\n")  # as spaCy's converter splits documents
        doc = rec.document
        out.write(conll_block(doc.text, rec.spans, report, document_tokens(doc.text, doc.meta)))
        out.write("\n")
        n += 1
    if report is not None and n:
        report.notes.append("CoNLL keeps tokens and tags only: titles, metadata and the exact spacing are not written")
    return n


# -- reading ----------------------------------------------------------------------------------------------------

def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    annotator = (options.annotator if options else "") or "import"
    doc_lines: list[tuple[int, str]] = []
    start_line = 1
    with open(path, encoding="utf-8", errors="strict") as fh:
        try:
            for number, line in enumerate(fh, 1):
                if options is not None and options.progress:
                    options.progress(len(line.encode("utf-8")))
                if line.startswith(DOCSTART):
                    if any(l.strip() for _, l in doc_lines):
                        yield _document(path, doc_lines, start_line, annotator)
                    doc_lines, start_line = [], number
                    continue
                doc_lines.append((number, line.rstrip("\r\n")))
        except UnicodeDecodeError as exc:
            yield InputError(f"not valid UTF-8 ({exc.reason})", str(path))
            return
    if any(l.strip() for _, l in doc_lines):
        yield _document(path, doc_lines, start_line, annotator)


def _document(path: Path, lines: list[tuple[int, str]], start_line: int, annotator: str):
    try:
        return _parse(lines, annotator, start_line)
    except InputError as exc:
        return exc.at(str(path), exc.line or start_line)


def _sentence_per_line(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """spaCy's ``.iob`` with a sentence a line (``word|POS|TAG`` or ``word|TAG`` tokens, as ``spacy convert``
    reads) as a token a line, a blank line after each sentence; other files as they are."""
    rows = [(n, line.split()) for n, line in lines if line.strip()]
    if not rows or not all(all("|" in t and _TAG.match(t.rsplit("|", 1)[1]) for t in cols) for _, cols in rows):
        return lines
    out: list[tuple[int, str]] = []
    for n, cols in rows:
        out += [(n, f"{t.split('|')[0]} {t.rsplit('|', 1)[1]}") for t in cols] + [(n, "")]
    return out


def _tag_column(lines: list[tuple[int, str]]) -> int:
    """The column holding the tags, counted from the right: the last one, or the one before a column that is not
    tags (flair's files may end in a space-after column of ``+`` and ``-``)."""
    rows = [line.split() for _, line in lines if line.strip()]
    for k in (-1, -2):
        if rows and all(len(c) > -k and _TAG.match(c[k]) for c in rows):
            return k
    return -1


def _parse(lines: list[tuple[int, str]], annotator: str, start_line: int) -> DocumentRecord:
    lines = _sentence_per_line(lines)
    tag_at = _tag_column(lines)
    pieces: list[str] = []
    bounds: list[tuple[int, int]] = []
    between = _separator_rule(lines)
    pos = 0
    spans: list[list] = []
    open_span: list | None = None
    pending_break = False
    for number, line in lines:
        cols = line.split()
        if not cols:
            pending_break = bool(pieces)
            open_span = None if open_span is None else _close(open_span, spans)
            continue
        if len(cols) < 2:
            raise InputError(f"a token line needs a token and a tag, got {line!r}", line=number)
        token, tag = cols[0], cols[tag_at]
        if pieces:
            sep = "\n" if pending_break else between(pieces[-1], token)
            pieces.append(sep)
            pos += len(sep)
        pending_break = False
        start = pos
        pieces.append(token)
        pos += len(token)
        bounds.append((start, pos))
        if tag == "O":
            open_span = None if open_span is None else _close(open_span, spans)
            continue
        if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BIESUML":
            raise InputError(f"tag {tag!r} is not O or B-/I-/E-/S- (BIOES, BMES, BILOU) followed by a label",
                             line=number)
        kind, label = tag[0], tag[2:]
        if kind in "BSU" or open_span is None or open_span[2] != label:
            if open_span is not None:
                _close(open_span, spans)
            open_span = [start, pos, label]
        else:
            open_span[1] = pos
        if kind in "ESUL":
            open_span = _close(open_span, spans)
    if open_span is not None:
        _close(open_span, spans)
    text = "".join(pieces)
    return make_record(text, [tuple(s) for s in spans], annotator=annotator, line=start_line, tokens=bounds)


def _close(span: list, spans: list) -> None:
    spans.append(span)
    return None
