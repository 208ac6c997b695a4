"""brat standoff: a folder of ``NAME.txt`` (the text) and ``NAME.ann`` pairs. ``T`` lines are spans
(``T1<TAB>LABEL START END<TAB>text``), ``#`` lines are notes (``#1<TAB>AnnotatorNotes T1<TAB>note``).

Offsets are characters of the ``.txt`` (we write code points; a ``.txt`` with ``\\r\\n`` is read with its offsets
moved to the normalised text). A discontinuous span (``START END;START END``) is read as one span per fragment,
with the same label, and the import says how many it split. Relations, events and attributes are not imported,
and counted. brat has no place for review statuses or reviewer names: export counts them as lost.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator

from ..core.errors import InputError
from ..core.labels import name_problem
from ..core.model import DocumentRecord
from ..core.text import decode, normalise_with_offsets
from .background_writer import BackgroundFiles
from .common import count_losses, make_record, safe_file_name

NAME = "brat"
NAMES_REVIEWERS = False  # its spans get the importing reviewer (--annotator), and the report says so
DESCRIPTION = "brat standoff: a folder of .txt and .ann pairs (T lines, # notes)"
SUFFIXES = (".txt", ".ann")
WRITES_FOLDER = True
_T = re.compile(r"^(T\d+)\t(\S+) ([0-9]+ [0-9]+(?:;[0-9]+ [0-9]+)*)\t?(.*)$")  # ASCII digits, as brat writes
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")


def sniff(path: Path) -> bool:
    if path.suffix.lower() == ".txt":
        return path.with_suffix(".ann").is_file()
    return False


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    txt, ann = (path.with_suffix(".txt"), path) if path.suffix == ".ann" else (path, path.with_suffix(".ann"))
    annotator = (options.annotator if options else "") or "import"
    try:
        data = txt.read_bytes()
        decode(data, "utf-8")  # a bad byte is named before anything else is read
    except FileNotFoundError:
        yield InputError("no .txt file beside this .ann file", str(ann))
        return
    except ValueError as exc:
        yield InputError(str(exc), str(txt))
        return
    raw_text = data.decode("utf-8").lstrip("\ufeff")
    spans: dict[str, list] = {}
    notes: dict[str, str] = {}
    skipped = fragments = 0
    try:
        # lines end at \n only, as brat reads them: a span's text may hold \f, \v, U+0085, U+2028 ... (splitlines
        # would cut its T line there)
        lines = [l.rstrip("\r") for l in ann.read_bytes().decode("utf-8-sig").split("\n")] if ann.is_file() else []
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        yield InputError(f"not valid UTF-8 at byte {exc.start}: brat writes its .ann files in UTF-8", str(ann), line)
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.startswith("T"):
            m = _T.match(line)
            if not m:
                yield InputError(f"a T line must read 'T<n><TAB>LABEL START END<TAB>text', got {line[:60]!r}", str(ann), number)
                return
            tid, label, ranges, stated = m.groups()
            problem = name_problem(label)
            if problem:  # a brat type name may be longer than a label may be: named here, with its .ann line
                yield InputError(problem, str(ann), number)
                return
            if max(map(len, re.split("[ ;]", ranges))) > 18:  # more than any text's length (int() stops at 4,300)
                yield InputError(f"an offset of {ranges[:40]!r} has more digits than any text has characters", str(ann), number)
                return
            parts = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
            if len(parts) > 1:
                fragments += 1
            for k, (start, end) in enumerate(parts):
                key = tid if len(parts) == 1 else f"{tid}.{k}"
                # the stated text of a discontinuous span joins its fragments with spaces: check whole spans only
                spans[key] = [start, end, label, stated if len(parts) == 1 else None, number]
        elif line.startswith("#"):
            m = _NOTE.match(line)
            if m:
                notes[m.group(1)] = m.group(2)
        else:
            skipped += 1
    text_n, remap = normalise_with_offsets(raw_text)
    items = []
    for key, (start, end, label, stated, number) in spans.items():
        tid = key.split(".")[0]
        if stated is not None and remap is not None:
            covered = text_n[remap(start):remap(end)]
        else:
            covered = raw_text[start:end]
        if stated is not None and covered.replace("\n", " ") == stated.replace("\n", " "):
            stated = None  # brat writes a span's line breaks as spaces on its T line
        items.append((start, end, label, stated, annotator, notes.get(tid, ""), None, number))
    try:
        record = make_record(raw_text, [i[:7] for i in items], source=str(txt), annotator=annotator)
    except InputError as exc:
        # name the .ann line of the span that is wrong
        which = int(exc.reason.split()[1].rstrip(":")) if exc.reason.startswith("span ") else 0
        line = items[which - 1][7] if 0 < which <= len(items) else None
        yield InputError(exc.reason.split(": ", 1)[-1], str(ann), line)
        return
    if options is not None:
        if fragments:
            options.report.notes.append(f"{ann}: {fragments} discontinuous span(s) read as one span per fragment")
        if skipped:
            options.report.lose("brat relation, event, attribute and equivalence lines (not imported)", skipped)
    yield record


_SAFE_STEM = re.compile(r"^\w[\w.\-]{0,100}$")


def _file_name(doc, used: set[str]) -> str:
    """The name a document's pair is written under: the name of the file it came from, where that is a plain
    name not taken by another document of this export (so exporting into the brat project it came from updates its
    files instead of adding copies), else its id."""
    stem = Path(doc.source).stem if doc.source else ""
    if stem and _SAFE_STEM.match(stem) and stem.lower() not in used:
        name = stem
    else:
        name = safe_file_name(doc.id)  # an id is a hash, unless someone edited the database by hand
    used.add(name.lower())
    return name


def brat_label(label: str, report=None) -> str:
    """brat's type names hold no spaces: they are written with ``_`` (counted as adjusted)."""
    if not any(c.isspace() for c in label):
        return label
    if report is not None:
        report.adjust("spans whose label has spaces (written with _ for them, as brat type names)")
    return "_".join(label.split())


def write(records: Iterable[DocumentRecord], out: Path, options=None) -> int:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    used: set[str] = set()
    report = options.report if options is not None else None
    with BackgroundFiles(out) as files:  # two files a document: the file system's work overlaps with ours
        for rec in records:
            if options is not None:
                count_losses(rec, options.report, notes=False)
            doc = rec.document
            name = _file_name(doc, used)
            files.write(f"{name}.txt", doc.text.encode("utf-8"))
            lines = []
            k = 0
            for i, s in enumerate((s for s in rec.spans if not s.deleted), 1):
                # brat shows the span's text on one line; a span across lines is written with its break as a space
                label = brat_label(s.label, report)
                lines.append(f"T{i}\t{label} {s.start} {s.end}\t{s.text.replace(chr(10), ' ')}")
                if s.note:
                    k += 1
                    lines.append(f"#{k}\tAnnotatorNotes T{i}\t{s.note.replace(chr(10), ' ')}")
            files.write(f"{name}.ann", ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"))
            n += 1
    return n
