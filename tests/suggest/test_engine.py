"""The suggestion engine as the window and the command line use it: corpus and pattern sources, what is left
out (tagged, rejected), accepting and rejecting with undo, and what survives reopening the database."""
from annotator.core.commands import UndoStack
from annotator.store import Store
from annotator.suggest import (AcceptSuggestion, RejectSuggestion, Suggester, accept, provenance, reject,
                               suggestions_for, unreject)

A = "The IOM said 350 Pakistani nationals were returned. IOM staff met UNODC officials in 2012."
B = "Officials of IOM and of the IOMX fund met; iom was not there. More than 90 delegates came, some from IOM."
C = "UNODC and the UN agreed. The UNODC office said US$7 billion was lost and 2.4 million people moved."


def add(store, text):
    return store.add_document(text)[0].id


def tag(store, doc_id, surface, label, who="alice", nth=0):
    text = store.document_text(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return store.add_span(doc_id, start, start + len(surface), label, who)


def found(suggestions, source=None):
    return [(s.text, s.label) for s in suggestions if source is None or s.source == source]


def test_corpus_suggests_a_tagged_text_elsewhere_case_sensitively_on_word_boundaries(store):
    a, b = add(store, A), add(store, B)
    tag(store, a, "IOM", "ORGANISATION")
    got = suggestions_for(store, b, ("corpus",))
    assert found(got) == [("IOM", "ORGANISATION")] * 2  # not inside IOMX, not "iom"
    assert [b_text[s.start:s.end] for s in got for b_text in [B]] == ["IOM", "IOM"]
    assert got[0].reason == "tagged ORGANISATION 1 time in 1 document"
    # and in the tagged document itself, the untagged second IOM only
    assert [(s.start, s.text) for s in suggestions_for(store, a, ("corpus",))] == [(A.index("IOM staff"), "IOM")]


def test_corpus_suggests_the_majority_label_and_says_when_labels_differed(store):
    a, b, c = add(store, A), add(store, B), add(store, C)
    tag(store, c, "UNODC", "ORGANISATION")
    tag(store, c, "UNODC", "ORGANISATION", nth=1)
    tag(store, b, "IOM", "ORGANISATION")
    tag(store, b, "IOM", "FIGURE", who="bob")  # bob disagreed once
    tag(store, b, "IOM", "ORGANISATION", nth=1)
    got = {s.text: s for s in suggestions_for(store, a, ("corpus",))}
    assert got["UNODC"].label == "ORGANISATION" and got["UNODC"].score > got["IOM"].score
    assert got["IOM"].label == "ORGANISATION"
    assert got["IOM"].reason == "tagged ORGANISATION 2 times in 1 document; also FIGURE 1 time"


def test_patterns_find_figures_the_guideline_names_and_known_organisations(store):
    a, b, c = add(store, A), add(store, B), add(store, C)
    figures = lambda d: [t for t, lab in found(suggestions_for(store, d, ("patterns",))) if lab == "FIGURE"]
    orgs = lambda d: [t for t, lab in found(suggestions_for(store, d, ("patterns",))) if lab == "ORGANISATION"]
    assert figures(a) == ["350 Pakistani nationals"]  # not the year 2012
    assert figures(b) == ["More than 90 delegates"]
    assert figures(c) == ["US$7 billion", "2.4 million people"]
    assert orgs(c) == ["UNODC", "UN", "UNODC"]
    assert orgs(b) == ["IOM", "IOM"]


def test_nothing_is_suggested_where_a_span_is_or_where_it_was_rejected_and_rejection_survives_reopening(db_path):
    store = Store(db_path)
    a, c = add(store, A), add(store, C)
    tag(store, c, "UNODC", "ORGANISATION")
    first = suggestions_for(store, a, ("corpus", "patterns"))
    unodc = next(s for s in first if s.text == "UNODC")
    assert unodc.reason.endswith("(also suggested by corpus)")  # one suggestion per range and label
    reject(store, unodc, "alice")
    assert "UNODC" not in [s.text for s in suggestions_for(store, a, ("corpus", "patterns"))]
    tag(store, a, "IOM", "FIGURE")  # a span of any label on that range: IOM there is not suggested again
    left = suggestions_for(store, a, ("corpus", "patterns"))
    # the second IOM only: ORGANISATION from the list, FIGURE from the corpus (the span just made)
    assert sorted((s.start, s.label) for s in left if s.text == "IOM") == [(52, "FIGURE"), (52, "ORGANISATION")]
    store.close()

    store = Store(db_path)
    assert "UNODC" not in [s.text for s in suggestions_for(store, a, ("corpus", "patterns"))]
    unreject(store, unodc)
    assert "UNODC" in [s.text for s in suggestions_for(store, a, ("corpus", "patterns"))]
    store.close()


def test_accepting_makes_an_ordinary_span_that_remembers_its_source_and_undoes(store):
    c = add(store, C)
    s = next(x for x in suggestions_for(store, c, ("patterns",)) if x.text == "US$7 billion")
    stack = UndoStack(store)
    command = stack.push(AcceptSuggestion(s, "alice"))
    [span] = store.spans(c)
    assert (span.start, span.end, span.label, span.text, span.annotator) == (s.start, s.end, "FIGURE",
                                                                             "US$7 billion", "alice")
    assert C[span.start:span.end] == "US$7 billion"
    assert provenance(store, span.id).source == "patterns"
    assert "US$7 billion" not in [x.text for x in suggestions_for(store, c, ("patterns",))]
    stack.undo()
    assert store.spans(c) == [] and "US$7 billion" in [x.text for x in suggestions_for(store, c, ("patterns",))]
    stack.redo()
    assert [x.id for x in store.spans(c)] == [command.span.id]
    other = accept(store, next(x for x in suggestions_for(store, c, ("patterns",)) if x.text == "UN"), "alice",
                   label="FIGURE")  # a label key chose another label
    assert other.label == "FIGURE" and provenance(store, other.id).source == "patterns"
    stack.push(RejectSuggestion(next(x for x in suggestions_for(store, c, ("patterns",))), "alice"))
    assert len(suggestions_for(store, c, ("patterns",))) == 2
    stack.undo()
    assert len(suggestions_for(store, c, ("patterns",))) == 3


def test_a_suggester_sees_spans_tagged_after_it_was_made_here_and_in_another_connection(db_path):
    store = Store(db_path)
    a, b = add(store, A), add(store, B)
    suggester = Suggester(store, ("corpus",))
    assert suggester.for_document(b) == []
    tag(store, a, "IOM", "ORGANISATION")
    assert found(suggester.for_document(b)) == [("IOM", "ORGANISATION")] * 2
    other = Store(db_path)
    tag(other, a, "UNODC", "ORGANISATION")
    other.close()
    c = add(store, C)
    assert "UNODC" in [s.text for s in suggester.for_document(c)]
    suggester.close()
    store.close()


def test_a_suggester_told_what_another_connection_changed_reads_only_that(db_path, monkeypatch):
    """The window's suggestion process is told which documents the window changed: it reads those, without a scan
    of every document's fingerprint; told None (settings, a third program's commit), it scans again."""
    from annotator.store import suggestions as queries

    store, window = Store(db_path), Store(db_path)
    a, b = add(store, A), add(store, B)
    c = add(store, C)
    suggester = Suggester(store, ("corpus",))
    assert suggester.for_document(b) == []
    scans = []
    scan = queries.tagged_fingerprints
    monkeypatch.setattr(queries, "tagged_fingerprints", lambda s: scans.append(1) or scan(s))
    tag(window, a, "IOM", "ORGANISATION")
    suggester.told([a])
    assert found(suggester.for_document(b)) == [("IOM", "ORGANISATION")] * 2
    assert scans == []
    tag(window, a, "UNODC", "ORGANISATION")
    suggester.told(None)
    assert "UNODC" in [s.text for s in suggester.for_document(c)]
    assert scans == [1]
    suggester.close()
    window.close()
    store.close()


def test_organisations_of_the_database_registry_are_suggested_too(store):
    doc = add(store, "The Mekong Club and the IOM met.")
    assert found(suggestions_for(store, doc, ("patterns",))) == [("IOM", "ORGANISATION")]
    store.add_entity("MEKONG-CLUB", "The Mekong Club", aliases=["Mekong Club"])  # the cached suggester sees it
    assert found(suggestions_for(store, doc, ("patterns",))) == [("The Mekong Club", "ORGANISATION"),
                                                                ("IOM", "ORGANISATION")]


def test_tags_committed_while_the_sources_load_are_read_by_the_first_call(tmp_path, monkeypatch):
    """The window's worker builds its Suggester while the reviewer tags (spaCy takes seconds to load): a span
    committed by another connection meanwhile must be suggested elsewhere by the first call, not missed for good."""
    from annotator.store import Store
    from annotator.suggest import engine

    path = tmp_path / "race.db"
    window = Store(path)
    first, _ = window.add_document("Harbour Watch patrolled the coast.", title="1")
    other, _ = window.add_document("Later Harbour Watch said so.", title="2")
    worker = Store(path)
    made = engine._make_source

    def slow_source(store, name):
        source = made(store, name)
        if name == "corpus":  # the corpus has read the (empty) tagged texts; the reviewer tags now
            window.add_span(first.id, 0, 13, "ORGANISATION", "alice")
        return source

    monkeypatch.setattr(engine, "_make_source", slow_source)
    suggester = engine.Suggester(worker, ("corpus",))
    assert [(s.text, s.label) for s in suggester.for_document(other.id)] == [("Harbour Watch", "ORGANISATION")]
    suggester.close()
    worker.close()
    window.close()


def test_offsets_are_code_points_after_emoji_astral_characters_and_combining_marks(store):
    a = add(store, A)
    tag(store, a, "IOM", "ORGANISATION")
    text = "😀 𠀀 Café́ news: the IOM said 350 Pakistani nationals and 𠀀 UNODC met."
    doc = add(store, text)
    got = suggestions_for(store, doc, ("corpus", "patterns"))
    assert {(s.text, s.label) for s in got} == {("IOM", "ORGANISATION"), ("350 Pakistani nationals", "FIGURE"),
                                               ("UNODC", "ORGANISATION")}
    for s in got:
        assert text[s.start:s.end] == s.text
        assert accept(store, s, "alice").text == s.text  # the store checks the offsets against its text


def test_the_corpus_follows_deletions_relabels_and_resizes_here_and_in_another_connection(db_path):
    store = Store(db_path)
    a, b, c = add(store, A), add(store, B), add(store, C)
    suggester = Suggester(store, ("corpus",))
    first = tag(store, a, "IOM", "ORGANISATION")
    tag(store, c, "UNODC", "ORGANISATION")
    assert found(suggester.for_document(b)) == [("IOM", "ORGANISATION")] * 2
    store.relabel_span(first.id, "FIGURE")                       # here: the majority follows
    assert found(suggester.for_document(b)) == [("IOM", "FIGURE")] * 2
    other = Store(db_path)
    other.relabel_span(first.id, "ORGANISATION")                 # another connection
    assert found(suggester.for_document(b)) == [("IOM", "ORGANISATION")] * 2
    other.delete_span(first.id)                                  # the last place of IOM goes: no suggestion
    assert found(suggester.for_document(b)) == []
    store.restore_span(first.id)
    assert found(suggester.for_document(b)) == [("IOM", "ORGANISATION")] * 2
    unodc = other.spans(c)[0]
    other.resize_span(unodc.id, unodc.start, unodc.start + 2)    # "UN": found in C, no longer UNODC
    assert found(suggester.for_document(a)) == [("IOM", "ORGANISATION")]
    assert ("UN", "ORGANISATION") in found(suggester.for_document(c))
    other.close()
    suggester.close()
    store.close()


def test_an_article_past_spacys_million_characters_gets_its_suggestions(store):
    text = "The ministers met again. " * 44_000 + "Then IOM counted 350 Pakistani nationals."
    assert len(text) > 1_000_000
    doc = add(store, text)
    got = suggestions_for(store, doc, ("patterns",))
    assert [(s.text, s.start) for s in got] == [("IOM", text.index("IOM")),
                                                ("350 Pakistani nationals", text.index("350"))]


def test_a_suggestion_overlapping_a_span_of_its_label_is_left_out_however_the_spans_nest(store):
    """The overlap check finds, among any nesting of tagged spans, exactly the suggestions that overlap a span of
    their own label (a span of another label does not hide one), as a walk through every span would."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from annotator.core.model import Suggestion

    doc_id = add(store, "x" * 60)
    suggester = Suggester(store, ("corpus",))
    ranges = st.tuples(st.integers(0, 59), st.integers(1, 20), st.sampled_from(["FIGURE", "ORGANISATION"]))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(ranges, max_size=12), st.lists(ranges, min_size=1, max_size=12))
    def check(tagged, proposed):
        taken = [(s, min(s + n, 60), label) for s, n, label in tagged]
        found = [Suggestion(doc_id, s, min(s + n, 60), label, "x", "corpus", 0.5, "r") for s, n, label in proposed]
        kept = {(s.start, s.end, s.label) for s in suggester._finish(doc_id, found, taken, set())}
        expected = {(s.start, s.end, s.label) for s in found
                    if (s.start, s.end) not in {(a, b) for a, b, _ in taken}
                    and not any(a < s.end and s.start < b for a, b, label in taken if label == s.label)}
        assert kept == expected

    check()


def test_a_huge_document_sends_the_surest_suggestions_in_reading_order():
    from annotator.core.model import Suggestion
    from annotator.suggest.service import surest

    found = [Suggestion("d", i * 10, i * 10 + 3, "ORGANISATION", "IOM", "corpus", score)
             for i, score in enumerate([0.5, 0.9, 0.5, 0.7, 0.9, 0.2, 0.5])]
    kept = surest(found, 4)
    # the two 0.9s, the 0.7, then of the three 0.5s the earliest; in the order given
    assert [(s.start, s.score) for s in kept] == [(0, 0.5), (10, 0.9), (30, 0.7), (40, 0.9)]
    assert surest(found, 10) == found
