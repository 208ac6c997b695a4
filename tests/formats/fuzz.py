"""Mutations of valid files for the readers' fuzz test (tests/formats/test_fuzz_readers.py) and its longer run
before a release (scripts/fuzz_readers.py): files our own exporters wrote, changed as an attacker or a broken tool
would change them (bytes, JSON values of the wrong type, huge numbers, deep nesting, lone surrogates, duplicate
keys), then imported. The import must either succeed with every span on its text, or raise our one-line
InputError with the database unchanged; anything else, or an import that does not end, fails."""
from __future__ import annotations

import copy
import json
import re
import signal
import zlib
from contextlib import contextmanager
from pathlib import Path

from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats.common import make_record
from annotator.store import Store
from annotator import formats
from annotator.formats.links import Links
from annotator.store.bulk import ExportFilter, export_records, import_records
from annotator.transfer import import_paths

# Texts with what breaks offsets (emoji, CJK Extension B, combining marks), spans on them, notes, two reviewers.
TEXTS = [
    "UNODC and IOM met in Bangkok \U0001F600 on 12 May.\nMore than 90 delegates \U00020000 attended.",
    "Cafe\u0301 talks: the Bali Process will strengthen cooperation; US$7 billion in profits.",
    "The Ministry of Foreign Affairs said 350 Pakistani nationals were returned.",
]
SPANS = [
    [(0, 5, "ORGANISATION", "alice", "the UN office"), (10, 13, "ORGANISATION", "bob", ""), (49, 71, "FIGURE", "alice", "")],
    [(19, 34, "ORGANISATION", "alice", ""), (70, 81, "FIGURE", "bob", "money")],
    [(4, 31, "ORGANISATION", "alice", ""), (37, 40, "FIGURE", "alice", "")],
]
# Formats and what their export is: a file, or a folder whose files are mutated one at a time.
FORMATS = ["jsonl", "doccano", "spacy-jsonl", "labelstudio", "brat", "conll", "spacy", "text"]
JSON_FORMATS = {"jsonl", "doccano", "spacy-jsonl", "labelstudio"}


def source_store(path: Path) -> Store:
    store = Store(path)
    records = []
    for text, spans in zip(TEXTS, SPANS):
        rec = make_record(text, [(s, e, label, None, who, note) for s, e, label, who, note in spans], annotator="x")
        records.append(rec)
    import_records(store, records)
    # relations and attribute values (issue 14), so that the canonical lines the fuzz mutates carry them
    d = records[0].document.id
    unodc, _, delegates = sorted(store.spans(d), key=lambda s: s.start)
    store.add_relation_type("MENTIONS")
    store.add_relation(d, unodc.id, delegates.id, "MENTIONS")
    # UNODC is in the registry a new database starts with
    store.set_attribute(unodc.id, "entity", "UNODC")
    store.set_attribute(delegates.id, "value", 90)
    store.set_attribute(delegates.id, "approximate", True, proposed=True)
    return store


def with_links(records):
    """The records with relations and attributes (issue 14): each reviewer's first span related to their next ones,
    a value, a unit and a flag on their spans; the peers' writers write them, so the fuzz mutates them too."""
    for rec in records:
        if rec.relations or rec.attributes:  # the source store gave this one its own (see source_store)
            yield rec
            continue
        links = Links(rec)
        by_who: dict[str, list] = {}
        for s in rec.spans:
            by_who.setdefault(s.annotator, []).append(s)
        for spans in by_who.values():
            for n, other in enumerate(spans[1:], 1):
                links.relation(spans[0], other, "ACTOR" if n == 1 else "AMOUNT", "fuzz")
            links.attribute(spans[-1], "value", 90, "fuzz")
            links.attribute(spans[-1], "unit", "delegates", "fuzz")
            links.attribute(spans[0], "approximate", True, "fuzz")
        yield rec


def exported(folder: Path) -> dict[str, dict[str, bytes]]:
    """For each format, the files our exporter writes for the source corpus: {relative name: bytes}."""
    store = source_store(folder / "source.db")
    out = {}
    for fmt in FORMATS:
        target = folder / f"export-{fmt}"
        records = list(with_links(export_records(store, ExportFilter(order=getattr(formats.get(fmt), "ORDER", "id")))))
        formats.write_to(formats.get(fmt), records, target, formats.Options())
        if target.is_dir():
            out[fmt] = {p.name: p.read_bytes() for p in sorted(target.iterdir())}
        else:
            out[fmt] = {"corpus" + {"labelstudio": ".json", "conll": ".conll", "spacy": ".spacy"}.get(fmt, ".jsonl"):
                        target.read_bytes()}
    store.close()
    return out


# -- mutations --------------------------------------------------------------------------------------------------

class Raw:
    """JSON text put in place of a value as it is (what json.dumps will not write: NaN, 5,000 digits, \\ud800)."""

    def __init__(self, text: str):
        self.text = text


