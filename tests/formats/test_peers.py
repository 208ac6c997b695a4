"""Real files written by the other tools (tests/formats/peers, sources in its SOURCES.md) come in with every span,
on the characters the tool meant, detected by their content where their names say nothing (issue 11)."""
import json
from pathlib import Path

import pytest

from annotator.store import Store
from tests.cli.conftest import Cli

PEERS = Path(__file__).parent / "peers"


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "peers.db")


def spans(db):
    store = Store(db)
    try:
        out = []
        for row in store.list_documents(limit=1000):
            text = store.document_text(row.id)
            out += [(text[s.start:s.end], s.label, s.annotator) for s in store.spans(row.id)]
        return sorted(out)
    finally:
        store.close()


def texts(db):
    store = Store(db)
    try:
        return sorted(store.document_text(row.id) for row in store.list_documents(limit=1000))
    finally:
        store.close()


def test_doccano_1x_export_with_label_and_user_names(cli):
    result = cli("import", "--annotator", "me", PEERS / "doccano_1x_download_sequence_labeling.jsonl")
    assert "3 document(s) imported, 3 span(s)" in result.stdout
    assert spans(cli.db) == [("EU", "ORG", "user1"), ("Obama", "PERSON", "user1"),
                             ("Peter Blackburn", "PERSON", "user1")]


def test_doccano_1x_export_with_label_ids_only(cli):
    result = cli("import", "--annotator", "me", PEERS / "doccano_1x_label_ids.jsonl")
    assert "3 document(s) imported, 3 span(s)" in result.stdout
    assert spans(cli.db) == [("EU", "doccano-label-2", "doccano-user-1"),
                             ("Obama", "doccano-label-1", "doccano-user-1"),
                             ("Peter Blackburn", "doccano-label-1", "doccano-user-1")]


def test_doccano_intent_detection_entities_as_lists(cli):
    # its fifth record has no text: doccano's own test of a bad line, skipped and named
    result = cli("import", "--annotator", "me", "--skip-invalid", PEERS / "doccano_intent_example.jsonl")
    assert "4 document(s) imported, 2 span(s)" in result.stdout
    assert "doccano_intent_example.jsonl, line 5" in result.stdout
    assert spans(cli.db) == [("e", "LOC", "me"), ("e", "LOC", "me")]


def test_doccano_duplicate_spans_are_one(cli):
    result = cli("import", "--annotator", "me", PEERS / "doccano_example_overlapping.jsonl")
    assert "1 document(s) imported, 1 span(s)" in result.stdout
    assert spans(cli.db) == [("e", "LOC", "me")]


def test_flair_data_key_records_and_a_second_import_says_what_it_added(cli, tmp_path):
    result = cli("import", "--annotator", "me", PEERS / "flair_data_key.jsonl")
    assert "3 document(s) imported, 5 span(s)" in result.stdout
    assert spans(cli.db) == [("British lamb", "MISC", "me"), ("EU", "ORG", "me"), ("German", "MISC", "me"),
                             ("New Berlin", "LOC", "me"), ("Peter Blackburn", "PER", "me")]
    more = tmp_path / "more.jsonl"
    more.write_text('{"data": "Peter Blackburn", "label": [[0, 5, "PER"]]}\n')
    again = cli("import", "--annotator", "me", more)
    assert "0 document(s) imported, 1 span(s)" in again.stdout
    assert "nothing to do" not in again.stdout


def test_conll_files_by_their_usual_names_are_read_by_content(cli):
    # flair's test corpus files: eng.testa, no suffix we own, "_ _" columns
    result = cli("import", "--annotator", "me", PEERS / "flair_fashion_eng.testa")
    assert "1 document(s) imported, 3 span(s)" in result.stdout
    assert spans(cli.db) == [("DIY dyeing", "ProductDesign", "me"), ("dresses", "NominalProduct", "me"),
                             ("wedding", "Occasion", "me")]
    assert texts(cli.db)[0].startswith("Most wedding dresses , for example , are simply too enormous")
    assert "3 span(s) from files that name no reviewer (CoNLL, spaCy, brat) are recorded as reviewer 'me'" in (
        result.stdout)


def test_conll_with_a_space_after_column_last(cli):
    result = cli("import", "--annotator", "me", PEERS / "flair_column_with_whitespaces.testa")
    assert "1 document(s) imported, 1 span(s)" in result.stdout
    assert spans(cli.db) == [("French", "LOC", "me")]


