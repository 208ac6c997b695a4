"""Plain text articles: one ``.txt`` file is one document, its title the first non-empty line.

Metadata can sit beside the article as ``NAME.meta.json`` (a JSON object: ``title`` overrides the first-line
title, everything else is kept in the document's ``meta``), so the text file stays exactly as collected.
"""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterable, Iterator

from ..core.errors import HINT_ENCODING, InputError
from ..core.model import Document, DocumentRecord
from ..core.text import document_id, first_line_title, incremental_decoder, normalise, sha256
from .common import safe_file_name
from .links import count_lost

NAME = "text"
DESCRIPTION = "plain text: one .txt file a document (export writes the texts, one file each, into a folder)"
SUFFIXES = (".txt",)
WRITES_FOLDER = True
CHUNK = 1 << 20


def sniff(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    try:
        yield DocumentRecord(read_document(path, options), line=0)
    except InputError as exc:
        yield exc


def read_document(path: Path, options=None) -> Document:
    """Decode a text file in chunks (a 50 MB file never sits in memory as more than its bytes and its text)."""
    encoding = (options.encoding if options else None) or "utf-8"
    progress = options.progress if options else None
    try:
        decoder = incremental_decoder(encoding)
    except LookupError as exc:
        known = "is not a text encoding" in str(exc)
        raise InputError(str(exc).strip('"') if known else f"unknown encoding {encoding!r}", str(path)) from None
    utf8 = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    pieces: list[str] = []
    consumed = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            nul = chunk.find(b"\x00") if utf8 else -1  # in every chunk: a binary file may start with text
            if nul >= 0:
                raise InputError(f"looks like a binary file (a NUL byte at byte {consumed + nul}), not text: not"
                                 " imported", str(path))
            try:
                buffered = len(decoder.getstate()[0])
                pieces.append(decoder.decode(chunk, final=not chunk))
            except UnicodeDecodeError as exc:
                where = consumed - buffered + exc.start
                raise InputError(
                    f"not valid {encoding} at byte {where} (0x{exc.object[exc.start]:02X}): not imported; if the file"
                    f" is in another encoding, {HINT_ENCODING}",
                    str(path),
                ) from None
            except UnicodeError as exc:  # utf-16 and utf-32 without a byte-order mark say which order they need
                raise InputError(f"not valid {encoding}: {exc}; {HINT_ENCODING}, or utf-16-le / utf-16-be for"
                                 " UTF-16 without a byte-order mark", str(path)) from None
            if not chunk:
                break
            consumed += len(chunk)
            if progress:
                progress(len(chunk))
    text = "".join(pieces)
    del pieces
    text = normalise(text)
    if not text:
        raise InputError("the file is empty: not imported", str(path))
    if not text.strip():
        raise InputError("the file contains only whitespace: not imported", str(path))
    meta = read_sidecar(path)
    title = meta.pop("title", None) or first_line_title(text)
    return Document(document_id(text), text, title, str(path), sha256(text), meta)


def sidecar_path(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def read_sidecar(path: Path) -> dict:
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    from .common import loads

    try:
        meta = loads(side.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"the metadata file is not valid UTF-8 (at byte {exc.start})", str(side)) from None
    except InputError as exc:
        raise InputError(f"the metadata file is not valid JSON: {exc.reason}", str(side)) from None
    if not isinstance(meta, dict):
        raise InputError("the metadata file must hold a JSON object", str(side))
    if not isinstance(meta.get("title", ""), str):
        raise InputError("'title' must be a string", str(side))
    return meta


def write(records: Iterable[DocumentRecord], out: Path, options=None) -> int:
    """Write each document's text as ``<id>.txt`` in the folder ``out`` (annotations are not part of plain text)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for rec in records:
        # an id is a hash, unless someone edited the database by hand: never a path
        (out / safe_file_name(rec.document.id, ".txt")).write_text(rec.document.text, encoding="utf-8", newline="\n")
        if rec.spans and options is not None:
            options.report.lose("spans (plain text holds no annotations)", len(rec.spans))
        if (rec.relations or rec.attributes) and options is not None:
            count_lost(rec, options.report, fmt="plain text")
        n += 1
    return n