HOSTILE_VALUES = [
    None, True, False, 0, -1, 7, 2**63, -(2**63) - 1, 1.5, "", " ", "FOO ", " FIGURE", "x" * 70, "a\tb", "R&D <b>",
    [], {}, [[1]], [None], {"a": 1}, {"start": 0}, "\U0001F600", "\r\n",
    Raw("1" * 4400), Raw("1" * 30), Raw("NaN"), Raw("-Infinity"), Raw("1e999"), Raw("[" * 3000 + "]" * 3000),
    Raw('"\\ud800"'), Raw('"a\\udfffb"'), Raw('{"k": ' * 200 + "1" + "}" * 200),
]
HOSTILE_BYTES = [b"\x00", b"\xff", b"\xed\xa0\x80", b"\r", b"\xef\xbb\xbf", b"\\ud800", b"9" * 30, b"[" * 2000,
                 b'"', b",", b"\n", b"\t", b"-", b"\xc3", b"\x80"]


def _paths(obj, at=()):
    yield at
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, at + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, at + (i,))


def _dumps(obj) -> str:
    raws: list[str] = []

    def encode(o):
        if isinstance(o, Raw):
            raws.append(o.text)
            return f"__RAW{len(raws) - 1}__"
        if isinstance(o, dict):
            return {k: encode(v) for k, v in o.items()}
        if isinstance(o, list):
            return [encode(v) for v in o]
        return o

    text = json.dumps(encode(obj), ensure_ascii=False)
    return re.sub(r'"__RAW(\d+)__"', lambda m: raws[int(m.group(1))], text)


@st.composite
def json_mutation(draw, text: str) -> str:
    """One JSON document (a line of JSONL, or a whole Label Studio file) with a few values replaced, keys dropped,
    a key given twice, or the whole wrapped in lists."""
    obj = json.loads(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(obj))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "wrap"]))
        if not path:
            if op == "wrap":
                obj = [obj]
            continue
        parent = obj
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        if op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, dict):
            value = parent[key]
            return _dumps(obj).replace(json.dumps(key, ensure_ascii=False) + ":",
                                       f"{json.dumps(key, ensure_ascii=False)}: {_dumps(value)}, "
                                       f"{json.dumps(key, ensure_ascii=False)}:", 1)
        elif op == "wrap":
            parent[key] = [parent[key]]
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))  # a shared list could become a cycle
    return _dumps(obj)


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE_BYTES) | st.binary(min_size=1, max_size=6))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif op == "truncate":
            del data[at:]
        elif op == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 64))] * draw(st.integers(2, 50))
    return bytes(data)


@st.composite
def mutated(draw, fmt: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The export's files with one of them mutated in a way that suits its format."""
    name = draw(st.sampled_from(sorted(files)))
    data = files[name]
    if fmt in JSON_FORMATS and draw(st.booleans()):
        if fmt == "labelstudio":
            new = draw(json_mutation(data.decode("utf-8"))).encode("utf-8", "surrogatepass")
        else:
            lines = data.decode("utf-8").splitlines()
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = draw(json_mutation(lines[k]))
            new = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    elif fmt == "spacy" and draw(st.booleans()):  # under the compression, where the msgpack reader is
        new = zlib.compress(draw(byte_mutation(zlib.decompress(data))))
    else:
        new = draw(byte_mutation(data))
    return {**files, name: new}


# -- the property -----------------------------------------------------------------------------------------------

def snapshot(store: Store) -> tuple:
    conn = store.conn
    return tuple(tuple(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")) for table in
                 ("documents", "spans", "labels", "reviews", "gold_spans", "relations", "span_attributes",
                  "relation_types", "entities"))


def spans_on_their_text(store: Store) -> list:
    """Spans whose stored text is not their document's text at their offsets (none, in a sound database)."""
    texts = dict(store.conn.execute("SELECT id, text FROM documents"))
    return [row for row in store.conn.execute('SELECT id, doc_id, start, "end", text FROM spans')
            if texts[row[1]][row[2]:row[3]] != row[4]]


class TooSlow(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    """Fail an import that does not end (a hang is a failure, not a wait): SIGALRM, so the main thread only."""
    def fire(signum, frame):
        raise TooSlow(f"the import took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def import_mutated(store: Store, folder: Path, fmt: str, files: dict[str, bytes], seconds: float = 10) -> str:
    """Write the files, import them, check the outcome; return "imported" or the refusal's message."""
    for old in folder.iterdir():
        old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    target = folder if len(files) > 1 or fmt in ("brat", "text") else folder / next(iter(files))
    before = snapshot(store)
    try:
        with deadline(seconds):
            import_paths(store, [target], fmt=fmt, annotator="fuzz")
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message, message
        assert str(folder) in message, f"the message does not name the file: {message}"
        assert snapshot(store) == before, f"refused ({message}) but the database changed"
        return message
    assert spans_on_their_text(store) == [], "a span is not on its text"
    return "imported"
