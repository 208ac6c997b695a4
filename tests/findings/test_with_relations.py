"""Issue 15's "done when": on the bundled articles tagged as in issue 14's example (entities, figure values, kinds,
ACTOR/PARTNER/AMOUNT relations), the findings answer "which organisations committed to what, with which figures"
in the tables, the CSV and the report."""
import csv

import pytest

from annotator.findings import Filters, compute
from annotator.findings.model import BY_PROXIMITY, BY_RELATION, NOT_FOUND
from annotator.store import Store
from tests.findings.tagging import BTA, CHINA, DAWN, PEOPLES, UNODC_2011, import_bundled, link, tag

# who committed (canonical names), with whom, to what (the commitment's first words), of which kind, which figures
ANSWER = [
    (CHINA, ("Ministry of Foreign Affairs (China)",), ("International Organization for Migration",),
     "China will strengthen cooperation", "pledge", ("7,000,000,000 USD",)),
    (UNODC_2011, ("Bali Process",), ("United Nations Office on Drugs and Crime",), "Ministers welcomed assistance",
     "agreement", ()),
    (PEOPLES, ("United Nations General Assembly",), (), "urged member states to increase", "call",
     ("2,400,000 people",)),
    (DAWN, ("United Nations Office on Drugs and Crime",), (), "reiterated the call for enhanced cooperation", "call",
     ("350 people",)),
]


@pytest.fixture
def linked(tmp_path):
    path = tmp_path / "linked.db"
    store = Store(path)
    link(store, tag(store, import_bundled(store)))
    yield store, path
    store.close()


def test_the_tables_say_who_committed_to_what_with_which_figures(linked):
    store, _ = linked
    found = compute(store)
    rows = sorted(found.commitments, key=lambda c: c.date)
    answered = [(c.date, c.actors, c.partners, c.text[:len(words)], c.kind, tuple(f.shown() for f in c.figures))
                for c, (*_, words, _, _) in zip(rows, ANSWER)]
    assert answered == ANSWER
    assert all(c.organisations_by == BY_RELATION for c in rows[:4])
    assert [c.figures_by for c in rows[:4]] == [BY_RELATION, NOT_FOUND, BY_RELATION, BY_RELATION]
    # the one commitment nobody has related yet says so, and guesses nothing from elsewhere in the article
    assert (rows[4].date, rows[4].organisations_by, rows[4].actors, rows[4].nearby) == (BTA, NOT_FOUND, (), ())
    assert (found.with_relations, found.by_proximity) == (4, 0)


def test_organisations_are_counted_under_their_canonical_names(linked):
    store, _ = linked
    orgs = {o.entity: o for o in compute(store).organisations}
    iom = orgs["IOM"]  # "International Organization for Migration" twice and "IOM" once, in two articles
    assert (iom.name, iom.mentions, iom.documents, iom.as_actor, iom.as_partner) == (
        "International Organization for Migration", 3, 2, 0, 1)
    unodc = orgs["UNODC"]  # "UNODC" twice and "UN Office on Drugs and Crime" once
    assert (unodc.mentions, unodc.documents, unodc.as_actor, unodc.as_partner) == (3, 3, 1, 1)
    assert (unodc.first_date, unodc.last_date) == (UNODC_2011, DAWN)
    assert orgs["CN-MFA"].with_most == [("International Organization for Migration", 1)]


def test_figures_carry_their_values_units_approximations_and_commitments(linked):
    store, _ = linked
    figures = {f.text: f for f in compute(store).figures}
    usd = figures["US$7 billion"]
    assert (usd.value, usd.unit, usd.approximate, usd.commitment_by) == (7_000_000_000, "USD", False, BY_RELATION)
    assert usd.commitment.startswith("China will strengthen cooperation")
    delegates = figures["more than 90 delegates"]
    assert (delegates.value, delegates.unit, delegates.approximate, delegates.commitment) == (90, "delegates", True, "")


def test_filters_by_canonical_organisation_and_kind(linked):
    store, _ = linked
    assert [c.date for c in compute(store, Filters(organisation="IOM")).commitments] == [CHINA]
    assert sorted(c.date for c in compute(store, Filters(organisation="united nations office on drugs and crime"))
                  .commitments) == [UNODC_2011, DAWN]
    calls = compute(store, Filters(kind="call"))
    assert sorted(c.date for c in calls.commitments) == [PEOPLES, DAWN]
    assert sorted(f.text for f in calls.figures) == ["2.4 million people", "350 Pakistani nationals"]


def test_a_relation_wins_over_nearness_and_a_deleted_relation_brings_nearness_back(linked):
    store, _ = linked
    rows = {c.date: c for c in compute(store).commitments}
    assert rows[UNODC_2011].nearby == () and rows[UNODC_2011].organisations_by == BY_RELATION
    for rel in store.relations(rows[UNODC_2011].doc_id):
        store.delete_relation(rel.id)
    again = {c.date: c for c in compute(store).commitments}[UNODC_2011]
    assert again.organisations_by == BY_PROXIMITY
    assert again.nearby == ("United Nations Office on Drugs and Crime", "Bali Process")


def test_the_csv_and_the_report_give_the_same_answer(linked, tmp_path):
    from click.testing import CliRunner

    from annotator.cli import main

    store, path = linked
    out = tmp_path / "tables"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(path), "findings", "-o", str(out)]).exit_code == 0
    with open(out / "commitments.csv", encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["date"])
    assert [(r["date"], r["actors"], r["partners"], r["figures"]) for r in rows[:4]] == [
        (date, "; ".join(actors), "; ".join(partners), "; ".join(figures))
        for date, actors, partners, _, _, figures in ANSWER]
    report = tmp_path / "report.html"
    assert runner.invoke(main, ["--db", str(path), "findings", "--format", "html", "-o", str(report)]).exit_code == 0
    html5lib = pytest.importorskip("html5lib")
    page = html5lib.parse(report.read_bytes(), namespaceHTMLElements=False)
    table = next(t for t in page.iter("table") if t.get("id") == "commitments-table")
    cells = [["".join(td.itertext()) for td in tr.findall("td")] for tr in table.iter("tr")][1:]
    assert [(c[0], c[3], c[4], c[6]) for c in cells[:4]] == [
        (date, "; ".join(actors), "; ".join(partners), "; ".join(figures))
        for date, actors, partners, _, _, figures in ANSWER]
