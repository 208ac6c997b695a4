"""Issue 12 item 15: command-line manners a newcomer met."""
from annotator.store import Store
from tests.cli.test_labels_stats import first_doc_with_span
from tests.conftest import DOCUMENTS


def test_export_of_an_unknown_annotator_is_an_error_like_an_unknown_label(cli, tmp_path):
    cli("import", DOCUMENTS)
    first_doc_with_span(cli, who="alice")
    out = tmp_path / "x.jsonl"
    refused = cli("export", "--annotator", "nobody", "-o", out, ok=False)
    assert refused.exit_code == 1 and "unknown annotator 'nobody'" in refused.output and "alice" in refused.output
    refused = cli("export", "--annotator", "Alice", "-o", out, ok=False)
    assert "did you mean 'alice'?" in refused.output
    assert not out.exists()
    cli("export", "--annotator", "alice", "-o", out)
    assert out.exists()


def test_gold_add_snaps_to_whole_words_as_the_window_does_and_refuses_spaces(cli):
    cli("import", DOCUMENTS)
    store = Store(cli.db)
    doc = next(d for d in store.document_ids() if "International Organizations and" in store.document_text(d))
    text = store.document_text(doc)
    store.close()
    at = text.index("International Organizations and")
    mid = at + len("International Org")  # mid-word, with a trailing space, as the README's own example did
    added = cli("gold", "add", doc, mid, mid + len("anizations "), "ORGANISATION")
    assert "gold: ORGANISATION “Organizations”" in added.stdout
    assert "snapped" in added.output
    exact = cli("gold", "add", doc, at, at + 5, "FIGURE", "--exact")
    assert "“Inter”" in exact.stdout
    space = text.index(" ", at)
    refused = cli("gold", "add", doc, space, space + 1, "FIGURE", ok=False)
    assert "only spaces" in refused.output and "Traceback" not in refused.output
    refused = cli("gold", "add", doc, 5, 10 ** 9, "FIGURE", ok=False)
    assert "out of range" in refused.output and "Traceback" not in refused.output


def test_labels_say_what_they_count_and_retire_names_its_options_and_the_hotkey_gap(cli):
    cli("import", DOCUMENTS)
    span = first_doc_with_span(cli, label="FIGURE")
    cli("gold", "add", span.doc_id, span.start, span.end, "FIGURE")
    line = next(l for l in cli("labels").stdout.splitlines() if "FIGURE" in l)
    assert "1 span(s), 1 gold" in line
    refused = cli("labels", "retire", "FIGURE", ok=False)
    assert "--relabel-to" in refused.output and "--delete-spans" in refused.output
    retired = cli("labels", "retire", "FIGURE", "--delete-spans")
    assert "hotkeys now 1, 3" in retired.stdout and "labels renumber" in retired.stdout
