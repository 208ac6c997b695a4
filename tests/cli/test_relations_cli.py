"""``annotator relations``: the relation types with their usage, added, renamed and retired from the command line,
and the Label Studio labeling config that declares them (issue 14)."""
import json

from annotator.store import Store

TEXT = "China will strengthen cooperation with IOM and UNODC."


def related_database(path):
    """One commitment with two ACTOR relations and one PARTNER relation."""
    store = Store(path)
    doc = store.add_document(TEXT, title="t")[0].id

    def span(phrase, label):
        at = TEXT.index(phrase)
        return store.add_span(doc, at, at + len(phrase), label, "alice").id

    commitment = span("China will strengthen cooperation", "COMMITMENT")
    iom, unodc = span("IOM", "ORGANISATION"), span("UNODC", "ORGANISATION")
    store.add_relation(doc, commitment, iom, "ACTOR")
    store.add_relation(doc, commitment, unodc, "PARTNER")
    store.close()


def test_list_shows_each_type_with_its_labels_and_usage(cli):
    related_database(cli.db)
    out = cli("relations").stdout.splitlines()
    actor = next(line for line in out if " ACTOR " in line)
    assert "COMMITMENT -> ORGANISATION" in actor and actor.split()[0] == "a" and "1 relation(s)" in actor
    assert any(" AMOUNT " in line and "0 relation(s)" in line for line in out)
    listed = json.loads(cli("relations", "--json").stdout)
    assert [(t["name"], t["relations"]) for t in listed] == [("ACTOR", 1), ("PARTNER", 1), ("AMOUNT", 0)]


def test_add_rename_retire(cli):
    related_database(cli.db)
    said = cli("relations", "add", "FUNDS", "--head", "ORGANISATION", "--child", "COMMITMENT", "--hotkey", "f").stdout
    assert "added FUNDS (ORGANISATION -> COMMITMENT, hotkey f)" in said
    assert "renamed PARTNER to WITH (1 relation(s) follow)" in cli("relations", "rename", "PARTNER", "WITH").stdout
    assert "retired WITH: its 1 relation(s) are kept" in cli("relations", "retire", "WITH").stdout
    names = [t["name"] for t in json.loads(cli("relations", "--json").stdout)]
    assert names == ["ACTOR", "AMOUNT", "FUNDS"]
    retired = json.loads(cli("relations", "--all", "--json").stdout)
    assert {t["name"]: (t["retired"], t["relations"]) for t in retired}["WITH"] == (True, 1)
    # a type that connects any label, as an import of a peer's file makes them
    assert "added Located (any label -> any label, hotkey none)" in cli("relations", "add", "Located").stdout


def test_refusals_say_why_in_one_line(cli):
    related_database(cli.db)
    for args, said in [
        (("add", "ACTOR"), "there is already a relation type named 'ACTOR'"),
        (("add", "X", "--head", "PLACE"), "PLACE"),
        (("add", "X", "--hotkey", "a"), "the relation hotkey 'a' is taken"),
        (("add", "X", "--hotkey", "ab"), "a relation hotkey is one letter or digit"),
        (("add", " X"), "a relation type name must be"),
        (("rename", "NOPE", "X"), "no relation type named 'NOPE'"),
        (("rename", "ACTOR", "AMOUNT"), "there is already a relation type named 'AMOUNT'"),
        (("retire", "NOPE"), "no relation type named 'NOPE'"),
    ]:
        result = cli("relations", *args, ok=False)
        assert said in result.output and "Traceback" not in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    cli("relations", "retire", "AMOUNT")
    assert "retired already" in cli("relations", "retire", "AMOUNT", ok=False).output


def test_labelstudio_config_names_the_database_scheme(cli):
    related_database(cli.db)
    cli("relations", "add", "FUNDS", "--head", "ORGANISATION", "--child", "COMMITMENT")
    config = cli("relations", "--labelstudio-config").stdout
    assert config.startswith("<View>") and '<Relation value="FUNDS"/>' in config
    assert '<Label value="COMMITMENT"' in config and 'perRegion="true" whenLabelValue="FIGURE"' in config


def test_no_database_is_said(cli):
    assert "no database at" in cli("relations", ok=False).output


def test_edit_sets_ends_and_key_and_refuses_ends_its_relations_do_not_fit(cli):
    """The scheme editor's rules (tests/ui/test_scheme_editor.py), from the command line: one Store method."""
    related_database(cli.db)
    assert "updated PARTNER (COMMITMENT -> any label, hotkey w)" in cli(
        "relations", "edit", "PARTNER", "--child", "*", "--hotkey", "w").stdout
    said = cli("relations", "edit", "ACTOR", "--child", "FIGURE", ok=False).output
    assert "1 ACTOR relation(s) join labels that COMMITMENT -> FIGURE would not connect: retype or delete them first" \
        in said
    assert "the relation hotkey 'w' is taken" in cli("relations", "edit", "ACTOR", "--hotkey", "w", ok=False).output
    assert "PLACE" in cli("relations", "edit", "ACTOR", "--head", "PLACE", ok=False).output
    assert "updated AMOUNT (COMMITMENT -> FIGURE, hotkey none)" in cli("relations", "edit", "AMOUNT", "--hotkey",
                                                                       "").stdout
    # a retired type its relations still use comes back with 'add' (it was a delete and an insert: refused by the
    # relations' foreign key)
    cli("relations", "retire", "ACTOR")
    assert "is retired" in cli("relations", "edit", "ACTOR", "--hotkey", "a", ok=False).output
    assert "added ACTOR (COMMITMENT -> ORGANISATION, hotkey a)" in cli(
        "relations", "add", "ACTOR", "--head", "COMMITMENT", "--child", "ORGANISATION", "--hotkey", "a").stdout
    assert [(t["name"], t["relations"]) for t in json.loads(cli("relations", "--json").stdout)][0] == ("ACTOR", 1)


def test_renaming_or_retiring_a_label_keeps_the_scheme_whole(cli):
    related_database(cli.db)
    cli("labels", "rename", "ORGANISATION", "ORG")
    listed = {t["name"]: (t["head"], t["child"]) for t in json.loads(cli("relations", "--json").stdout)}
    assert listed["ACTOR"] == ("COMMITMENT", "ORG")  # the type follows its label
    scheme = json.loads(cli("labels", "--scheme").stdout)
    assert [a["name"] for a in scheme["attributes"]["ORG"]] == ["entity"] and "ORGANISATION" not in scheme["attributes"]
    store = Store(cli.db)
    doc = store.list_documents()[0].id
    span = next(s for s in store.spans(doc) if s.text == "IOM")
    store.set_attribute(span.id, "entity", "IOM")  # the attribute is still the label's
    store.close()
    cli("labels", "retire", "FIGURE")
    assert "label 'FIGURE' is retired already" in cli("labels", "retire", "FIGURE", ok=False).output
