"""Issue 14's "done when", through the command line: the commitment linked to its actor and amount, IOM linked to
the registry and the figures valued, exported in each peer format and imported into a new database with what the
format holds; what it cannot hold is counted, and --strict refuses."""
import pytest

from annotator.store import Store

from .conftest import Cli

TEXT = ("China will strengthen cooperation with regional and international organizations such as IOM. "
        "Donors pledged US$7 billion \U0001F600; more than 90 delegates attended.")


def phrase(store, doc, text, label):
    at = TEXT.index(text)
    return store.add_span(doc, at, at + len(text), label, "alice")


def linked_database(path):
    store = Store(path)
    doc = store.add_document(TEXT, title="commitments")[0].id
    commitment = phrase(store, doc, "China will strengthen cooperation with regional and international organizations",
                        "COMMITMENT")
    iom = phrase(store, doc, "IOM", "ORGANISATION")
    money = phrase(store, doc, "US$7 billion", "FIGURE")
    delegates = phrase(store, doc, "more than 90 delegates", "FIGURE")
    store.add_relation(doc, commitment.id, iom.id, "PARTNER")
    store.add_relation(doc, commitment.id, money.id, "AMOUNT")
    store.set_attribute(iom.id, "entity", "IOM")
    store.set_attribute(money.id, "value", 7_000_000_000)
    store.set_attribute(money.id, "unit", "USD")
    store.set_attribute(delegates.id, "value", 90)
    store.set_attribute(delegates.id, "unit", "delegates")
    store.set_attribute(delegates.id, "approximate", True)
    store.set_attribute(commitment.id, "kind", "pledge")
    store.close()


def links(db) -> tuple[list, list]:
    store = Store(db)
    try:
        doc = store.list_documents(limit=1)[0].id
        text = {s.id: s.text for s in store.spans(doc)}
        relations = sorted((text[r.head], r.type, text[r.child]) for r in store.relations(doc))
        # the values reviewers gave (an import also proposes values from the spans' texts: not these)
        values = sorted((text[a.span_id], a.name, a.value) for a in store.attributes(doc) if not a.proposed)
        return relations, values
    finally:
        store.close()


@pytest.mark.parametrize("fmt, target, attributes", [
    ("brat", "out", True), ("labelstudio", "out.json", True), ("doccano", "out.jsonl", False),
    ("spacy-jsonl", "out.jsonl", False)])
def test_each_peer_format_takes_relations_out_and_back(cli, tmp_path, fmt, target, attributes):
    linked_database(cli.db)
    want_relations, want_values = links(cli.db)
    assert len(want_relations) == 2 and len(want_values) == 7
    said = cli("export", "--format", fmt, "-o", tmp_path / target).output
    if not attributes:
        assert "lost: 7 span attributes and entity links" in said
        refused = cli("export", "--format", fmt, "--strict", "-o", tmp_path / ("strict-" + target), ok=False)
        assert "span attributes and entity links" in refused.output and "Nothing written" in refused.output
    back = Cli(tmp_path / "back.db")
    result = back("import", "--format", fmt, "--annotator", "alice", tmp_path / target)
    assert "2 relation(s)" in result.output
    relations, values = links(back.db)
    assert relations == want_relations
    assert values == (want_values if attributes else [])


@pytest.mark.parametrize("fmt, target", [("conll", "out.conll"), ("spacy", "out.spacy"), ("text", "out")])
def test_formats_without_a_place_for_relations_count_them_and_strict_refuses(cli, tmp_path, fmt, target):
    if fmt == "spacy":
        pytest.importorskip("spacy")
    linked_database(cli.db)
    said = cli("export", "--format", fmt, "-o", tmp_path / target).output
    assert "lost: 2 relations" in said and "lost: 7 span attributes and entity links" in said
    refused = cli("export", "--format", fmt, "--strict", "-o", tmp_path / ("strict-" + target), ok=False)
    assert "relations" in refused.output and "Nothing written" in refused.output
    assert not (tmp_path / ("strict-" + target)).exists()


def test_a_peer_file_brings_its_relation_types_in(cli, tmp_path):
    """doccano's own relation-extraction example: foundedAt and foundedBy are new types connecting any labels."""
    from pathlib import Path
    peers = Path(__file__).parents[1] / "formats" / "peers"
    result = cli("import", peers / "doccano_relation_extraction_example.jsonl")
    assert "3 relation(s)" in result.output
    assert "foundedAt" in result.output and "foundedBy" in result.output
    listed = cli("relations").output
    assert any("foundedBy" in line and "any label -> any label" in line and "2 relation(s)" in line
               for line in listed.splitlines()), listed
