"""Reading a spaCy ``.spacy`` file a document at a time, with flat memory.

spaCy's ``DocBin.from_bytes`` decompresses the whole file and decodes all of it (a 5,000-article file took 264 MB
to import that way, growing with the file). The file is zlib over one msgpack map whose values lay the documents'
parts end to end: ``tokens`` and ``spaces`` (arrays' bytes), ``cats``, ``flags``, ``span_groups`` and
``user_data`` (one item per document), and ``lengths`` (tokens per document), ``strings`` and ``attrs``. So:

1. one pass over the decompressed stream notes where each value starts and keeps only the small ones (``attrs``,
   ``lengths``, ``strings``: 4 bytes a document and the vocabulary, which spaCy needs anyway);
2. one cursor per per-document part, each its own decompressor fast-forwarded to that part, and all moved in step:
   document ``i`` is read from each, handed to a one-document ``DocBin`` (so spaCy's own ``get_docs`` makes the
   ``Doc``), and dropped.

The keys may come in any order and the optional ones may be missing, as ``DocBin.from_bytes`` allows.
tests/formats/test_docbin_stream.py checks the documents against spaCy's own reading, of our files and of files
spaCy wrote with every attribute.
"""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Iterator

CHUNK = 1 << 14  # compressed bytes read at once
INFLATE = 1 << 16  # decompressed bytes made at once: six cursors hold about this much each
# deflate cannot make more than 1,032 bytes of one (RFC 1951: a 258-byte match costs at least 2 bits), so a size the
# file states beyond that many times what is left of it is a lie, refused before any of it is inflated
MAX_RATIO = 1032
# A string (a token's text, a label, a note) is read whole. Text compresses a few times, and a vocabulary, whose
# strings are all different, less: one that inflates over 100 times is a run of one byte, a bomb, refused as soon
# as that shows (after about CHUNK * STRING_RATIO bytes), however long it says it is.
STRING_RATIO = 100
_PER_DOCUMENT = ("tokens", "spaces", "cats", "flags", "span_groups", "user_data")


class NotDocBin(ValueError):
    """The file is not a DocBin (or is cut short)."""


class _Inflated:
    """The decompressed bytes of a zlib file, read in order, holding a few tens of kilobytes."""

    def __init__(self, path: Path):
        self._fh = open(path, "rb")
        self._size = os.fstat(self._fh.fileno()).st_size
        self._fed = 0  # compressed bytes read from the file
        self._z = zlib.decompressobj()
        self._buf = b""
        self._at = 0  # how much of _buf was read
        self.offset = 0  # decompressed bytes read so far

    def close(self) -> None:
        self._fh.close()

    def _more(self) -> bool:
        data = self._z.unconsumed_tail
        if not data:
            data = self._fh.read(CHUNK)
            self._fed += len(data)
        if not data:
            return False
        try:
            out = self._z.decompress(data, INFLATE)
        except zlib.error as exc:
            raise NotDocBin(f"not zlib data ({exc})") from None
        self._buf = self._buf[self._at:] + out
        self._at = 0
        return True

    def can_hold(self, n: int, what: str) -> None:
        """Refuse a stated size the rest of the file cannot inflate to (a bomb, or a lie), before reading any of it."""
        left = self._size - self._fed + len(self._z.unconsumed_tail)
        if n > left * MAX_RATIO + len(self._buf) - self._at + INFLATE:  # INFLATE: what zlib may hold back
            if not left:
                raise NotDocBin("the file ends in the middle of its data")
            raise NotDocBin(f"{what} states {n:,} bytes, more than the {left:,} bytes left of the file can hold")

    def read(self, n: int, ratio: int | None = None) -> bytes:
        """``n`` bytes; with ``ratio``, refused once they inflate more than that many times their compressed size."""
        self.can_hold(n, "a value")
        fed = self._fed
        if len(self._buf) - self._at >= n:
            out = self._buf[self._at:self._at + n]
            self._at += n
        else:  # in pieces, joined once: growing one buffer 64 KB at a time copied it over and over (quadratic)
            pieces = [self._buf[self._at:]]
            got = len(pieces[0])
            self._buf, self._at = b"", 0
            while got < n:
                if not self._more():
                    raise NotDocBin("the file ends in the middle of its data")
                take = min(n - got, len(self._buf))
                pieces.append(self._buf[:take])
                self._at = take
                got += take
                if ratio and got > ratio * (self._fed - fed + CHUNK):
                    raise NotDocBin(f"a string that says it has {n:,} bytes inflates more than {ratio} times: a"
                                    " decompression bomb")
            out = b"".join(pieces)
        self.offset += n
        return out

    def skip(self, n: int) -> None:
        self.can_hold(n, "a value")
        while n:
            if self._at == len(self._buf) and not self._more():
                raise NotDocBin("the file ends in the middle of its data")
            step = min(n, len(self._buf) - self._at)
            self._at += step
            self.offset += step
            n -= step

    def byte(self) -> int:
        return self.read(1)[0]


