"""The compiled writer of spaCy JSONL's "tokens" array (annotator/formats/_spacy_tokens.c) writes exactly what
json.dumps writes for the same token objects: escapes, wide characters and all."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokenize import token_arrays
from annotator.formats import spacy_jsonl

# what JSON escapes and what makes a str wider than Latin-1, among ordinary text
awkward = st.sampled_from(list('"\\\b\f\n\r\t\x00\x01\x1f\x7f\u2028é中😀\U00020BB7') + ["word", " ", "U.S.", "’s"])
texts = st.lists(st.one_of(awkward, st.characters(blacklist_categories=("Cs",))), max_size=50).map("".join)
# an all-ASCII text takes a path of its own in the C
ascii_texts = st.lists(st.one_of(st.sampled_from(['"', "\\", "\b", "\x00", "\x1f", "\x7f", "U.S.", " "]),
                                 st.characters(max_codepoint=127)), max_size=50).map("".join)


def test_the_test_environment_runs_the_compiled_writer():
    assert spacy_jsonl.tokens_json is not spacy_jsonl._tokens_json_reference, "_spacy_tokens.c was not built"


@settings(max_examples=2000, deadline=None)
@given(st.one_of(texts, ascii_texts))
def test_same_json_as_json_dumps(text):
    starts, ends, _, flags = token_arrays(text, with_texts=False)
    written = spacy_jsonl.tokens_json(text, starts, ends, flags)
    assert written == spacy_jsonl._tokens_json_reference(text, starts, ends, flags)
    assert [t["text"] for t in json.loads(written)] == [text[s:e] for s, e in zip(starts, ends)]


def test_a_latin1_token_list_is_stored_narrow_even_when_the_text_is_wide():
    # the text has a CJK space between tokens but no wide token: the str must still equal its Latin-1 twin
    text = "a\u3000b"
    starts, ends, _, flags = token_arrays(text, with_texts=False)
    written = spacy_jsonl.tokens_json(text, starts, ends, flags)
    assert written == '[{"text":"a","start":0,"end":1,"id":0,"ws":true},{"text":"b","start":2,"end":3,"id":1,"ws":false}]'
    assert hash(written) == hash(str(written.encode("ascii"), "ascii"))


@pytest.mark.parametrize("write", [spacy_jsonl.tokens_json, spacy_jsonl._tokens_json_reference])
def test_offsets_outside_the_text_are_refused(write):
    starts, ends, _, flags = token_arrays("one two", with_texts=False)
    with pytest.raises(ValueError, match=r"token 1: \[4, 7\) is not within the text"):
        write("one", starts, ends, flags)
