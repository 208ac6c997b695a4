"""brat standoff: a folder of ``NAME.txt`` (the text) and ``NAME.ann`` pairs. ``T`` lines are spans
(``T1<TAB>LABEL START END<TAB>text``), ``#`` lines are notes (``#1<TAB>AnnotatorNotes T1<TAB>note``), ``R`` lines
relations (``R1<TAB>ACTOR Arg1:T3 Arg2:T1``, Arg1 the head), ``A`` (and the older ``M``) lines attributes
(``A1<TAB>approximate T2`` a flag, ``A2<TAB>unit T2 USD`` a value), ``N`` lines entity links (``N1<TAB>Reference T1
annotator:IOM<TAB>International Organization for Migration``: the span's ``entity`` attribute).

Offsets are characters of the ``.txt`` (we write code points; a ``.txt`` with ``\\r\\n`` is read with its offsets
moved to the normalised text). A discontinuous span (``START END;START END``) is read as one span per fragment,
with the same label, and the import says how many it split (a relation or attribute of it goes to its first
fragment). Events and equivalences are not imported, nor relations and attributes of events, nor links to
other databases than ours (``annotator:``): all counted. brat has no place for review statuses or reviewer names:
export counts them as lost; a flag that is false is written as no line (brat's binary attributes are there or not).
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
from .links import ENTITY, Links, attribute_types, count_proposed, live, typed, written

NAME = "brat"
NAMES_REVIEWERS = False  # its spans get the importing reviewer (--annotator), and the report says so
DESCRIPTION = "brat standoff: a folder of .txt and .ann pairs (T spans, # notes, R relations, A attributes, N links)"
SUFFIXES = (".txt", ".ann")
WRITES_FOLDER = True
_T = re.compile(r"^(T\d+)\t(\S+) ([0-9]+ [0-9]+(?:;[0-9]+ [0-9]+)*)\t?(.*)$")  # ASCII digits, as brat writes
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")
_R = re.compile(r"^R\d+\t(\S+) \S+?:(\S+) \S+?:(\S+)\s*$")
_A = re.compile(r"^[AM]\d+\t(\S+) (\S+)(?: (\S+))?\s*$")
_N = re.compile(r"^N\d+\t\S+ (\S+) ([^:\s]+):(\S+)(?:\t.*)?$")
OUR_DATABASE = "annotator"  # the database name of our entity links in N lines


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
    links: list[tuple[str, tuple, int]] = []  # R, A/M and N lines, joined to the spans once those are made
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
        elif line[:1] in ("R", "A", "M", "N"):
            m = {"R": _R, "A": _A, "M": _A, "N": _N}[line[0]].match(line)
            if not m:
                yield InputError(f"{_SHAPES[line[0]]}, got {line[:60]!r}", str(ann), number)
                return
            links.append((line[0], m.groups(), number))
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
    lost: dict[str, int] = {}
    if skipped:
        lost["brat event and equivalence lines"] = skipped
    if links:
        firsts: dict[str, int] = {}
        for k, key in enumerate(spans):
            firsts.setdefault(key.split(".")[0], k)
        try:
            _join(record, links, firsts, attribute_types(options), lost)
        except InputError as exc:
            yield exc.at(str(ann))
            return
    if options is not None:
        if fragments:
            options.report.notes.append(f"{ann}: {fragments} discontinuous span(s) read as one span per fragment")
        for kind, n in lost.items():
            options.report.lose(f"{kind} (not imported)", n)
    yield record


_SHAPES = {
    "R": "an R line must read 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'",
    "A": "an A line must read 'A<n><TAB>NAME T<n>' or 'A<n><TAB>NAME T<n> VALUE'",
    "M": "an M line must read 'M<n><TAB>NAME T<n>' or 'M<n><TAB>NAME T<n> VALUE'",
    "N": "an N line must read 'N<n><TAB>Reference T<n> DATABASE:ID<TAB>name'",
}


def _join(record: DocumentRecord, lines: list, firsts: dict[str, int], types: dict, lost: dict[str, int]) -> None:
    """The relations, attributes and entity links of the R, A/M and N lines, on the record's spans (``firsts``: a
    T id -> the index of its span, its first fragment's for a discontinuous one). Lines about events or relations
    are counted in ``lost``; a line about a T id the file does not define is an InputError naming its line."""
    links = Links(record, types, lost, "brat attributes and entity links")
    spans = record.spans

    def span_of(ref: str, number: int, role: str):
        if ref in firsts:
            return spans[firsts[ref]]
        if ref[:1] == "T":
            raise InputError(f"the {role} {ref} is not a T line of this file", line=number)
        return None  # an event (E), a relation (R) or another annotation brat has and we do not import

    for kind, groups, number in lines:
        try:
            _join_line(links, kind, groups, number, span_of, types, lost)
        except InputError as exc:
            raise InputError(exc.reason, line=number) from None


def _join_line(links: Links, kind: str, groups: tuple, number: int, span_of, types: dict, lost: dict) -> None:
    """One R, A/M or N line on the spans."""
    if kind == "R":
        type_name, head_ref, child_ref = groups
        head, child = span_of(head_ref, number, "relation's Arg1"), span_of(child_ref, number, "relation's Arg2")
        if head is None or child is None:
            lost["brat relations of events"] = lost.get("brat relations of events", 0) + 1
            return
        links.relation(head, child, type_name, "the relation")
    elif kind == "N":
        ref, database, key = groups
        span = span_of(ref, number, "linked annotation")
        if span is None or database != OUR_DATABASE:
            what = "brat entity links of events" if span is None else "brat links to other databases than annotator:"
            lost[what] = lost.get(what, 0) + 1
            return
        links.attribute(span, ENTITY, key, "the entity link")
    else:
        name, ref, raw = groups
        span = span_of(ref, number, "attribute's annotation")
        if span is None:
            lost["brat attributes of events and relations"] = lost.get("brat attributes of events and relations", 0) + 1
            return
        # a valued attribute of brat is one of the values its annotation.conf lists: a choice
        links.attribute(span, name, typed(raw, types.get((span.label, name)), f"attribute {name}"), "the attribute",
                        "choice")


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
            tids: dict[str, int] = {}
            for i, s in enumerate((s for s in rec.spans if not s.deleted), 1):
                # brat shows the span's text on one line; a span across lines is written with its break as a space
                label = brat_label(s.label, report)
                lines.append(f"T{i}\t{label} {s.start} {s.end}\t{s.text.replace(chr(10), ' ')}")
                tids.setdefault(s.id, i)
                if s.note:
                    k += 1
                    lines.append(f"#{k}\tAnnotatorNotes T{i}\t{s.note.replace(chr(10), ' ')}")
            if rec.relations or rec.attributes:
                lines += _link_lines(rec, tids, options)
            files.write(f"{name}.ann", ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"))
            n += 1
    return n


def _link_lines(rec: DocumentRecord, tids: dict[str, int], options) -> list[str]:
    """The R, A and N lines of a record's live relations and attributes (``tids``: span id -> its T number)."""
    report = options.report if options is not None else None
    relations, attributes = live(rec, set(tids), report)
    count_proposed(attributes, report)
    types = attribute_types(options)
    names = getattr(options, "entity_names", None) or {}
    labels = {s.id: s.label for s in rec.spans}
    lines = [f"R{n}\t{_token(r.type, report, 'relation types')} Arg1:T{tids[r.head]} Arg2:T{tids[r.child]}"
             for n, r in enumerate(relations, 1)]
    a = k = 0
    for attr in attributes:
        t = tids[attr.span_id]
        if types.get((labels.get(attr.span_id), attr.name)) == "entity" or (
                attr.name == ENTITY and (labels.get(attr.span_id), attr.name) not in types):
            k += 1
            name = str(names.get(attr.value, attr.value)).replace("\n", " ").replace("\t", " ")
            lines.append(f"N{k}\tReference T{t} {OUR_DATABASE}:{_token(str(attr.value), report, 'entity ids')}\t{name}")
        elif attr.value is False:
            if report is not None:  # brat's binary attribute is there or not: false is no line, read back as none
                report.adjust("false flags (written as no A line, brat's way of saying false)")
        else:
            a += 1
            value = "" if attr.value is True else " " + _token(written(attr.value), report, "attribute values")
            lines.append(f"A{a}\t{_token(attr.name, report, 'attribute names')} T{t}{value}")
    return lines


def _token(text: str, report, what: str) -> str:
    """brat's names and values hold no spaces: written with ``_`` (counted as adjusted)."""
    if text and not any(c.isspace() for c in text):
        return text
    if report is not None:
        report.adjust(f"{what} with spaces (written with _ for them)")
    return "_".join(text.split()) or "_"