# -- msgpack, as much of it as a DocBin uses ------------------------------------------------------------------

# first byte -> the kind of a container, string or bin, and how many bytes give its length
_SIZED = {0xDE: ("map", 2), 0xDF: ("map", 4), 0xDC: ("array", 2), 0xDD: ("array", 4), 0xD9: ("str", 1),
          0xDA: ("str", 2), 0xDB: ("str", 4), 0xC4: ("bin", 1), 0xC5: ("bin", 2), 0xC6: ("bin", 4)}


def _length(r: _Inflated, first: int) -> tuple[str, int]:
    """The kind and length of a container or string/bin whose first byte is ``first``."""
    if 0x80 <= first <= 0x8F:
        return "map", first & 0x0F
    if 0x90 <= first <= 0x9F:
        return "array", first & 0x0F
    if 0xA0 <= first <= 0xBF:
        return "str", first & 0x1F
    if first not in _SIZED:
        return "scalar", 0
    kind, size = _SIZED[first]
    n = int.from_bytes(r.read(size), "big")
    r.can_hold(n, f"a msgpack {kind}")  # an item of an array or a map takes a byte at least
    return kind, n


_FIXED = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q", 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q",
          0xCA: ">f", 0xCB: ">d"}


def _value(r: _Inflated):
    """One msgpack object, decoded (maps become dicts, arrays lists, bin bytes)."""
    first = r.byte()
    if first <= 0x7F:
        return first
    if first >= 0xE0:
        return first - 0x100
    if first in (0xC0, 0xC2, 0xC3):
        return {0xC0: None, 0xC2: False, 0xC3: True}[first]
    if first in _FIXED:
        fmt = _FIXED[first]
        return struct.unpack(fmt, r.read(struct.calcsize(fmt)))[0]
    kind, n = _length(r, first)
    if kind == "str":
        return r.read(n, STRING_RATIO).decode("utf-8")
    if kind == "bin":
        return r.read(n)
    if kind == "array":
        return [_value(r) for _ in range(n)]
    if kind == "map":
        return {_value(r): _value(r) for _ in range(n)}
    raise NotDocBin(f"msgpack type 0x{first:02x} is not used by DocBin files")


def _skip(r: _Inflated) -> None:
    first = r.byte()
    kind, n = _length(r, first)
    if kind in ("str", "bin"):
        r.skip(n)
    elif kind == "array":
        for _ in range(n):
            _skip(r)
    elif kind == "map":
        for _ in range(2 * n):
            _skip(r)
    elif first in _FIXED:
        r.skip(struct.calcsize(_FIXED[first]))
    elif not (first <= 0x7F or first >= 0xE0 or first in (0xC0, 0xC2, 0xC3)):
        raise NotDocBin(f"msgpack type 0x{first:02x} is not used by DocBin files")


def _container(r: _Inflated, kind: str) -> int:
    got, n = _length(r, r.byte())
    if got != kind:
        raise NotDocBin(f"expected a msgpack {kind}, found a {got}")
    return n


# -- the two passes ---------------------------------------------------------------------------------------------

def _layout(path: Path) -> tuple[dict[str, int], dict]:
    """Where each value starts in the decompressed stream, and the small values themselves.

    Each size the file states is checked against the others as soon as both are known, before the value is read
    or inflated: tokens are 8 bytes per attribute, one space byte per token, lengths 4 bytes per document and at
    most one document per token (we import no empty document), and the per-document lists one item each. A file
    that inflates to 256 MB of zeros where its lengths say three tokens is refused at the first of these."""
    r = _Inflated(path)
    try:
        starts, small, sizes = {}, {}, {}
        for _ in range(_container(r, "map")):
            key = _value(r)
            starts[key] = r.offset
            if key in ("tokens", "spaces", "lengths"):
                first = r.byte()
                kind, n = _length(r, first)
                if kind != "bin":
                    raise NotDocBin(f"{key!r} must be msgpack bin, found {kind}")
                sizes[key] = n
                _check_sizes(sizes, small)
                if key == "lengths":
                    small[key] = r.read(n)
                    sizes["documents"] = n // 4
                    _check_sizes(sizes, small)
                else:
                    r.skip(n)
            elif key in ("version", "attrs", "strings"):
                small[key] = _value(r)
                _check_sizes(sizes, small)
            elif key in _PER_DOCUMENT:
                first = r.byte()
                kind, n = _length(r, first)
                if kind != "array":
                    raise NotDocBin(f"{key!r} must be a msgpack array, found {kind}")
                sizes[key] = n
                _check_sizes(sizes, small)
                for _ in range(n):
                    _skip(r)
            else:
                _skip(r)
        return starts, small
    finally:
        r.close()


