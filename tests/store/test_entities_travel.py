"""Issue 14: a bundle or an export carries the entities its lines link to (id, name, kind, country, aliases), so
the database that merges or imports it gets the same entity, not one named after the span's text."""
from __future__ import annotations

import json

from annotator.curation.bundle import export_bundle
from annotator.curation.merge import merge_paths
from annotator.store import Store
from annotator.store.normalise import propose
from annotator.transfer import export_to, import_paths

TEXT = "The Acme Trust pledged US$3 million. ATF said more would follow.\n"


def alices(path):
    store = Store(path)
    doc = store.add_document(TEXT, title="Acme")[0]
    store.add_entity("ACME-TRUST", "Acme Trust Fund for Migrants", kind="fund", country="GB", aliases=("ATF",))
    span = store.add_span(doc.id, 4, 14, "ORGANISATION", "alice")  # "Acme Trust": not the entity's name
    store.set_attribute(span.id, "entity", "ACME-TRUST")
    return store, doc


def same_entity(store):
    e = store.entity("ACME-TRUST")
    return (e.name, e.kind, e.country, e.aliases)


def test_a_bundle_brings_the_entity_it_links_to_and_a_second_database_proposes_its_alias(tmp_path):
    alice, doc = alices(tmp_path / "alice.db")
    export_bundle(alice, tmp_path / "alice.jsonl")
    line = json.loads((tmp_path / "alice.jsonl").read_text(encoding="utf-8"))
    assert line["entities"] == [{"id": "ACME-TRUST", "name": "Acme Trust Fund for Migrants", "kind": "fund",
                                 "country": "GB", "aliases": ["ATF"], "created": alice.entity("ACME-TRUST").created,
                                 "updated": alice.entity("ACME-TRUST").updated}]
    bob = Store(tmp_path / "bob.db")
    report = merge_paths(bob, [tmp_path / "alice.jsonl"])
    assert same_entity(bob) == same_entity(alice) == ("Acme Trust Fund for Migrants", "fund", "GB", ("ATF",))
    assert bob.entity("ACME-TRUST").updated == alice.entity("ACME-TRUST").updated and report.entities_added == 1
    # the alias came with it: bob's "ATF" span is proposed the entity
    at = TEXT.index("ATF")
    atf = bob.add_span(doc.id, at, at + 3, "ORGANISATION", "bob")
    propose(bob, span_ids=[atf.id])
    assert bob.attribute(atf.id, "entity").value == "ACME-TRUST"
    assert not merge_paths(bob, [tmp_path / "alice.jsonl"]).changed


def test_an_export_imported_into_another_database_brings_the_entity_and_exports_the_same(tmp_path):
    alice, _ = alices(tmp_path / "alice.db")
    export_to(alice, tmp_path / "out.jsonl")
    carol = Store(tmp_path / "carol.db")
    report = import_paths(carol, [tmp_path / "out.jsonl"])
    assert same_entity(carol) == same_entity(alice)
    assert any("1 new entity added to the registry, as the file names them" in n for n in report.notes)
    export_to(carol, tmp_path / "again.jsonl")
    first, again = (json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in ("out.jsonl", "again.jsonl"))
    first["meta"].pop("source"), again["meta"].pop("source")  # the import names the file a record came from
    assert again == first and again["entities"][0]["aliases"] == ["ATF"]


def test_a_line_without_entities_or_with_a_bad_one(tmp_path):
    alice, _ = alices(tmp_path / "alice.db")
    export_to(alice, tmp_path / "out.jsonl")
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    del line["entities"]  # a file of a version that did not carry them: named after the span, as before
    (tmp_path / "old.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    dave = Store(tmp_path / "dave.db")
    import_paths(dave, [tmp_path / "old.jsonl"])
    assert dave.entity("ACME-TRUST").name == "Acme Trust"
    line["entities"] = [{"id": "ACME TRUST", "name": "x"}]
    (tmp_path / "bad.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    import pytest

    from annotator.core.errors import InputError
    with pytest.raises(InputError, match=r"bad.jsonl, line 1: entity 1: an entity id is 1 to 64 letters"):
        import_paths(Store(tmp_path / "erin.db"), [tmp_path / "bad.jsonl"])
