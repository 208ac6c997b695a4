"""How source bytes become the stored text, and how the text gets its identity (design.md section 2)."""
from __future__ import annotations

import codecs
import hashlib

BOM = "\ufeff"
ID_LENGTH = 16


class DecodeError(ValueError):
    """The bytes are not text in the stated encoding; ``offset`` is the first bad byte."""

    def __init__(self, offset: int, encoding: str, reason: str):
        super().__init__(f"not valid {encoding} at byte {offset}: {reason}")
        self.offset = offset
        self.encoding = encoding


def normalise(text: str) -> str:
    """The stored form of a text: no BOM, and every line break a single ``\\n``."""
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Decode source bytes and normalise them; raise DecodeError naming the first bad byte."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(exc.start, encoding, exc.reason) from None
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None
    return normalise(text)


def incremental_decoder(encoding: str = "utf-8"):
    """A decoder from bytes to text; LookupError for an unknown name or a codec that does not make text from bytes
    (rot13, hex, base64, zlib: Python's codecs that are transforms, not text encodings)."""
    info = codecs.lookup(encoding)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{encoding!r} is not a text encoding (it is one of Python's transforms)")
    return info.incrementaldecoder(errors="strict")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id(text: str) -> str:
    """A document's id is derived from its stored text, so the same article imported twice is one document.

    Sixteen hex digits (64 bits) of its SHA-256: short enough to read in a file name or a URL, and a collision
    within a million documents has odds of about 1 in 36 million.
    """
    return sha256(text)[:ID_LENGTH]


def first_line_title(text: str, limit: int = 200) -> str:
    at = 0
    while at < len(text):  # a line at a time, not split(): a list of every line of a long article for its first
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[at:end].strip()
        if line:
            return line[:limit]
        at = end + 1
    return ""


def normalise_with_offsets(text: str):
    """Normalise ``text`` and return it with a function mapping old offsets to new ones.

    Spans that arrive with a text holding a BOM or ``\\r\\n`` point into the text as it was; this keeps them on the
    same characters after the line breaks are normalised.
    """
    import bisect

    removed = []
    if text.startswith(BOM):
        removed.append(0)
    if "\r" in text and "\r\n" in text:  # one character is found by memchr; two by a search 25 times slower
        i = text.find("\r\n")
        while i != -1:
            # the \n of the pair goes; the \r stays in place as the \n, so a span ending on the \r keeps it
            removed.append(i + 1)
            i = text.find("\r\n", i + 2)
    new = normalise(text)
    if not removed:
        return new, None
    return new, lambda i: i - bisect.bisect_left(removed, i)