def _check_sizes(sizes: dict[str, int], small: dict) -> None:
    """The sizes stated so far agree with each other (see _layout); NotDocBin saying which do not."""
    attrs = small.get("attrs")
    if attrs is not None and not isinstance(attrs, list):
        raise NotDocBin("'attrs' must be a list")
    width = 8 * len(attrs) if attrs else None
    tokens = None
    if "tokens" in sizes and width:
        if sizes["tokens"] % width:
            raise NotDocBin(f"'tokens' holds {sizes['tokens']:,} bytes, not a whole number of tokens of {width} bytes")
        tokens = sizes["tokens"] // width
    if "spaces" in sizes:
        if tokens is not None and sizes["spaces"] != tokens:
            raise NotDocBin(f"'spaces' states {sizes['spaces']:,} tokens where 'tokens' states {tokens:,}")
        tokens = sizes["spaces"]
    if "lengths" in sizes:
        if sizes["lengths"] % 4:
            raise NotDocBin("'lengths' is not a whole number of 4-byte counts")
        if tokens is not None and sizes["lengths"] // 4 > max(tokens, 1):
            raise NotDocBin(f"'lengths' states {sizes['lengths'] // 4:,} documents for {tokens:,} tokens")
    if "lengths" in small and tokens is not None:
        total = sum(memoryview(small["lengths"]).cast("i")) if len(small["lengths"]) % 4 == 0 else -1
        if total != tokens:
            raise NotDocBin(f"the documents' lengths add up to {total:,} tokens where the file holds {tokens:,}")
    documents = sizes.get("documents")
    for key in _PER_DOCUMENT[2:]:
        if documents is not None and key in sizes and sizes[key] != documents:
            raise NotDocBin(f"{key!r} has {sizes[key]:,} items for {documents:,} documents")


def iter_docs(path: Path | str, vocab) -> Iterator:
    """The file's Docs, in order, each made by spaCy from a one-document DocBin."""
    import numpy
    from spacy.tokens import DocBin

    path = Path(path)
    starts, small = _layout(path)
    for key in ("attrs", "lengths", "tokens", "spaces", "cats"):
        if key not in starts:
            raise NotDocBin(f"no {key!r} in the file")
    attrs = small["attrs"]
    lengths = numpy.frombuffer(small["lengths"], dtype="int32")
    cursors: dict[str, _Inflated] = {}
    try:
        for key in _PER_DOCUMENT:
            if key in starts:
                cursor = cursors[key] = _Inflated(path)
                cursor.skip(starts[key])
                total = _container(cursor, "bin" if key in ("tokens", "spaces") else "array")
                expected = {"tokens": int(lengths.sum()) * len(attrs) * 8, "spaces": int(lengths.sum())}
                if total != expected.get(key, len(lengths)):
                    raise NotDocBin(f"{key!r} does not match the documents' lengths")
        strings = set(small.get("strings") or ())
        for n in lengths:
            one = DocBin(attrs=[])
            one.attrs = attrs
            one.strings, strings = strings, set()  # put in the vocab with the first document, once
            one.tokens = [numpy.frombuffer(cursors["tokens"].read(int(n) * len(attrs) * 8), dtype="uint64")
                          .reshape((int(n), len(attrs)))]
            one.spaces = [numpy.frombuffer(cursors["spaces"].read(int(n)), dtype=bool).reshape((int(n), 1))]
            one.cats = [_value(cursors["cats"])]
            one.flags = [_value(cursors["flags"]) if "flags" in cursors else {}]
            one.span_groups = [_value(cursors["span_groups"]) if "span_groups" in cursors else b""]
            one.user_data = [_value(cursors["user_data"]) if "user_data" in cursors else None]
            yield next(one.get_docs(vocab))
    finally:
        for cursor in cursors.values():
            cursor.close()
