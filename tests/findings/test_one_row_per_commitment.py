"""Issue 15: a commitment two reviewers tagged appeared twice when neither --reviewer nor --gold was given, and was
counted twice in the organisations, figures and over-time tables. The same commitment (same document, same range,
same label) is one row naming all its reviewers; a document with a gold (curated) layer is read from it."""
import pytest

from annotator.findings import Filters, compute
from annotator.findings.tables import ALL
from annotator.store import Store
from annotator.store import gold
from tests.findings.tagging import CHINA, DAWN, SEED_UNODC, TAGS, UNODC_2011, import_bundled, tag


@pytest.fixture
def two_reviewers():
    """alice tags the bundled articles; bob tags the UNODC 2011 article the same way, and marks it done."""
    store = Store(":memory:")
    ids = import_bundled(store)
    alice = tag(store, ids)
    bob = tag(store, ids, "bob", [t for t in TAGS if t[0] == UNODC_2011])
    store.set_review(ids[UNODC_2011], "bob", status="done")
    yield store, ids, alice, bob
    store.close()


def test_a_commitment_two_reviewers_tagged_is_one_row_naming_both(two_reviewers):
    store, *_ = two_reviewers
    found = compute(store)
    rows = [c for c in found.commitments if c.date == UNODC_2011]
    assert len(rows) == 1
    assert (rows[0].reviewer, rows[0].status) == ("alice; bob", "todo; done")
    assert found.commitment_count == 5
    # counted once wherever it is counted
    assert (UNODC_2011[:4], ALL, 1) in found.over_time
    unodc = next(o for o in found.organisations if o.name == SEED_UNODC)
    assert (unodc.mentions, unodc.documents, unodc.nearby) == (3, 3, 1)


def test_one_reviewer_or_a_status_still_chooses_their_own_rows(two_reviewers):
    store, *_ = two_reviewers
    assert [c.reviewer for c in compute(store, Filters(reviewer="bob")).commitments] == ["bob"]
    assert [(c.reviewer, c.status) for c in compute(store, Filters(status="done")).commitments] == [("bob", "done")]


def test_a_curated_document_is_read_from_its_gold_layer(two_reviewers):
    store, ids, alice, bob = two_reviewers
    # the curator takes alice's commitment of the Dawn article and the organisation in its sentence only
    dawn = [s for (date, _), s in alice.items() if date == DAWN]
    for s in dawn:
        if s.label in ("COMMITMENT", "FIGURE"):
            gold.take(store, ids[DAWN], s.start, s.end, s.label, "carol", [s.id])
    found = compute(store)
    rows = {c.date: c for c in found.commitments}
    assert (rows[DAWN].reviewer, rows[DAWN].status) == ("carol", "curated")
    assert rows[CHINA].reviewer == "alice"  # not curated: the reviewers' rows
    # the Dawn article's organisation was not taken into gold: it is not counted for that article
    unodc = next(o for o in found.organisations if o.name == SEED_UNODC)
    assert unodc.mentions == 2
