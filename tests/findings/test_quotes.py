"""Issue 15: a quotation was cut at about 90 characters either side of the span, mid-sentence. It now quotes the
sentence the span is in (or the sentences, for a span across them), with the span marked, and cuts only a very long
sentence, at a word, saying so with an ellipsis."""
from annotator.findings import compute
from annotator.findings.quotes import QUOTE_CAP, quote
from annotator.store import Store
from tests.findings.tagging import CHINA, DAWN, import_bundled, tag


def test_the_quotation_is_the_whole_sentence_with_the_span_marked():
    text = ("The first sentence is not quoted. In a long sentence that goes on well past ninety characters, with "
            "clauses and more clauses, the ministers agreed that UNODC will fund shelters for victims of trafficking "
            "across the whole region this year. Another sentence, also not quoted.")
    start = text.index("UNODC will fund")
    end = start + len("UNODC will fund shelters")
    q = quote(text, start, end)
    assert q.before == "In a long sentence that goes on well past ninety characters, with clauses and more clauses, the ministers agreed that "
    assert q.marked == "UNODC will fund shelters"
    assert q.after == " for victims of trafficking across the whole region this year."
    assert q.plain().startswith("In a long") and "[UNODC will fund shelters]" in q.plain()


def test_a_very_long_sentence_is_cut_at_a_word_and_says_so():
    words = " ".join(f"word{i}" for i in range(400))
    text = f"{words} MARK {words}."
    start = text.index("MARK")
    q = quote(text, start, start + 4)
    assert q.marked == "MARK"
    assert q.before.startswith("…") and q.after.endswith("…")
    assert len(q.before) <= QUOTE_CAP + 1 and len(q.after) <= QUOTE_CAP + 1
    assert q.before[1:].startswith("word") and q.after[:-1].rstrip().split(" ")[-1].startswith("word")


def test_the_bundled_commitments_are_quoted_from_their_sentences():
    store = Store(":memory:")
    tag(store, import_bundled(store))
    rows = {c.date: c for c in compute(store).commitments}
    china = rows[CHINA]
    assert (china.quote.before, china.quote.marked, china.quote.after) == ("", china.text, ".")
    dawn = rows[DAWN].quote
    assert dawn.before == "Highlighting the gravity of the situation, Jeremy Milsom " and dawn.after == "."
    assert "…" not in dawn.before + dawn.after
