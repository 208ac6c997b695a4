"""spaCy ``DocBin`` files in a folder, 1,000 documents each (``part-00000.spacy`` …): what ``spacy train``
reads as a corpus (a folder of ``.spacy`` files), written with flat memory however large the corpus. Each file is
exactly what the ``spacy`` format writes (see ``docbin``); reading a folder reads every ``.spacy`` file in it."""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from . import docbin

NAME = "spacy-shards"
DESCRIPTION = "a folder of spaCy DocBin files, 1,000 documents each (flat memory; spacy train reads the folder)"
SUFFIXES = (".spacy",)
WRITES_FOLDER = True
OWNS = "part-*.spacy"  # a re-export removes parts it did not write (see formats.write_to)
PER_FILE = 1000
ORDER = "imported"  # documents in the order they came in, as the source file had them


def write(records: Iterable[DocumentRecord], out: Path, options=None) -> int:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records = iter(records)
    n = part = 0
    while True:
        chunk = list(islice(records, PER_FILE))
        if not chunk:
            return n
        target = out / f"part-{part:05d}.spacy"
        partial = target.with_name(target.name + ".partial")
        with open(partial, "wb") as fh:
            n += docbin.write(chunk, fh, options)
        partial.replace(target)
        part += 1


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    for f in files:
        yield from docbin.read(f, options)
