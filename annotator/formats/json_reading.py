"""Reading JSON as every reader needs it: one decoder that refuses a key given twice and NaN/Infinity, errors in
a reader's words (``json_failure``), JSONL a line at a time, and a JSON array an item at a time with flat memory."""
from __future__ import annotations

import codecs
import gc
import json
import re
from pathlib import Path
from typing import Iterator

from ..core.errors import InputError


class JSONRefused(ValueError):
    """JSON that parses but that we refuse: a key twice in one object, NaN or Infinity."""


def _object(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # {"start": 0, "start": 5}: which one the writer meant is anyone's guess
        seen: set = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise JSONRefused(f"the key {twice!r} appears twice in one object")
    return obj


def _constant(name: str):
    raise JSONRefused(f"{name} is not a JSON value (JSON numbers are finite)")


def _compiled_object():
    """_object compiled (_json_objects.c): a hook in Python costs half a microsecond an object, as long as json's
    whole parse of a Label Studio task of 1,000 spans; without a C compiler at install, _object itself."""
    try:
        from ._json_objects import object_from_pairs, set_refusal
    except ImportError:
        return _object
    set_refusal(JSONRefused)
    return object_from_pairs


# Python's json takes two things JSON does not have (NaN, Infinity) and keeps the last of two equal keys silently
DECODER = json.JSONDecoder(object_pairs_hook=_compiled_object(), parse_constant=_constant)


def json_failure(exc: Exception) -> str | None:
    """What is wrong with a JSON text that ``DECODER`` refused with ``exc``; None if ``exc`` is not about JSON."""
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON: {exc.msg} at column {exc.colno}" + (f" of line {exc.lineno}" if exc.lineno > 1 else "")
    if isinstance(exc, JSONRefused):
        return str(exc)
    if isinstance(exc, RecursionError):  # json's C scanner stops at the interpreter's recursion limit
        return "JSON nested too deeply (lists or objects more than about 1,000 levels inside each other)"
    if isinstance(exc, ValueError) and "digits" in str(exc):  # int() refuses more than 4,300 digits
        return "a number with more digits than any offset or value could need (over 4,300)"
    return None


def _without_collection(decode):
    """``decode`` run with the cyclic garbage collector off. A text nested a thousand levels deep takes the decoder
    to the interpreter's recursion limit; a collection that starts there finalizes whatever generator is garbage
    at that moment (an earlier import's, a window's job), whose close() then fails with a RecursionError of its own
    and writes "Exception ignored ..." with a traceback to the terminal. Reference counting still frees everything
    the decoder drops; the collector runs again at the next allocation after it."""
    def quiet(*args):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return decode(*args)
        finally:
            if enabled:
                gc.enable()
    return quiet


_decode = _without_collection(DECODER.decode)
_raw_decode = _without_collection(DECODER.raw_decode)


def loads(text: str):
    """``json.loads`` with the refusals above, raising InputError (without a place: the caller knows it)."""
    try:
        return _decode(text)
    except (ValueError, RecursionError) as exc:
        reason = json_failure(exc)
        if reason is None:
            raise
        raise InputError(reason) from None


def json_lines(path: Path, progress=None) -> Iterator[tuple[int, object | InputError]]:
    """(line number, parsed object or InputError) for each non-empty line of a JSONL file."""
    name = str(path)
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            if progress:
                progress(len(raw))
            if not raw.strip():
                continue
            try:
                yield number, loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield number, InputError(f"not valid UTF-8 at byte {exc.start} of the line", name, number)
            except InputError as exc:
                yield number, exc.at(name, number)


_SPACE = re.compile(r"[ \t\r\n]*")


def json_array_items(path: Path, progress=None, chunk: int = 1 << 20,
                     expected: str = "a JSON array") -> Iterator[tuple[int, object] | InputError]:
    """(line number, item) for each item of a file holding one JSON array, read a megabyte at a time: a Label
    Studio export of 100,000 tasks is a single array of some hundreds of megabytes, which ``json.load`` would turn
    into several gigabytes at once. Malformed JSON or bad UTF-8 ends the file with an InputError naming the line."""
    name = str(path)
    decode = _raw_decode
    text_of = codecs.getincrementaldecoder("utf-8-sig")()  # a BOM, if an editor added one, is not JSON
    buf, at, line, done_bytes, eof = "", 0, 1, 0, False  # line: the line of buf[at]

    def more() -> bool:
        nonlocal buf, at, eof, done_bytes
        if eof:
            return False
        raw = fh.read(chunk)
        eof = not raw
        try:
            piece = text_of.decode(raw, final=eof)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 at byte {done_bytes + exc.start}", name) from None
        done_bytes += len(raw)
        if progress and raw:
            progress(len(raw))
        buf, at = buf[at:] + piece, 0
        return bool(raw) or bool(piece)

    def skip_space() -> None:
        nonlocal at, line
        while True:
            while at < len(buf) and buf[at] in " \t\r\n":
                line += buf[at] == "\n"
                at += 1
            if at < len(buf) or not more():
                return

    def expect(chars: str, what: str) -> str:
        skip_space()
        if at >= len(buf) or buf[at] not in chars:
            found = repr(buf[at]) if at < len(buf) else "the end of the file"
            raise InputError(f"malformed JSON: expected {what}, found {found}", name, line)
        return buf[at]

    with open(path, "rb") as fh:
        try:
            expect("[", expected)
            at += 1
            if expect("]{[\"-0123456789tfn", "an item or ']'") == "]":
                return
            while True:
                skip_space()
                while True:
                    try:
                        item, end = decode(buf, at)
                        # a container or a string ends at its closing character; a number cut by the end of a
                        # chunk ("0." of "0.5") may go on in the next one (looked at without copying the rest of
                        # the chunk: a copy per item made reading a megabyte of small tasks quadratic)
                        if eof or buf[at] in "{[\"":
                            break
                        after = _SPACE.match(buf, end).end()
                        if after < len(buf) and buf[after] not in "0123456789.eE+-":
                            break
                    except json.JSONDecodeError as exc:
                        if eof:
                            cut = exc.pos >= len(buf.rstrip())
                            reason = "the file ends inside an item" if cut else exc.msg
                            raise InputError(f"malformed JSON: {reason}", name, line + buf.count("\n", at, exc.pos))
                    except (ValueError, RecursionError) as exc:  # refused (see DECODER): a fault of the item itself
                        reason = json_failure(exc)
                        if reason is None:
                            raise
                        raise InputError(reason, name, line) from None
                    more()  # an item cut by the end of a chunk: read on and try again
                yield line, item
                if buf.find("\n", at, end) >= 0:  # find is memchr; count goes character by character (0.13 ms
                    line += buf.count("\n", at, end)  # over a Label Studio task of 400 KB on one line, issue 10)
                at = end
                if expect(",]", "',' or ']'") == "]":
                    break
                at += 1
            at += 1
            skip_space()
            if at < len(buf):
                raise InputError(f"malformed JSON: {buf[at]!r} after the array", name, line)
        except InputError as exc:
            yield exc


def first_json_line(path: Path):
    """The first JSON object of a JSONL file, or None (for sniffing)."""
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                if raw.strip():
                    return loads(raw.decode("utf-8"))
    except (OSError, ValueError, InputError):  # not ours to judge here: reading the file says what is wrong
        return None
    return None
