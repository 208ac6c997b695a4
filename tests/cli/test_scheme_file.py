"""The default scheme is a file (resources/scheme.json) a new database starts from, checked as any label is."""
import json
from pathlib import Path

import pytest

from annotator.core.errors import InvariantError
from annotator.core.labels import labels_from_scheme

SCHEME = Path(__file__).resolve().parents[2] / "resources" / "scheme.json"


def test_a_new_database_starts_from_the_scheme_file(cli):
    cli("labels", "add", "LOCATION")  # makes the database
    shown = json.loads(cli("labels", "--json").stdout)
    written = json.loads(SCHEME.read_text(encoding="utf-8"))["labels"]
    assert [{k: l[k] for k in ("name", "color", "hotkey", "guideline")} for l in shown[:3]] == written
    assert len(written) == 3 and all(len(l["guideline"]) > 100 for l in written)


@pytest.mark.parametrize("labels, said", [
    ([{"name": "A", "color": "blue"}], "scheme.json: label 1: colour 'blue' must be written #RRGGBB"),
    ([{"name": "A", "color": "#000000", "hotkey": "1"}, {"name": "B", "color": "#000000", "hotkey": "1"}],
     "scheme.json: label 2: the hotkey '1' is given twice"),
    ([{"name": "A", "color": "#000000"}, {"name": "A", "color": "#111111"}], "label 2: the name 'A' is given twice"),
    ([{"name": "A", "color": "#000000", "hotkey": "ctrl+z"}], "label 1: hotkey 'Ctrl+Z' is a key of the review"),
    ([{"name": " A", "color": "#000000"}], "label 1: label name ' A' must be 1 to 64 printable characters"),
    ([{"name": "A", "color": "#000000", "guideline": 3}], "label 1 must be an object whose name, color, hotkey"),
    ([], "scheme.json: 'labels' must be a non-empty list"),
])
def test_a_scheme_the_label_rules_refuse_is_named_with_the_label(labels, said):
    with pytest.raises(InvariantError, ) as caught:
        labels_from_scheme({"labels": labels}, "scheme.json")
    assert said in str(caught.value)


def scheme_of(cli):
    return json.loads(cli("labels", "--scheme").stdout)


def test_a_teams_scheme_goes_from_one_database_to_another(cli, tmp_path):
    cli("labels", "add", "LOCATION", "--color", "#009E73", "--hotkey", "Q", "--guideline", "A place.")
    cli("labels", "recolor", "FIGURE", "#D55E00")
    written = scheme_of(cli)
    shared = tmp_path / "team-scheme.json"
    shared.write_text(json.dumps(written), encoding="utf-8")

    from tests.cli.conftest import Cli
    other = Cli(tmp_path / "other.db")
    said = other("labels", "load", shared).stdout
    assert "added LOCATION" in said and "changed FIGURE" in said
    assert scheme_of(other) == written


def test_the_shipped_scheme_file_is_one_labels_load_takes(cli):
    cli("labels", "add", "LOCATION")
    cli("labels", "edit", "FIGURE", "--hotkey", "Q")
    said = cli("labels", "load", SCHEME).stdout
    assert "changed FIGURE" in said and "retired (no span uses them) LOCATION" in said
    assert scheme_of(cli) == json.loads(SCHEME.read_text(encoding="utf-8"))


def test_labels_the_file_leaves_out_are_retired_unless_spans_use_them(cli, tmp_path):
    cli("import", "--annotator", "alice", Path(__file__).resolve().parents[2] / "documents")
    doc = json.loads(cli("export").stdout.splitlines()[0])
    from annotator.store import Store
    store = Store(cli.db)
    store.add_span(doc["id"], 0, 5, "COMMITMENT", "alice")
    store.close()
    # FIGURE and ORGANISATION swap hotkeys; COMMITMENT (in use) and the file's new label are told apart
    team = {"labels": [{"name": "FIGURE", "color": "#E69F00", "hotkey": "1"},
                       {"name": "ORGANISATION", "color": "#0072B2", "hotkey": "2"},
                       {"name": "LOCATION", "color": "#009E73", "hotkey": "4"}]}
    (tmp_path / "team.json").write_text(json.dumps(team))
    said = cli("labels", "load", tmp_path / "team.json").stdout
    assert "kept though not in the file (spans use them) COMMITMENT" in said
    shown = [(l["name"], l["hotkey"], l["retired"]) for l in json.loads(cli("labels", "--json", "--all").stdout)]
    assert shown == [("FIGURE", "1", False), ("ORGANISATION", "2", False), ("LOCATION", "4", False),
                     ("COMMITMENT", "3", False)]

    # a file whose hotkey is the kept label's is refused, and nothing of it is taken
    team["labels"][2]["hotkey"] = "3"
    team["labels"][0]["color"] = "#000000"
    (tmp_path / "team.json").write_text(json.dumps(team))
    result = cli("labels", "load", tmp_path / "team.json", ok=False)
    assert "LOCATION's hotkey '3' is COMMITMENT's in the database" in result.output
    assert [(l["name"], l["hotkey"]) for l in json.loads(cli("labels", "--json").stdout)][0] == ("FIGURE", "1")
    assert json.loads(cli("labels", "--json").stdout)[0]["color"] == "#E69F00"


@pytest.mark.parametrize("content, said", [
    (b'{"labels": [{"name": "A", "color": "#000000"}, {"name": "B", "color": "red"}]}',
     "label 2: colour 'red' must be written #RRGGBB"),
    (b"[1]", "must hold a JSON object"),
    (b"{\"labels\": [", "not JSON"),
    (b"\xff\xfe", "not UTF-8 text"),
])
def test_a_scheme_file_that_cannot_be_taken_is_named_and_changes_nothing(cli, tmp_path, content, said):
    cli("labels", "add", "LOCATION")
    before = scheme_of(cli)
    (tmp_path / "bad.json").write_bytes(content)
    result = cli("labels", "load", tmp_path / "bad.json", ok=False)
    assert result.output.startswith(f"Error: {tmp_path / 'bad.json'}: ") and said in result.output
    assert len(result.output.splitlines()) == 1 and scheme_of(cli) == before


def test_relation_types_and_attributes_travel_in_the_scheme_file(cli, tmp_path):
    cli("labels", "load", SCHEME)
    scheme = json.loads(cli("labels", "--scheme").stdout)
    assert [r["name"] for r in scheme["relations"]] == ["ACTOR", "PARTNER", "AMOUNT"]
    scheme["relations"] = [{"name": "FUNDS", "head": "ORGANISATION", "child": "FIGURE", "hotkey": "f", "guideline": ""},
                           scheme["relations"][0]]
    scheme["attributes"]["FIGURE"] = [{"name": "currency", "type": "choice", "choices": ["USD", "EUR"]}]
    (tmp_path / "team.json").write_text(json.dumps(scheme))
    said = cli("labels", "load", tmp_path / "team.json").stdout
    assert "relation types added FUNDS" in said and "relation types retired PARTNER, AMOUNT" in said
    assert scheme_of(cli) == scheme
    # a relation type between labels the database does not have changes nothing at all
    scheme["relations"].append({"name": "AT", "head": "COMMITMENT", "child": "PLACE"})
    scheme["labels"][0]["color"] = "#000000"
    (tmp_path / "bad.json").write_text(json.dumps(scheme))
    failed = cli("labels", "load", tmp_path / "bad.json", ok=False)
    assert "relation AT connects PLACE, which is not a label" in failed.output
    assert scheme_of(cli)["labels"][0]["color"] != "#000000"
