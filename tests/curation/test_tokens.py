"""The fast token paths of agreement give exactly what the tokenizer gives on the whole text."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokenize import tokenize
from annotator.curation.tokens import (
    category_name, count_tokens, count_tokens_by_chunks, document_profiles, token_categories,
)

PIECES = [
    "UNODC", "U.S.", "US$7", "$1,200", "2.4", "20th", "Union’s", "IOM's", "e.g.", "a.b.", "ab.c.", "1a2", "€30.5",
    "中国", "😀", "👩\u200d👩\u200d👧", "🇯🇵", "e\u0301", "x", ".", ",", "'", "’s", "-", "—", "(", ")", "\u00a0", "𠀋",
    "Bali", "Process", "billion", "!", "\u200d", "\ufe0f", "s",
]
SEPARATORS = [" ", "", "", "\n", "\t", "  ", "\u3000", "\u2029"]
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=25).map(
    lambda parts: "".join(p + s for p, s in parts)
)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_count_tokens_is_the_tokenizer_count(text):
    assert count_tokens(text) == count_tokens_by_chunks(text) == len(tokenize(text))


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_profiles_are_those_of_every_token(text, data):
    n = len(text)
    span = st.tuples(st.integers(0, n - 1), st.integers(1, 8), st.sampled_from(["A", "B", "C"])).map(
        lambda t: (t[0], min(n, t[0] + t[1]), t[2])
    )
    spans = [data.draw(st.lists(span, max_size=4)) for _ in range(3)]
    fast = document_profiles(text, spans)
    plain = Counter(token_categories(text, spans))
    assert {tuple(category_name(c) for c in k): v for k, v in fast.items() if v} == dict(plain)
