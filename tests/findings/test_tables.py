"""The findings tables on the bundled articles as a reviewer tagged them: what an analyst reads in them."""
import pytest

from annotator.findings import Filters, compute
from annotator.findings.model import BY_PROXIMITY, NOT_FOUND
from annotator.findings.tables import ALL
from annotator.store import Store
from tests.findings.tagging import (BTA, CHINA, DAWN, PEOPLES, SEED_BALI, SEED_IOM, SEED_UNGA, SEED_UNODC, UNODC_2011,
                                    import_bundled, tag)


@pytest.fixture
def tagged():
    store = Store(":memory:")
    ids = import_bundled(store)
    spans = tag(store, ids)
    yield store, ids, spans
    store.close()


def by_date(findings):
    return {c.date: c for c in findings.commitments}


def test_without_relations_a_commitments_organisations_are_those_in_its_sentence_and_say_so(tagged):
    store, ids, _ = tagged
    rows = by_date(compute(store))
    assert sorted(rows) == [CHINA, UNODC_2011, PEOPLES, DAWN, BTA]
    # unlinked spans counted under the registry seed's organisation their text names ("UNODC", "Bali Process")
    assert rows[UNODC_2011].nearby == (SEED_UNODC, SEED_BALI)
    assert rows[UNODC_2011].organisations_by == BY_PROXIMITY
    assert rows[UNODC_2011].publisher == "UNODC"
    assert rows[PEOPLES].nearby == (SEED_UNGA,)
    # "UNODC" in the Dawn article is in the sentence before the call: not guessed to be its actor
    assert rows[DAWN].nearby == () and rows[DAWN].organisations_by == NOT_FOUND
    assert rows[CHINA].actors == rows[CHINA].partners == ()
    assert rows[CHINA].text.startswith("China will strengthen cooperation")
    assert rows[CHINA].publisher == "China Daily"  # and its date, 06/12/2001, read day first
    assert (rows[CHINA].quote.marked, rows[CHINA].quote.after) == (rows[CHINA].text, ".")  # its sentence, no more
    assert rows[UNODC_2011].quote.before.endswith("In this regard, ")


def test_dates_and_publishers_come_from_the_documents_metadata_and_filter(tagged):
    store, *_ = tagged
    assert sorted(by_date(compute(store, Filters(since="2012", until="2024-04")))) == [PEOPLES, DAWN]
    assert sorted(by_date(compute(store, Filters(publisher="dawn")))) == [DAWN]
    found = compute(store, Filters(since="2024"))
    assert found.coverage.in_findings == 2 and found.coverage.documents == 5


def test_organisations_table_counts_mentions_documents_and_dates(tagged):
    store, *_ = tagged
    orgs = {o.name: o for o in compute(store).organisations}
    unodc = orgs[SEED_UNODC]  # "UNODC" twice and "UN Office on Drugs and Crime" once
    assert (unodc.entity, unodc.mentions, unodc.documents, unodc.first_date, unodc.last_date) == (
        "UNODC", 3, 3, UNODC_2011, DAWN)
    assert unodc.nearby == 1 and unodc.with_most == [(SEED_BALI, 1)]
    assert unodc.quote.marked == "UNODC" and "welcomed assistance from" in unodc.quote.before
    iom = orgs[SEED_IOM]  # "International Organization for Migration" twice and "IOM" once
    assert (iom.mentions, iom.documents, iom.first_date, iom.last_date) == (3, 2, CHINA, BTA)
    assert orgs["Ministry of Foreign Affairs"].entity == ""  # names no one organisation: kept as written


def test_organisation_and_kind_filters_choose_commitments_and_their_figures(tagged):
    store, *_ = tagged
    for asked in ("bali process", "BALI-PROCESS", SEED_BALI):  # as written, the registry id, the canonical name
        found = compute(store, Filters(organisation=asked))
        assert [c.date for c in found.commitments] == [UNODC_2011], asked
    assert found.figures == []  # none of its sentence's spans is a figure
    everything = compute(store)
    assert everything.figure_count == 5 and {f.text for f in everything.figures} >= {"US$7 billion", "nearly 60 delegates"}
    # no reviewer gave them values: read from their text, and said to be proposed
    usd = next(f for f in everything.figures if f.text == "US$7 billion")
    assert (usd.value, usd.unit, usd.approximate, usd.value_by) == (7_000_000_000, "USD", False, "proposed from its text")
    near = next(f for f in everything.figures if f.text == "nearly 60 delegates")
    assert (near.value, near.unit, near.approximate) == (60, "delegates", True)


def test_over_time_counts_commitments_per_year_and_per_organisation(tagged):
    store, *_ = tagged
    over = compute(store).over_time
    assert (UNODC_2011[:4], ALL, 1) in over and ("2024", ALL, 2) in over and (UNODC_2011[:4], SEED_UNODC, 1) in over
    monthly = compute(store, Filters(by_month=True)).over_time
    assert ("2024-04", ALL, 1) in monthly and ("2024-07", ALL, 1) in monthly


def test_reviewer_gold_and_status_choose_the_layer(tagged):
    store, ids, _ = tagged
    tag(store, ids, "bob", [(DAWN, "COMMITMENT", "Jeremy Milsom reiterated the call", 0)])
    store.set_review(ids[DAWN], "bob", status="done")
    assert {(c.date, c.reviewer) for c in compute(store).commitments} >= {(DAWN, "alice"), (DAWN, "bob")}
    assert [c.reviewer for c in compute(store, Filters(reviewer="bob")).commitments] == ["bob"]
    done = compute(store, Filters(status="done")).commitments
    assert [(c.reviewer, c.status) for c in done] == [("bob", "done")]
    assert compute(store, Filters(gold=True)).commitments == []


@pytest.mark.parametrize("flt, says", [
    (Filters(since="2011-13"), "--since '2011-13' is not a date"),
    (Filters(since="2020", until="2019"), "--until 2019 is before --since 2020"),
    (Filters(gold=True, status="done"), "the gold layer has none"),
])
def test_bad_filters_are_refused_naming_the_filter(store, flt, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(")):
        compute(store, flt)


def test_cancelling_stops_the_pass(tagged):
    from annotator.findings import Cancelled
    from annotator.findings import tables

    store, *_ = tagged
    old = tables.CHECK_EVERY
    tables.CHECK_EVERY = 1
    try:
        with pytest.raises(Cancelled):
            compute(store, cancelled=lambda: True)
    finally:
        tables.CHECK_EVERY = old
