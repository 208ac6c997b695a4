"""``annotator entities`` and ``annotator normalise``, and the proposals an import makes, as a reviewer uses them."""
import json

from annotator.store import Store
from tests.conftest import DOCUMENTS

CHINA = (DOCUMENTS / "2001-12-06_china-daily_joint-efforts-key-to-fighting-irregular-migration.txt").read_text(
    encoding="utf-8")
TAGS = [("International Organization for Migration (IOM)", "ORGANISATION"), ("the Ministry of Foreign Affairs",
        "ORGANISATION"), ("snakeheads", "ORGANISATION"), ("more than 90 delegates", "FIGURE"),
        ("US$7 billion", "FIGURE"), ("China will strengthen cooperation", "COMMITMENT")]


def jsonl_with_spans(tmp_path):
    spans = []
    for part, label in TAGS:
        start = CHINA.index(part)
        spans.append({"start": start, "end": start + len(part), "label": label, "annotator": "ana"})
    path = tmp_path / "tagged.jsonl"
    path.write_text(json.dumps({"text": CHINA, "spans": spans}) + "\n", encoding="utf-8")
    return path


def attributes(cli):
    store = Store(cli.db)
    try:
        found = {}
        for a in store.attributes():
            found.setdefault(store.span(a.span_id).text, {})[a.name] = (a.value, a.proposed)
        return found
    finally:
        store.close()


def test_an_import_proposes_links_and_figures_for_the_spans_it_brings(cli, tmp_path):
    out = cli("import", "--propose", jsonl_with_spans(tmp_path)).stdout
    assert ("proposed 2 entity link(s), values for 2 figure(s) and 1 commitment kind(s) (see 'annotator "
            "normalise')") in out
    assert attributes(cli) == {
        "International Organization for Migration (IOM)": {"entity": ("IOM", True)},
        "the Ministry of Foreign Affairs": {"entity": ("CN-MFA", True)},
        "more than 90 delegates": {"value": (90, True), "unit": ("delegates", True), "approximate": (True, True)},
        "US$7 billion": {"value": (7_000_000_000, True), "unit": ("USD", True), "approximate": (False, True)},
        "China will strengthen cooperation": {"kind": ("pledge", True)},
    }


def test_an_import_without_propose_proposes_nothing(cli, tmp_path):
    out = cli("import", jsonl_with_spans(tmp_path)).stdout
    assert "proposed" not in out and attributes(cli) == {}
    assert "proposed 2 entity link(s), values for 2 figure(s)" in cli("normalise").stdout  # the command, later
    assert len(attributes(cli)) == 5
    assert "proposed 0 entity link(s), values for 0 figure(s) and 0 commitment kind(s)" in cli(
        "normalise", "--only", "kinds").stdout  # proposed already


def test_entities_list_show_add_alias_merge(cli, tmp_path):
    cli("import", "--propose", jsonl_with_spans(tmp_path))
    listed = cli("entities").stdout.splitlines()
    assert any(l.startswith("IOM ") and "International Organization for Migration" in l and "1 link(s)" in l
               for l in listed)
    assert any(l.startswith("CN-MFA ") and "[ministry, CN]" in l for l in listed)
    processes = json.loads(cli("entities", "--kind", "process", "--json").stdout)
    assert "BALI-PROCESS" in {e["id"] for e in processes} and {e["kind"] for e in processes} == {"process"}
    shown = cli("entities", "show", "IOM").stdout
    assert "IOM: International Organization for Migration" in shown and "OIM" in shown
    assert "1  International Organization for Migration (IOM)  (1 proposed, not yet confirmed)" in shown

    # snakeheads named nothing; a reviewer adds the entity, then the command proposes it
    assert "added GANGS: Snakehead gangs (aliases: snakeheads)" in cli(
        "entities", "add", "GANGS", "Snakehead gangs", "--alias", "snakeheads").stdout
    out = cli("normalise", "--list").stdout
    assert "ORGANISATION 'snakeheads': entity = \"GANGS\"" in out
    assert "proposed 1 entity link(s), values for 0 figure(s)" in out

    assert "IOM: aliases now" in cli("entities", "alias", "IOM", "UN Migration Agency").stdout
    assert "UN Migration Agency" in json.loads(cli("entities", "show", "IOM", "--json").stdout)["aliases"]
    assert "has no alias 'Nope'" in cli("entities", "alias", "IOM", "Nope", "--remove", ok=False).output
    assert "UN Migration Agency" not in cli("entities", "alias", "IOM", "UN Migration Agency", "--remove").stdout
    assert "GANGS is now named Snakeheads" in cli("entities", "rename", "GANGS", "Snakeheads").stdout

    # merging moves the links; the old id still leads to the kept entity
    assert "merged GANGS into IOM: 1 link(s) moved" in cli("entities", "merge", "IOM", "GANGS").stdout
    assert attributes(cli)["snakeheads"] == {"entity": ("IOM", True)}
    assert "GANGS was merged into IOM" in cli("entities", "show", "GANGS").stdout
    assert "GANGS" not in cli("entities").stdout and "(merged into IOM)" in cli("entities", "--all").stdout


