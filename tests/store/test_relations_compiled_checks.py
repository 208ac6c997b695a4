"""The store's checks of an import's relations and their staging rows, compiled for the common case
(annotator/core/_relations.c), keep, drop, count and refuse what the Python loop does, and stage the same rows."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.core.model import Document, DocumentRecord, GoldRelation, Relation, Span, SpanAttribute
from annotator.store import bulk_links, link_staging
from annotator.store.store import Store

T0 = "2026-05-05T10:00:00.000000+00:00"
DOC = Document("d" * 16, "IOM pledged US$7 billion to ASEAN", "t", None, "d" * 64)
SPANS = [Span("c", DOC.id, 4, 11, "COMMITMENT", "pledged", "ana", "", T0, T0),
         Span("o", DOC.id, 0, 3, "ORGANISATION", "IOM", "ana", "", T0, T0),
         Span("f", DOC.id, 12, 24, "FIGURE", "US$7 billion", "ana", "", T0, T0),
         Span("a", DOC.id, 28, 33, "ORGANISATION", "ASEAN", "bob", "", T0, T0),
         Span("x", DOC.id, 25, 27, "ORGANISATION", "to", "ana", "", T0, T0, T0)]  # deleted

STORE = Store()  # its default scheme: ACTOR and PARTNER (COMMITMENT -> ORGANISATION), AMOUNT (-> FIGURE)

relations = st.builds(
    Relation,
    id=st.sampled_from(["r1", "r2", "", "r\ud800", None, 5]),
    doc_id=st.sampled_from([DOC.id, DOC.id, "other"]),
    head=st.sampled_from(["c", "c", "o", "x", "gone", None]),
    child=st.sampled_from(["o", "f", "a", "x", "c", 3]),
    type=st.sampled_from(["ACTOR", "AMOUNT", "PARTNER", "NEW", "", "bad type!", None]),
    annotator=st.sampled_from(["ana", "ana", "bob", "", None]),
    created=st.sampled_from([T0, "", "x\udc00", None]),
    updated=st.sampled_from([T0, "", 1]),
    deleted=st.sampled_from([None, None, None, T0, "", 0]),
)


def _check(items, compiled: bool):
    checker = bulk_links.LinkChecker(STORE)
    rec = DocumentRecord(DOC, list(SPANS))
    rec.relations = list(items)
    with pytest.MonkeyPatch.context() as m:
        if not compiled:
            m.setattr(bulk_links, "_storable", None)
        try:
            checker.check(rec)
        except InputError as exc:
            return f"refused: {exc}"
    return rec.relations, dict(checker.dropped), list(checker.new_types)


def test_the_test_environment_runs_the_compiled_checks():
    assert bulk_links._storable is not None and link_staging._compiled_rows is not None, "_relations.c was not built"


@settings(max_examples=500, deadline=None)
@given(st.lists(relations, max_size=5), st.booleans())
def test_the_same_relations_kept_dropped_and_refused(items, plain):
    if plain:  # good ones, which the compiled check keeps on its own
        items = [Relation(f"p{i}", DOC.id, "c", child, kind, "ana", T0, T0) for i, (child, kind) in
                 enumerate([("o", "ACTOR"), ("f", "AMOUNT"), ("o", "PARTNER")])] + items[:1]
    assert _check(items, True) == _check(items, False)


def test_plain_relations_are_kept_by_the_compiled_check_and_others_are_left_to_the_loop():
    good = [Relation("r1", DOC.id, "c", "o", "ACTOR", "ana", T0, T0), Relation("r2", DOC.id, "c", "f", "AMOUNT",
                                                                             "ana", T0, T0)]
    spans = {s.id: s for s in SPANS}
    check = bulk_links._storable
    types = bulk_links.LinkChecker(STORE).types
    assert check(Relation, good, spans, types, DOC.id, bulk_links.ANY_LABEL) is True
    for bad in (Relation("r3", DOC.id, "c", "f", "ACTOR", "ana", T0, T0),  # ACTOR does not go to a FIGURE
                Relation("r3", DOC.id, "c", "x", "ACTOR", "ana", T0, T0),  # to a deleted span
                Relation("r3", DOC.id, "c", "a", "ACTOR", "ana", T0, T0),  # to bob's span
                Relation("r\ud800", DOC.id, "c", "o", "ACTOR", "ana", T0, T0),
                GoldRelation("r3", DOC.id, "c", "o", "ACTOR", "ana", T0, T0)):
        assert check(Relation, good + [bad], spans, types, DOC.id, bulk_links.ANY_LABEL) is False


@settings(max_examples=200, deadline=None)
@given(st.lists(relations, max_size=5), st.sampled_from(["2026-06-01T00:00:00.000000+00:00", ""]))
def test_the_same_staging_rows(items, stamp):
    compiled = link_staging.relation_rows(list(items), stamp, False)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(link_staging, "_compiled_rows", None)
        assert compiled == link_staging.relation_rows(list(items), stamp, False)


values = st.one_of(st.text(alphabet=st.sampled_from(list("aé😀\"\\\x00\x1f\n\u2028 ")), max_size=6), st.integers(),
                   st.integers(-2**80, 2**80), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.none(), st.just([1]))
attributes = st.builds(SpanAttribute, span_id=st.sampled_from(["o", "f"]), doc_id=st.just(DOC.id),
                       name=st.sampled_from(["unit", "value", "é"]), value=values,
                       annotator=st.sampled_from(["ana", ""]), proposed=st.sampled_from([True, False, 1]),
                       updated=st.sampled_from([T0, ""]), deleted=st.sampled_from([None, T0]))


@settings(max_examples=300, deadline=None)
@given(st.lists(attributes, max_size=5), st.sampled_from(["2026-06-01T00:00:00.000000+00:00", ""]))
def test_the_same_staging_rows_of_attribute_values(items, stamp):
    """The value as the JSON that json.dumps writes (text with escapes, big numbers, floats, true/false); a value
    json.dumps would write otherwise (NaN, a list) is left to the loop, which writes it as before."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(link_staging, "_compiled_attribute_rows", None)
        reference = link_staging.attribute_rows(list(items), stamp)
    assert link_staging.attribute_rows(list(items), stamp) == reference
    plain = [a for a in items if type(a.proposed) is bool and type(a.value) in (str, int, float, bool)
             and (type(a.value) is not float or abs(a.value) < float("inf"))]
    if plain:  # the compiled loop's own rows, not the fallback's
        with pytest.MonkeyPatch.context() as m:
            m.setattr(link_staging, "_compiled_attribute_rows", None)
            reference = link_staging.attribute_rows(plain, stamp)
        assert link_staging._compiled_attribute_rows(SpanAttribute, plain, stamp) == reference
