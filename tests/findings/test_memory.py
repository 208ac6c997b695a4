"""The findings pass streams: its memory does not grow with the corpus (commitment and figure rows go to the writer
as they are made; what stays is per organisation and per period)."""
import tracemalloc

from annotator.core.model import Document
from annotator.core.text import document_id, sha256
from annotator.findings import compute


def fill(store, n: int) -> None:
    docs, spans = [], []
    for i in range(n):
        text = (f"Article {i}. In {2000 + i % 20} the ministers agreed that UNODC will fund 350 shelters for victims "
                f"of trafficking across the region. Officials of IOM welcomed it. ") * 3
        doc = Document(document_id(text), text, f"Article {i}", None, sha256(text),
                       {"date": f"{2000 + i % 20}-05-01", "publisher": f"Paper {i % 7}"})
        docs.append(doc)
        for k, (what, label) in enumerate((("agreed that UNODC will fund 350 shelters", "COMMITMENT"),
                                           ("UNODC", "ORGANISATION"), ("350 shelters", "FIGURE"),
                                           ("IOM", "ORGANISATION"))):
            at = text.index(what)
            spans.append((f"{doc.id}-{k}", doc.id, at, at + len(what), label, what, "alice", "", "t", "t", None))
    with store.transaction():
        store.insert_documents(docs)
        store.conn.executemany("INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,?)", spans)


def peak_of_pass(store) -> int:
    rows = []
    tracemalloc.start()
    try:
        found = compute(store, keep=50, on_commitment=lambda c: rows.append(1) if len(rows) < 1 else None,
                        on_figure=lambda f: None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, found


def test_peak_memory_of_the_pass_does_not_grow_with_the_corpus():
    from annotator.store import Store

    small, large = Store(":memory:"), Store(":memory:")
    fill(small, 200)
    fill(large, 2000)
    small_peak, small_found = peak_of_pass(small)
    large_peak, large_found = peak_of_pass(large)
    assert (small_found.commitment_count, large_found.commitment_count) == (200, 2000)
    assert large_found.organisations[0].mentions == 2000
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