def test_normalise_never_replaces_a_confirmed_value_and_a_dry_run_writes_nothing(cli, tmp_path):
    cli("import", jsonl_with_spans(tmp_path))
    out = cli("normalise", "--dry-run").stdout
    assert "FIGURE 'US$7 billion': value = 7000000000" in out and "would propose 2 entity link(s)" in out
    assert "would add 1 ministry entity: CN-MFA" in out
    assert "1 span(s) named nothing the registry or the figure reader knows, most often: 'snakeheads' (1)" in out
    assert attributes(cli) == {}
    assert "CN-MFA" not in cli("entities").stdout
    cli("normalise", "--only", "entities")
    assert set(attributes(cli)) == {"International Organization for Migration (IOM)", "the Ministry of Foreign Affairs"}
    store = Store(cli.db)
    span = next(s for s in store.spans(store.list_documents(limit=1)[0].id) if s.text.endswith("(IOM)"))
    store.set_attribute(span.id, "entity", "UN")  # the reviewer's own link, confirmed
    store.close()
    out = cli("normalise").stdout
    assert "1 value(s) a reviewer confirmed or cleared: left as they are" in out
    assert attributes(cli)["International Organization for Migration (IOM)"] == {"entity": ("UN", False)}


def test_mistakes_are_one_line_messages(cli, tmp_path):
    assert "no database at" in cli("entities", ok=False).output
    cli("import", "--propose", jsonl_with_spans(tmp_path))
    for args, message in [
        (("entities", "show", "NOPE"), "no entity with id 'NOPE'"),
        (("entities", "add", "I O M", "x"), "an entity id is 1 to 64 letters"),
        (("entities", "add", "IOM", "Again"), "there is already an entity with id 'IOM'"),
        (("entities", "merge", "IOM", "IOM"), "are the same entity"),
        (("entities", "alias", "NOPE", "x"), "no entity with id 'NOPE'"),
        (("normalise", "--doc", "nope"), "nope"),
        (("normalise", "--annotator", "zed"), "no spans by annotator 'zed'; annotators: ana"),
    ]:
        result = cli(*args, ok=False)
        assert message in result.output and "Traceback" not in result.output, args
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_unalias_takes_names_away_all_or_none(cli, tmp_path):
    cli("import", jsonl_with_spans(tmp_path))
    assert "IOM: aliases now" in cli("entities", "alias", "IOM", "UN Migration Agency").stdout
    said = cli("entities", "unalias", "IOM", "UN Migration Agency", "Nope", ok=False).output
    assert "IOM has no alias 'Nope'" in said
    assert "UN Migration Agency" in json.loads(cli("entities", "show", "IOM", "--json").stdout)["aliases"]  # none
    out = cli("entities", "unalias", "IOM", "UN Migration Agency", "OIM").stdout
    assert "UN Migration Agency" not in out and "OIM" not in out
    aliases = json.loads(cli("entities", "show", "IOM", "--json").stdout)["aliases"]
    assert "OIM" not in aliases and "IOM" in aliases
    store = Store(cli.db)
    assert store.find_entities("OIM") == [] and [e.id for e in store.find_entities("IOM")] == ["IOM"]
    store.close()
