"""Issue 12, item 15: command-line manners a newcomer met."""
import json

import pytest

from annotator.store import Store
from tests.cli.conftest import Cli
from tests.conftest import DOCUMENTS


@pytest.fixture
def tagged(cli):
    cli("import", DOCUMENTS)
    store = Store(cli.db)
    doc = next(r.id for r in store.list_documents(limit=10) if "UNODC" in store.document_text(r.id))
    text = store.document_text(doc)
    at = text.index("UNODC")
    store.add_span(doc, at, at + 5, "ORGANISATION", "alice")
    store.close()
    return cli, doc, text


def test_export_for_an_annotator_nobody_is_refused_like_an_unknown_label(tagged, tmp_path):
    cli, _, _ = tagged
    refused = cli("export", "--annotator", "nobody", "-o", tmp_path / "x.jsonl", ok=False)
    assert "unknown annotator 'nobody'" in refused.output and "alice" in refused.output
    assert not (tmp_path / "x.jsonl").exists()
    refused = cli("export", "--annotator", "Alice", "-o", tmp_path / "x.jsonl", ok=False)
    assert "did you mean 'alice'" in refused.output
    assert cli("export", "--annotator", "alice", "-o", tmp_path / "x.jsonl").exit_code == 0


def test_labels_says_which_counts_are_reviewers_spans_and_which_gold(tagged):
    cli, doc, text = tagged
    at = text.index("UNODC")
    cli("gold", "add", doc, at, at + 5, "ORGANISATION")
    listing = cli("labels").output
    row = next(l for l in listing.splitlines() if "ORGANISATION" in l)
    assert "1 span(s)" in row and "1 gold" in row
    as_json = {l["name"]: l for l in json.loads(cli("labels", "--json").output)}
    assert as_json["ORGANISATION"]["spans"] == 1 and as_json["ORGANISATION"]["gold"] == 1
    assert cli.stats()["spans_per_label"]["ORGANISATION"] == 1  # stats counts the reviewers' spans, as labels does


def test_retire_names_its_options_and_offers_to_close_the_hotkey_gap(tagged):
    cli, _, _ = tagged
    refused = cli("labels", "retire", "ORGANISATION", ok=False)
    assert "--relabel-to" in refused.output and "--delete-spans" in refused.output
    retired = cli("labels", "retire", "FIGURE").output
    assert "annotator labels renumber" in retired
    assert [l.split()[0] for l in cli("labels").output.splitlines()] == ["1", "3"]
    renumbered = cli("labels", "renumber").output
    assert "COMMITMENT: 3 -> 2" in renumbered
    keys = {l["name"]: l["hotkey"] for l in json.loads(cli("labels", "--json").output)}
    assert keys == {"ORGANISATION": "1", "COMMITMENT": "2"}


def test_gold_add_snaps_to_words_as_the_window_does(tagged):
    cli, doc, text = tagged
    word = "smuggling"
    at = text.index(word)
    # mid-word with a trailing space: the README's example stored "anizations "
    added = cli("gold", "add", doc, at + 3, at + len(word) + 1, "ORGANISATION").output
    assert f"“{word}”" in added and "snapped" in added
    gold = [json.loads(l) for l in cli("export", "--gold").stdout.splitlines()]
    texts = [s["text"] for d in gold for s in d["spans"]]
    assert texts == [word]
    refused = cli("gold", "add", doc, text.index(" "), text.index(" ") + 1, "ORGANISATION", ok=False)
    assert "only spaces" in refused.output


def test_a_missing_parent_folder_is_the_same_rule_for_files_and_folders(tagged, tmp_path):
    cli, _, _ = tagged
    for fmt, target in (("jsonl", tmp_path / "a" / "b" / "out.jsonl"), ("brat", tmp_path / "c" / "d" / "")):
        refused = cli("export", "--format", fmt, "-o", target, ok=False)
        assert "does not exist" in refused.output and "create it first" in refused.output
        assert not (tmp_path / ("a" if fmt == "jsonl" else "c")).exists()
    (tmp_path / "c").mkdir()
    assert cli("export", "--format", "brat", "-o", tmp_path / "c" / "d").exit_code == 0
    assert (tmp_path / "c" / "d").is_dir()
