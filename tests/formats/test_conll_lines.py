"""The CoNLL writer's joined runs of lines equal the plain per-token way of writing them (tokens, IOB2 tags, a blank
line at each paragraph break, the outermost of overlapping spans), on generated texts and spans."""
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Span
from annotator.core.tokenize import tokenize
from annotator.formats import LossReport
from annotator.formats.common import overlapping
from annotator.formats.conll import conll_block

WORDS = ["UNODC", "and", "IOM", "met", "US$7", "billion", "😀", "中文", "U.S.", "’s", ",", ".", "e\u0301"]
SEPARATORS = [" ", " ", "", "\n", "\n\n", "  \n "]


def plain(text, spans):
    """A line per token, as the first version of the writer made them."""
    tokens = tokenize(text)
    tags = ["O"] * len(tokens)
    kept, _ = overlapping(spans)
    for s in kept:
        covered = [k for k, t in enumerate(tokens) if t.start < s.end and s.start < t.end]
        for n, k in enumerate(covered):
            tags[k] = ("B-" if n == 0 else "I-") + s.label
    lines = []
    for k, t in enumerate(tokens):
        if k and "\n" in text[tokens[k - 1].end:t.start]:
            lines.append("\n")
        lines.append(f"{t.text} _ _ {tags[k]}\n")
    return "".join(lines)


@st.composite
def documents(draw):
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=30))
    text = "".join(w + s for w, s in parts)
    spans = []
    for k in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(f"s{k}", "d", start, end, draw(st.sampled_from(["ORG", "FIG"])), text[start:end], "a"))
    return text, sorted(spans, key=lambda s: (s.start, -s.end))


@settings(max_examples=1500, deadline=None)
@given(documents())
def test_joined_lines_equal_a_line_per_token(doc):
    text, spans = doc
    assert conll_block(text, spans, LossReport()) == plain(text, spans)
