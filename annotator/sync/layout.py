"""The shared place's layout: texts once, content-addressed, and one annotation file per reviewer.

    TARGET/
      texts/3f/3f2a9c0d1e4b5a6c.txt   a document's stored text (UTF-8), named by its id (the hash of the text):
                                      written by the first reviewer who has it, never again
      reviewers/alice.jsonl           alice's work: written by alice's sync only

A reviewer file is a bundle (``annotator export --bundle``: canonical JSONL, documents by id, deletions kept)
without the texts: each line is ``{"id", "meta", "spans", "reviews"(, "gold")}``. A reader puts the text back from
``texts/`` (or from its own database) and then checks the record as a merge checks a bundle. Every file is written
under a temporary name and renamed into place, so a reader on a synced folder never sees half a file.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote

from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..core.text import ID_LENGTH
from ..core.validate import check_storable, latest_time
from ..formats import canonical
from ..formats.common import json_lines, text_digest

TEXTS = "texts"
REVIEWERS = "reviewers"
SUFFIX = ".jsonl"
_DOC_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")


# -- names ------------------------------------------------------------------------------------------------------

def reviewer_file_name(annotator: str) -> str:
    """A file name for any reviewer name: safe characters kept, the others %-escaped (so no two names share a
    file, and no name reaches outside ``reviewers/``)."""
    name = quote(annotator, safe="")
    if name.startswith("."):  # no hidden file, no "..": the names we write start with anything but a dot
        name = "%2E" + name[1:]
    return name + SUFFIX


def reviewer_of(path: Path) -> str:
    return unquote(path.name[: -len(SUFFIX)])


def reviewer_files(place: Path) -> list[Path]:
    folder = place / REVIEWERS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and not p.name.startswith("."))


def text_path(place: Path, doc_id: str) -> Path:
    return place / TEXTS / doc_id[:2] / f"{doc_id}.txt"


# -- writing ----------------------------------------------------------------------------------------------------

def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` under a hidden temporary name in the same folder, flush it to disk, then rename it over
    ``path``: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_texts(place: Path, records) -> int:
    """The text of every document the shared place lacks; how many were written. A text already there is never
    written again (it is the same text: its name is its hash)."""
    written = 0
    for doc_id, text in records:
        path = text_path(place, doc_id)
        if not path.exists():
            write_atomically(path, text.encode("utf-8"))
            written += 1
    return written


def reviewer_lines(records, annotator: str, published: dict) -> Iterator[str]:
    """The lines of ``annotator``'s file: every document (its id and metadata), with the spans, reviews and gold
    spans that are theirs, and the versions they hold of other people's that those people's own files do not
    say (an edit of a teammate's span, the spans of an import under a name nobody syncs as). ``published`` maps
    the keys of what the other reviewers' files say to their JSON (see ``published_keys``)."""
    for rec in records:
        d = canonical.record_dict(rec, tombstones=True)
        doc_id = d["id"]
        del d["text"]
        d["spans"] = [s for s in d["spans"] if _mine(("span", s["id"]), s["annotator"], s, annotator, published)]
        d["reviews"] = [r for r in d["reviews"]
                        if _mine(("review", doc_id, r["annotator"]), r["annotator"], r, annotator, published)]
        if "gold" in d:
            d["gold"] = [g for g in d["gold"] if _mine(("gold", g["id"]), g["curator"], g, annotator, published)]
            if not d["gold"]:
                del d["gold"]
        yield json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n"


def _mine(key, owner: str, item: dict, me: str, published: dict) -> bool:
    if owner == me:
        return True
    said = published.get(owner)
    return said is None or said.get(key) != _dumps(item)


def _dumps(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def published_keys(obj: dict, owner: str, into: dict) -> None:
    """Note what a line of ``owner``'s file says of ``owner``'s own work (keys to JSON)."""
    doc_id = obj.get("id")
    for s in obj.get("spans") or ():
        if isinstance(s, dict) and s.get("annotator") == owner:
            into[("span", s.get("id"))] = _dumps(s)
    for r in obj.get("reviews") or ():
        if isinstance(r, dict) and r.get("annotator") == owner:
            into[("review", doc_id, owner)] = _dumps(r)
    for g in obj.get("gold") or ():
        if isinstance(g, dict) and g.get("curator") == owner:
            into[("gold", g.get("id"))] = _dumps(g)


# -- reading ----------------------------------------------------------------------------------------------------

def read_reviewer_file(place: Path, path: Path, text_of, said: dict) -> Iterator[DocumentRecord | InputError]:
    """The records of a teammate's file, each with its text put back and checked as a merged bundle is; a bad
    line is an InputError naming the file and the line (the merge then refuses the whole file). ``text_of(id)``
    gives a text this database already has, or None. ``said`` gets what the file says of its owner's own work."""
    latest = latest_time()
    owner = reviewer_of(path)
    name = str(path)
    try:
        for number, obj in json_lines(path):
            if isinstance(obj, InputError):
                yield obj
                continue
            if not isinstance(obj, dict):
                yield InputError(f"a record must be a JSON object, got {type(obj).__name__}", name, number)
                continue
            if "text" in obj:
                yield InputError("a reviewer file holds no texts (they are in texts/, once each)", name, number)
                continue
            doc_id = obj.get("id")
            if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
                yield InputError(f"'id' must be a document id ({ID_LENGTH} hexadecimal digits), got {doc_id!r}",
                                 name, number)
                continue
            text = text_of(doc_id)
            if text is None:
                try:
                    text = read_text(place, doc_id)
                except InputError as exc:
                    yield InputError(f"document {doc_id}: {exc}", name, number)
                    continue
            try:
                rec = canonical.parse_record({**obj, "text": text}, "import", number, latest)
                rec.file = name
                check_storable(rec)
            except InputError as exc:
                yield exc.at(name, number)
                continue
            published_keys(obj, owner, said)
            yield rec
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", name)


def read_text(place: Path, doc_id: str) -> str:
    path = text_path(place, doc_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"its text is missing from the shared place ({path})") from None
    except OSError as exc:
        raise InputError(f"cannot read its text {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"its text {path} is not valid UTF-8 (byte {exc.start})") from None
    if text_digest(text)[:ID_LENGTH] != doc_id:
        raise InputError(f"its text {path} is not the text of this id (it was altered)")
    return text