def test_spacy_token_per_line_iob_with_tabs(cli, tmp_path):
    cli("import", "--annotator", "me", PEERS / "spacy_ner-token-per-line.iob")
    assert spans(cli.db) == sorted([("Sebastian Thrun", "PERSON", "me"), ("Google", "ORG", "me"),
                                    ("2007", "DATE", "me"), ("American", "NORP", "me"), ("Thrun", "PERSON", "me"),
                                    ("Recode", "ORG", "me"), ("earlier this week", "DATE", "me")])
    out = tmp_path / "again.conll"
    cli("export", "--format", "conll", "-o", out)
    source = [l.split("\t") for l in (PEERS / "spacy_ner-token-per-line.iob").read_text().splitlines()]
    again = [l.split() for l in out.read_text().splitlines()[2:] if l]
    assert [(c[0], c[-1]) for c in again] == [(c[0], c[-1]) for c in source]  # n’t and “ kept as tokens


def test_spacy_sentence_per_line_iob(cli, tmp_path):
    # the shape of spaCy's ner-sent-per-line example (spacy convert's iob2docs): word|POS|TAG, a sentence a line
    path = tmp_path / "sent.iob"
    path.write_text("I|PRP|O like|VBP|O London|NNP|B-GPE and|CC|O New|NNP|B-GPE York|NNP|I-GPE .|.|O\n"
                    "Google|NNP|B-ORG is|VBZ|O here|RB|O .|.|O\n")
    cli("import", "--annotator", "me", path)
    assert spans(cli.db) == [("Google", "ORG", "me"), ("London", "GPE", "me"), ("New York", "GPE", "me")]
    assert texts(cli.db) == ["I like London and New York .\nGoogle is here ."]


def test_brat_with_relations_and_equivalences_counted_and_refused_under_strict(cli, tmp_path):
    refused = cli("import", "--strict", "--format", "brat", PEERS / "brat", ok=False)
    assert "strict" in refused.output and "Nothing imported" in refused.output
    assert cli.stats()["documents"] == 0
    result = cli("import", "--annotator", "me", "--format", "BRAT", PEERS / "brat")  # read once, any case
    assert "1 document(s) imported, 10 span(s)" in result.stdout
    assert "lost: 1 brat event and equivalence lines (not imported)" in result.stdout  # the * line; R1 comes in
    got = spans(cli.db)
    assert got.count(("Terry Pratchett", "Person", "me")) == 2 and got.count(("J. K. Rowling", "Person", "me")) == 2
    assert ("England", "GPE", "me") in got


def test_label_studio_json_min_export(cli, tmp_path):
    """JSON_MIN as Label Studio writes it for a text project (the converter's json_min shape)."""
    path = tmp_path / "project-1-at-2025-json-min.json"
    path.write_text(json.dumps([{"text": "EU rejects German call", "id": 4, "label": [
        {"start": 0, "end": 2, "text": "EU", "labels": ["ORG"]},
        {"start": 11, "end": 17, "text": "German", "labels": ["MISC"]}],
        "annotator": "a.a@a.net", "annotation_id": 9, "created_at": "2025-01-01", "lead_time": 3.2}]))
    result = cli("import", path)
    assert "1 document(s) imported, 2 span(s)" in result.stdout
    assert spans(cli.db) == [("EU", "ORG", "a.a@a.net"), ("German", "MISC", "a.a@a.net")]


def test_label_studio_variants(cli, tmp_path):
    big = {"id": 1, "annotations": [{"completed_by": 1, "result": [
        {"id": f"r{i}", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 2, "text": "EU", "labels": [f"L{i}"]}} for i in range(60)]}],
        "predictions": [{"model_version": "v2", "result": [
            {"type": "labels", "value": {"start": 3, "end": 10, "text": "rejects", "labels": ["VERB"]}}]}],
        "data": {"text": "EU rejects it"}}
    first = tmp_path / "project-many.json"
    first.write_text(json.dumps([big]))  # annotations before data, far beyond the first 4 KB
    single = tmp_path / "task-7.json"
    single.write_text(json.dumps({"data": {"ner": "IOM helps"}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 0, "end": 3, "text": "IOM", "labels": ["ORG"]}},
        {"type": "choices", "value": {"choices": ["Relevant"]}}]}]}))
    flat = tmp_path / "tasks.json"
    flat.write_text(json.dumps([{"text": "UNODC met"}, {"text": "ASEAN met"}]))
    refused = cli("import", "--strict", first, single, flat, ok=False)
    assert "Label Studio choices" in refused.output
    result = cli("import", "--annotator", "me", first, single, flat)
    assert "4 document(s) imported, 62 span(s)" in result.stdout
    assert "lost: 1 Label Studio choices (document classes) in task-7.json (not imported)" in result.stdout
    got = spans(cli.db)
    assert ("rejects", "VERB", "prediction:v2") in got and ("IOM", "ORG", "me") in got
    assert len([g for g in got if g[2] == "labelstudio-user-1"]) == 60


