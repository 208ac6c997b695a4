"""Reading .spacy files a document at a time gives exactly the Docs spaCy's own DocBin reading gives, for our files
and for files spaCy writes with every attribute, and holds one document at a time."""
import zlib

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from annotator.formats import docbin
from annotator.formats.common import make_record
from annotator.formats.docbin_stream import NotDocBin, iter_docs


def same_docs(path):
    ours = list(iter_docs(path, Vocab()))
    theirs = list(DocBin().from_bytes(path.read_bytes()).get_docs(Vocab()))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.to_json() == b.to_json()
        assert a.user_data == b.user_data and a.cats == b.cats
        assert {k: [(s.start, s.end, s.label_) for s in g] for k, g in a.spans.items()} == \
               {k: [(s.start, s.end, s.label_) for s in g] for k, g in b.spans.items()}
    return ours


def test_our_files_read_as_spacy_reads_them(tmp_path):
    recs = [make_record("UNODC and IOM 😀 met in 東京.\n\nUS$7 billion", [(0, 5, "ORG"), (0, 13, "ORG"), (28, 40, "FIG")],
                        annotator="a", title="t"),
            make_record("Second   one", [], annotator="b")]
    path = tmp_path / "ours.spacy"
    with open(path, "wb") as fh:
        docbin.write(recs, fh)
    docs = same_docs(path)
    assert [d.text for d in docs] == [r.document.text for r in recs]
    assert [(e.text, e.label_) for e in docs[0].ents] == [("UNODC and IOM", "ORG"), ("US$7 billion", "FIG")]


def test_files_spacy_writes_with_every_attribute_read_as_spacy_reads_them(tmp_path):
    nlp = spacy.blank("en")
    db = DocBin(store_user_data=False)  # every attribute, no user data, as spacy convert writes them
    for k in range(40):
        doc = nlp(f"Document {k}: the Bali Process met in Jakarta with {k} delegates.")
        for t in doc:
            t.tag_, t.lemma_ = "NN", t.text.lower()
        doc.ents = [Span(doc, 5, 7, label="ORG")]
        doc.spans["sc"] = [Span(doc, 5, 7, label="ORG"), Span(doc, 5, 6, label="X")]
        doc.cats = {"relevant": 1.0 if k % 2 else 0.0}
        db.add(doc)
    path = tmp_path / "theirs.spacy"
    db.to_disk(path)
    docs = same_docs(path)
    assert docs[3].cats == {"relevant": 1.0} and docs[3][0].lemma_ == "document"


def test_an_empty_file_has_no_documents(tmp_path):
    path = tmp_path / "empty.spacy"
    DocBin().to_disk(path)
    assert same_docs(path) == []


def test_not_a_docbin_and_a_cut_file_are_refused(tmp_path):
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not zlib at all")
    with pytest.raises(NotDocBin):
        list(iter_docs(bad, Vocab()))
    good = tmp_path / "good.spacy"
    with open(good, "wb") as fh:
        docbin.write([make_record("UNODC met " * 500, [(0, 5, "ORG")], annotator="a")] * 1, fh)
    cut = tmp_path / "cut.spacy"
    cut.write_bytes(zlib.compress(zlib.decompress(good.read_bytes())[:-100]))
    with pytest.raises(NotDocBin, match="ends in the middle"):
        list(iter_docs(cut, Vocab()))


def test_reading_holds_one_document_at_a_time(tmp_path):
    import tracemalloc

    def peak_for(n):
        recs = [make_record(f"Article {i}: UNODC and IOM met in Bangkok to fight smuggling. " * 20,
                            [(12 + 60 * k, 17 + 60 * k, "ORG") for k in range(10)], annotator="a") for i in range(n)]
        path = tmp_path / f"{n}.spacy"
        with open(path, "wb") as fh:
            docbin.write(recs, fh)
        del recs
        vocab = Vocab()
        next(iter_docs(path, vocab))  # spaCy's first use allocates for good
        tracemalloc.start()
        for _ in iter_docs(path, vocab):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_for(30), peak_for(300)
    assert large < small * 1.5, (small, large)
