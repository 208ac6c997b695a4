"""The registry seeded into a new database, and proposals written on ORGANISATION and FIGURE spans: never over a
reviewer's confirmed or cleared value."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.organisations import registry
from annotator.store import normalise
from annotator.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHINA = (ROOT / "documents" / "2001-12-06_china-daily_joint-efforts-key-to-fighting-irregular-migration.txt"
         ).read_text(encoding="utf-8")
BTA = (ROOT / "documents" / "2024-07-17_bta_vietnam-reaffirms-commitment-against-human-trafficking.txt"
       ).read_text(encoding="utf-8")


def tag(store, doc, part, label, annotator="ana", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(part, start + 1)
    return store.add_span(doc.id, start, start + len(part), label, annotator)


def values(store, span):
    return {a.name: (a.value, a.proposed) for a in store.attributes(span_id=span.id)}


@pytest.fixture
def china():
    store = Store()
    doc, _ = store.add_document(CHINA, title="China Daily")
    return store, doc


def test_a_new_database_starts_with_the_registry(tmp_path):
    path = tmp_path / "new.db"
    store = Store(path)
    assert {e.id for e in store.entities()} == {o.id for o in registry().organisations}
    assert "UN Office on Drugs and Crime" in store.entity("UNODC").aliases
    assert [e.id for e in store.find_entities("IOM")] == ["IOM"]
    assert store.entity("IOM").updated == normalise.SEED_STAMP  # every database's seed rows are equal: they merge
    store.add_entity("FOO", "Foo Agency")
    store.merge_entities("IOM", "UNHCR")  # a reviewer's changes stay: reopening seeds nothing again
    store.close()
    store = Store(path)
    assert "FOO" in {e.id for e in store.entities()} and "UNHCR" not in {e.id for e in store.entities()}
    assert len(store.entities()) == len(registry().organisations)
    store.close()


def test_organisation_and_figure_spans_get_proposals(china):
    store, doc = china
    iom = tag(store, doc, "International Organization for Migration (IOM)", "ORGANISATION")
    mofa = tag(store, doc, "the Ministry of Foreign Affairs", "ORGANISATION")
    delegates = tag(store, doc, "more than 90 delegates", "FIGURE")
    money = tag(store, doc, "US$7 billion", "FIGURE")
    commitment = tag(store, doc, "China will strengthen cooperation", "COMMITMENT")
    report = normalise.propose(store)
    assert values(store, iom) == {"entity": ("IOM", True)}
    assert values(store, mofa) == {"entity": ("CN-MFA", True)}  # China's, from the article
    assert values(store, delegates) == {"value": (90, True), "unit": ("delegates", True), "approximate": (True, True)}
    assert values(store, money) == {"value": (7_000_000_000, True), "unit": ("USD", True),
                                    "approximate": (False, True)}
    assert values(store, commitment) == {"kind": ("pledge", True)}  # "will strengthen"
    # a ministry is made when a span first names it
    made = store.entity("CN-MFA")
    assert (made.name, made.kind, made.country) == ("Ministry of Foreign Affairs (China)", "ministry", "CN")
    assert report.lines()[0] == ("5 span(s) looked at: proposed 2 entity link(s), values for 2 figure(s) and 1 "
                                 "commitment kind(s)")
    assert "added 1 ministry entity: CN-MFA" in report.lines()


def test_a_confirmed_or_cleared_value_is_never_replaced(china):
    store, doc = china
    iom = tag(store, doc, "IOM", "ORGANISATION")
    money = tag(store, doc, "US$7 billion", "FIGURE")
    normalise.propose(store)
    store.set_attribute(iom.id, "entity", "UN")             # the reviewer corrects the link
    store.confirm_attribute(money.id, "value")              # confirms the value
    store.clear_attribute(money.id, "approximate")          # and removes a proposal they do not want
    report = normalise.propose(store)
    assert values(store, iom) == {"entity": ("UN", False)}
    assert values(store, money) == {"value": (7_000_000_000, False), "unit": ("USD", True)}
    assert report.kept == 3 and report.unchanged == 1 and report.proposed == []
    assert "3 value(s) a reviewer confirmed or cleared: left as they are" in report.lines()


def test_a_proposal_pass_that_read_before_a_reviewer_confirmed_leaves_their_value(china, monkeypatch):
    store, doc = china
    iom = tag(store, doc, "IOM", "ORGANISATION")
    store.set_attribute(iom.id, "entity", "UN")  # confirmed: but the pass below read the document before
    monkeypatch.setattr(normalise, "_stale", lambda existing: {})
    report = normalise.propose(store)
    assert values(store, iom) == {"entity": ("UN", False)} and report.proposed == []


def test_a_grown_registry_changes_proposals_still_proposed(china):
    store, doc = china
    process = tag(store, doc, "the Manila Process", "ORGANISATION")
    snakeheads = tag(store, doc, "snakeheads", "ORGANISATION")
    normalise.propose(store)
    assert values(store, snakeheads) == {}
    store.add_entity("SNAKEHEADS", "Snakehead gangs", aliases=["snakeheads"])
    store.merge_entities("BALI-PROCESS", "MANILA-PROCESS")  # a reviewer decides they are one
    assert values(store, process) == {"entity": ("BALI-PROCESS", True)}  # the link moved with the merge
    report = normalise.propose(store)
    assert values(store, snakeheads) == {"entity": ("SNAKEHEADS", True)}
    assert values(store, process) == {"entity": ("BALI-PROCESS", True)} and report.unchanged == 1


def test_a_dry_run_writes_nothing_and_says_what_it_would(china):
    store, doc = china
    tag(store, doc, "the Ministry of Foreign Affairs", "ORGANISATION")
    tag(store, doc, "Workshop on Operational Cooperation", "ORGANISATION")
    report = normalise.propose(store, dry_run=True)
    assert store.attributes(doc.id) == [] and "CN-MFA" not in {e.id for e in store.entities()}
    assert [(p.text, p.value) for p in report.proposed] == [("the Ministry of Foreign Affairs", "CN-MFA")]
    assert report.lines()[0].startswith("2 span(s) looked at: would propose 1 entity link(s), values for 0")
    assert "would add 1 ministry entity: CN-MFA" in report.lines()
    assert "1 span(s) named nothing the registry or the figure reader knows, most often: " \
           "'Workshop on Operational Cooperation' (1)" in report.lines()


def test_proposals_for_some_documents_spans_or_annotators_only():
    store = Store()
    china, _ = store.add_document(CHINA)
    bta, _ = store.add_document(BTA)
    a = tag(store, china, "IOM", "ORGANISATION", "ana")
    b = tag(store, china, "IOM", "ORGANISATION", "bo", nth=1)
    c = tag(store, bta, "the Ministry of Foreign Affairs", "ORGANISATION", "ana")
    deleted = tag(store, bta, "the Bali Process", "ORGANISATION", "ana")
    store.delete_span(deleted.id)
    assert normalise.propose(store, annotators=["bo"]).spans == 1
    assert values(store, a) == {} and values(store, b) == {"entity": ("IOM", True)}
    assert [p.value for p in normalise.propose_for_span(store, c.id)] == ["VN-MFA"]  # Vietnam's, from its article
    assert values(store, a) == {}
    assert normalise.propose(store, doc_ids=[china.id]).spans == 2 and values(store, a) == {"entity": ("IOM", True)}
    assert values(store, deleted) == {}
    assert sorted(a.annotator for a in store.attributes(china.id)) == ["ana", "bo"]  # each span's own annotator


def test_proposals_follow_the_database_scheme(china):
    store, doc = china
    store.add_label("MONEY")
    from annotator.core.model import AttributeDef
    store.set_attribute_defs([*store.attribute_defs(), AttributeDef("MONEY", "value", "number"),
                              AttributeDef("MONEY", "unit", "text")])
    money = tag(store, doc, "US$7 billion", "MONEY")
    normalise.propose(store, what=["figures"])
    assert values(store, money) == {"value": (7_000_000_000, True), "unit": ("USD", True)}  # no approximate here


def test_a_long_pass_writes_a_batch_at_a_time_and_all_of_it(monkeypatch):
    store = Store()
    monkeypatch.setattr(normalise, "_BATCH", 2)
    seen = []
    store.listeners.append(lambda change: seen.append(change.kind))
    docs = [store.add_document(f"Article {i}\n" + BTA)[0] for i in range(3)]
    for doc in docs:
        tag(store, doc, "the Ministry of Foreign Affairs", "ORGANISATION")
        tag(store, doc, "nearly 60 delegates", "FIGURE")
    report = normalise.propose(store, keep=False)
    assert (report.links, report.figures, report.proposed) == (3, 3, [])
    assert len(store.attributes()) == 3 * 4 and {a.value for a in store.attributes() if a.name == "entity"} == {"VN-MFA"}
    assert seen.count("entities") == 1 and seen.count("attributes") == 3  # the ministry made once


def test_commitment_kinds_are_proposed_counted_and_never_over_a_reviewers_value(china):
    """Issue 14: the window proposed a COMMITMENT's kind (core/commitment_kinds.py), normalise did not."""
    store, doc = china
    pledge = tag(store, doc, "China will strengthen cooperation", "COMMITMENT")
    confirmed = tag(store, doc, "China will strengthen cooperation with regional", "COMMITMENT")
    cleared = tag(store, doc, "China will strengthen cooperation with regional and", "COMMITMENT")
    nothing = tag(store, doc, "Joint Efforts", "COMMITMENT")  # no cue: no kind
    store.set_attribute(confirmed.id, "kind", "plan")  # a reviewer's kind
    store.set_attribute(cleared.id, "kind", "call", proposed=True)
    store.clear_attribute(cleared.id, "kind")          # a reviewer cleared a proposal
    report = normalise.propose(store, dry_run=True)
    assert [(p.span_id, p.value) for p in report.proposed] == [(pledge.id, "pledge")] and report.kinds == 1
    assert values(store, pledge) == {}
    report = normalise.propose(store)
    assert values(store, pledge) == {"kind": ("pledge", True)}
    assert values(store, confirmed) == {"kind": ("plan", False)} and values(store, cleared) == {}
    assert values(store, nothing) == {}
    assert report.kinds == 1 and report.kept == 2
    assert "and 1 commitment kind(s)" in report.lines()[0]
    assert normalise.propose(store, what=["kinds"]).unchanged == 1  # a second pass: nothing new
    # only the scheme's choices: a scheme whose kinds have no "pledge" gets none
    store.set_attribute_defs([d if d.name != "kind" else d.__class__(d.label, d.name, d.type, ("call", "plan"),
                                                                       d.position) for d in store.attribute_defs()])
    store.clear_attribute(pledge.id, "kind")
    other = tag(store, doc, "China will strengthen", "COMMITMENT")
    assert normalise.propose(store, span_ids=[other.id]).kinds == 0
