"""The readers stay linear and the .spacy reader refuses bombs (issue 10, section 2): the linear versions give what
the quadratic ones gave. Their speed is measured in benchmarks/bench_hostile.py, against the plain readers."""
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("spacy")

from annotator.core.tokenize import token_arrays  # noqa: E402
from annotator.formats.docbin import words_and_spaces  # noqa: E402
from annotator.formats.docbin_stream import NotDocBin, iter_docs  # noqa: E402

TEXTS = st.lists(st.sampled_from(list("ab Z,.\n\t\u00a0\u3000-'\r") + ["\U0001F600", "e\u0301", "  ", "UNODC"]),
                 min_size=1, max_size=40).map("".join)


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_words_and_spaces_are_what_spacy_makes_of_our_tokens(text):
    from spacy.util import get_words_and_spaces

    tokens = token_arrays(text)
    assert words_and_spaces(text, tokens.starts, tokens.ends) == get_words_and_spaces(tokens.texts, text)


@given(TEXTS, st.data())
@settings(max_examples=300, deadline=None)
def test_utf16_offsets_convert_as_the_whole_table_says(text, data):
    from annotator.formats.common import FromUTF16, utf16_offsets

    table = utf16_offsets(text)
    where = {u: i for i, u in enumerate(table)}  # the table the reader built per span, in minutes for 1,000 spans
    convert = FromUTF16(text)
    drawn = data.draw(st.lists(st.integers(-2, table[-1] + 2), max_size=20))
    for u in drawn:
        assert convert(u) == where.get(u)
    for a, b in zip(drawn, drawn[1:]):  # both ends at once, in either order
        assert convert.span(a, b) == (None if where.get(a) is None or where.get(b) is None else (where[a], where[b]))


@given(st.text(max_size=8), st.integers(0, 10**6), st.integers(0, 10**6), st.text(min_size=1, max_size=8),
       st.text(max_size=8))
def test_derived_span_ids_are_uuid5(doc_id, start, end, label, who):
    import uuid

    from annotator.formats.common import SPAN_NAMESPACE, derived_span_id

    expected = str(uuid.uuid5(SPAN_NAMESPACE, f"{doc_id}:{start}:{end}:{label}:{who}"))
    assert derived_span_id(doc_id, start, end, label, who, 1) == expected


@given(TEXTS.filter(lambda t: t.strip() and "\r" not in t), st.data())
@settings(max_examples=200, deadline=None)
def test_records_give_their_spans_the_derived_ids_and_find_every_astral_character(text, data):
    import re

    from annotator.core.offsets import astral_starts
    from annotator.formats.common import derived_span_id, make_record

    rec = make_record(text, [])
    assert astral_starts(rec.document.text) == [m.start() for m in re.finditer("[\U00010000-\U0010ffff]",
                                                                               rec.document.text)]
    n = len(rec.document.text)
    bounds = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda b: b[0] < b[1]),
                                max_size=5))
    spans = [(a, b, label, None, who) for (a, b), label, who in zip(bounds, ["ORG", "FIGURE", "É"] * 2,
                                                                    ["ann", "", "bob"] * 2)]
    rec = make_record(text, spans, annotator="dflt")  # offsets of the normalised text: no BOM or \r\n among these
    assert [s.id for s in rec.spans] == [derived_span_id(rec.document.id, s.start, s.end, s.label, s.annotator, 1)
                                         for s in rec.spans]
    assert [s.annotator for s in rec.spans] == [who or "dflt" for (_, _, _, _, who) in spans]


def _docbin(parts: list[bytes]) -> bytes:
    import srsly

    pack = srsly.msgpack_dumps
    z = zlib.compressobj(9)
    return b"".join(z.compress(p) for p in parts) + z.flush()


def _bomb(tmp_path, *, lengths_bytes: int = 4, string_bytes: int = 0):
    """A DocBin with one document of three tokens, whose 'lengths' or one string inflates to a run of zeros."""
    import srsly

    pack = srsly.msgpack_dumps
    zeros = bytes(1 << 20)
    head = [b"\x8a", pack("version"), pack(3), pack("attrs"), pack([65, 77]), pack("tokens"), pack(bytes(48)),
            pack("spaces"), pack(b"\x01\x01\x01"), pack("lengths")]
    z = zlib.compressobj(9)
    data = b"".join(z.compress(p) for p in head)
    if lengths_bytes > 4:
        data += z.compress(b"\xc6" + lengths_bytes.to_bytes(4, "big"))
        data += b"".join(z.compress(zeros) for _ in range(lengths_bytes >> 20))
    else:
        data += z.compress(pack((3).to_bytes(4, "little")))
    data += z.compress(pack("strings"))
    if string_bytes:
        data += z.compress(b"\x91\xdb" + string_bytes.to_bytes(4, "big"))
        data += b"".join(z.compress(b"a" * (1 << 20)) for _ in range(string_bytes >> 20))
    else:
        data += z.compress(pack([]))
    tail = [pack("cats"), pack([{}]), pack("flags"), pack([{}]), pack("span_groups"), pack([b""]), pack("user_data"),
            pack([None])]
    data += b"".join(z.compress(p) for p in tail) + z.flush()
    path = tmp_path / "bomb.spacy"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind,reason", [
    ("lengths", "'lengths' states 4,194,304 documents for 3 tokens"),
    ("string", "a string that says it has 16,777,216 bytes inflates more than 100 times: a decompression bomb"),
    ("lie", "the file ends in the middle of its data"),
])
def test_decompression_bombs_are_refused_by_the_sizes_they_state(tmp_path, kind, reason):
    from spacy.vocab import Vocab

    if kind == "lie":  # a header that says 4 GB in a file of a few hundred bytes: nothing inflated, nothing allocated
        import srsly

        pack = srsly.msgpack_dumps
        path = tmp_path / "lie.spacy"
        path.write_bytes(_docbin([b"\x82", pack("attrs"), pack([65]), pack("strings"), b"\x91\xdb\xff\xff\xff\xff"]))
    else:
        path = _bomb(tmp_path, **({"lengths_bytes": 16 << 20} if kind == "lengths" else {"string_bytes": 16 << 20}))
    with pytest.raises(NotDocBin, match=reason.replace("(", r"\(")):
        list(iter_docs(path, Vocab()))
