"""The shared place's layout: the corpus once, content-addressed, and one annotation file per reviewer.

    TARGET/
      texts/3f/3f2a9c0d1e4b5a6c.txt               a document's stored text (UTF-8), named by its id (the hash of
                                                  the text): written by the first reviewer who has it, never again
      texts/3f/3f2a9c0d1e4b5a6c.9e0c41d2b7aa.json its metadata ({"title", "source", ...}), named by the hash of
                                                  those bytes: one file per version, written once (two reviewers
                                                  who imported an article from two files hold two versions; the
                                                  merge keeps the same one everywhere)
      reviewers/alice.jsonl                       alice's work (see ``reviewer_files``): written by alice's sync only

Every file is written under a hidden temporary name and renamed into place, so a reader on a synced folder never
sees half a file; hidden files are never read.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote

from ..core.errors import InputError
from ..core.text import ID_LENGTH
from ..formats.common import text_digest

TEXTS = "texts"
REVIEWERS = "reviewers"
SUFFIX = ".jsonl"
META_HASH_LENGTH = 12
_DOC_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
_TEXT_LENGTH = ID_LENGTH + len(".txt")
_META_LENGTH = ID_LENGTH + 1 + META_HASH_LENGTH + len(".json")
LEFTOVER_AGE = 3600  # seconds: a temporary file this old belongs to a sync that was killed, not one at work


def is_document_id(value) -> bool:
    return isinstance(value, str) and bool(_DOC_ID.fullmatch(value))


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


def meta_path(place: Path, doc_id: str, version: str) -> Path:
    return place / TEXTS / doc_id[:2] / f"{doc_id}.{version}.json"


def meta_name(doc_id: str, version: str) -> str:
    """The name a metadata file is recorded under in the database (``sync_files``)."""
    return f"{TEXTS}/{doc_id[:2]}/{doc_id}.{version}.json"


# -- the corpus in texts/ ---------------------------------------------------------------------------------------

def meta_bytes(title: str, source: str | None, meta: dict) -> bytes:
    """A document's metadata as its file holds it: the "meta" object of canonical JSONL without the sha256,
    keys sorted, so the same metadata is the same bytes on every computer."""
    if not meta:  # most documents: the same bytes json.dumps makes, an eighth of the time (a sync does 10,000)
        src = "null" if source is None else _quoted(source)
        return f'{{"source":{src},"title":{_quoted(title)}}}'.encode("utf-8")
    obj = {**meta, "title": title, "source": source}
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


_quoted = json.encoder.encode_basestring  # a str as json.dumps(ensure_ascii=False) writes it


def meta_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:META_HASH_LENGTH]


def list_texts(place: Path) -> dict[str, tuple[bool, set[str]]]:
    """Every document of the shared place: id -> (its text is there, the versions of its metadata that are)."""
    out: dict[str, tuple[bool, set[str]]] = {}
    root = place / TEXTS
    if not root.is_dir():
        return out
    # names are checked by their shape here (a regular expression on each of 20,000 names is most of the time
    # an idle sync takes); an id is checked as an id before anything is read by it (``is_document_id``)
    for bucket in os.listdir(root):
        if len(bucket) != 2 or bucket.startswith("."):
            continue
        try:
            names = os.listdir(root / bucket)
        except NotADirectoryError:
            continue
        for name in names:
            if len(name) == _TEXT_LENGTH and name.endswith(".txt"):
                doc_id = name[:ID_LENGTH]
                out[doc_id] = (True, out[doc_id][1] if doc_id in out else set())
            elif len(name) == _META_LENGTH and name.endswith(".json") and name[ID_LENGTH] == ".":
                out.setdefault(name[:ID_LENGTH], (False, set()))[1].add(name[ID_LENGTH + 1: -5])
    return out


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


def read_meta(place: Path, doc_id: str, version: str) -> dict:
    """The "meta" object of a metadata file (title and source in it), checked against its name's hash."""
    path = meta_path(place, doc_id, version)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if meta_version(data) != version:
        raise InputError("its bytes are not those its name gives (it was altered)", str(path))
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a JSON object: {exc}", str(path)) from None
    if not isinstance(obj, dict):
        raise InputError("not a JSON object", str(path))
    return obj


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


def write_once(path: Path, data: bytes) -> bool:
    """Write a file of texts/ unless it is there (its name is its content's hash: it is the same bytes)."""
    if path.exists():
        return False
    write_atomically(path, data)
    return True


def remove_leftovers(folder: Path, age: float = LEFTOVER_AGE) -> int:
    """Temporary files an hour old in ``folder`` (a sync killed while writing: they are hidden, so nobody reads
    them, but they would stay forever). A younger one may be a teammate's sync at work: it is left alone."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    cutoff = time.time() - age
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            try:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                pass
    return removed