def test_doccano_spans_made_in_its_page_count_utf16_and_are_put_right(cli, tmp_path):
    """doccano 1.8 keeps code points for spans that came in by file and UTF-16 units for spans made in its page
    (issue 11, item 5a): each span takes the reading that puts it on token boundaries, and the report says so."""
    text = "Hi 😀 𠀀 UNODC met IOM in Vienna."
    utf16 = lambda i: len(text[:i].encode("utf-16-le")) // 2  # noqa: E731
    unodc, iom = text.index("UNODC"), text.index("IOM")
    path = tmp_path / "admin.jsonl"
    path.write_text(json.dumps({"id": 1, "text": text, "label": [
        [unodc, unodc + 5, "ORG"],                    # came in by file: code points
        [utf16(iom), utf16(iom) + 3, "ORG"]]}) + "\n")  # made in the page: UTF-16 units
    result = cli("import", "--annotator", "me", path)
    assert spans(cli.db) == [("IOM", "ORG", "me"), ("UNODC", "ORG", "me")]
    assert "spans read as UTF-16 offsets (made in doccano's page) in 1 document(s), line(s) 1" in result.stdout
    forced = Cli(tmp_path / "forced.db")
    forced("import", "--annotator", "me", "--offsets", "code-points", path)
    assert spans(forced.db) == [(text[utf16(iom):utf16(iom) + 3], "ORG", "me"), ("UNODC", "ORG", "me")]


def test_doccano_export_in_utf16_for_its_page_on_request(cli, tmp_path):
    text = "Hi 😀 UNODC met."
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": text, "label": [[5, 10, "ORG"]]}) + "\n")
    cli("import", "--annotator", "me", source)
    out = tmp_path / "page.jsonl"
    cli("export", "--format", "doccano", "--offsets", "utf-16", "-o", out)
    (label,) = json.loads(out.read_text())["label"]
    assert text.encode("utf-16-le")[2 * label[0]:2 * label[1]].decode("utf-16-le") == "UNODC"


def test_label_studio_1_23_export_of_our_export(cli):
    """Written by Label Studio 1.23.2 here (scripts/peer_tools_check.py): our export imported through its API and
    exported again. Its regions count code points, completed_by is its user id, our reviewers are in task.meta."""
    result = cli("import", "--annotator", "me", PEERS / "labelstudio_1.23.2_export.json")
    assert "1 document(s) imported, 4 span(s)" in result.stdout
    assert spans(cli.db) == [("Bali Process", "ORGANISATION", "bob"), ("IOM", "ORGANISATION", "a.a@a.net"),
                             ("UNODC", "ORGANISATION", "alice"), ("met again", "COMMITMENT", "alice")]


def test_doccano_1_8_export_with_a_span_made_as_its_page_makes_them(cli):
    """Written by doccano 1.8.4 here (scripts/peer_tools_check.py): four spans from our file (code points) and
    "Vienna" made through the API call its page makes (UTF-16 units: 30-36, where code points say 28-34)."""
    result = cli("import", "--annotator", "me", PEERS / "doccano_1.8.4_export.jsonl")
    assert "1 document(s) imported, 5 span(s)" in result.stdout
    assert [t for t, _, _ in spans(cli.db)] == ["Bali Process", "IOM", "UNODC", "Vienna", "met again"]
    assert "spans read as UTF-16 offsets (made in doccano's page) in 1 document(s)" in result.stdout


def test_conll_named_txt_is_detected_and_a_conll_folder_says_what_it_skips(cli, tmp_path):
    """Issue 11, item 5: a CoNLL file named *.txt came in as one plain article titled '-DOCSTART- -X- -X- O'."""
    conll = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n"
    single = tmp_path / "train.txt"
    single.write_text(conll)
    result = cli("import", "--annotator", "me", single)
    assert "1 document(s) imported, 2 span(s)" in result.stdout
    assert texts(cli.db) == ["EU rejects German"]
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "eng.train").write_text(conll.replace("German", "British"))
    (folder / "dev.bmes").write_text("中 B-LOC\n国 E-LOC\n好 O\n")
    (folder / "README.md").write_text("# the corpus\n")
    other = Cli(tmp_path / "folder.db")
    result = other("import", "--annotator", "me", "--format", "conll", folder)
    assert "2 document(s) imported, 3 span(s)" in result.stdout
    assert "1 file(s) in the folder not imported (not conll files): README.md" in result.stdout
    assert ("中国", "LOC", "me") in spans(other.db)
