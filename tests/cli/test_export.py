"""Canonical JSONL export: deterministic, filtered, every span with its text, and a lossless round trip."""
import errno
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store
from tests.cli.conftest import Cli
from tests.conftest import DOCUMENTS


@pytest.fixture
def annotated(cli):
    cli("import", DOCUMENTS)
    store = Store(cli.db)
    docs = store.list_documents(limit=10)
    for row in docs:
        text = store.document_text(row.id)
        for word, label, who in [("UNODC", "ORGANISATION", "alice"), ("cooperation", "COMMITMENT", "bob"),
                                 ("human", "FIGURE", "alice")]:
            at = text.find(word)
            if at >= 0:
                store.add_span(row.id, at, at + len(word), label, who, note=f"{who} saw {word}")
    store.set_review(docs[0].id, "alice", status="done", note="checked")
    store.set_review(docs[1].id, "bob", status="skipped")
    victim = store.spans(docs[2].id)[0]
    store.delete_span(victim.id)
    store.close()
    return cli


def lines(result):
    return [json.loads(l) for l in result.stdout.splitlines()]


def test_export_is_canonical_and_deterministic(annotated, tmp_path):
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    annotated("export", "-o", out1)
    annotated("export", "-o", out2)
    assert out1.read_bytes() == out2.read_bytes()
    recs = [json.loads(l) for l in out1.read_text().splitlines()]
    assert [r["id"] for r in recs] == sorted(r["id"] for r in recs)
    for rec in recs:
        assert list(rec) == ["id", "text", "meta", "spans", "reviews"]
        assert list(rec["meta"]) == sorted(rec["meta"])
        for span in rec["spans"]:
            assert list(span)[:6] == ["id", "start", "end", "label", "text", "annotator"]
            assert rec["text"][span["start"]:span["end"]] == span["text"]
        starts = [s["start"] for s in rec["spans"]]
        assert starts == sorted(starts)


def test_deleted_spans_are_not_exported_but_statuses_and_notes_are(annotated):
    recs = lines(annotated("export"))
    stats = annotated.stats()
    assert sum(len(r["spans"]) for r in recs) == stats["spans"] and stats["deleted_spans"] == 1
    reviews = [rv for r in recs for rv in r["reviews"]]
    assert {(rv["annotator"], rv["status"], rv["note"]) for rv in reviews} == {("alice", "done", "checked"), ("bob", "skipped", "")}
    assert all(s["note"].startswith(s["annotator"]) for r in recs for s in r["spans"])


def test_filters(annotated):
    only_alice = lines(annotated("export", "--annotator", "alice"))
    assert {s["annotator"] for r in only_alice for s in r["spans"]} == {"alice"}
    only_org = lines(annotated("export", "--label", "ORGANISATION"))
    assert {s["label"] for r in only_org for s in r["spans"]} == {"ORGANISATION"}
    done = lines(annotated("export", "--status", "done"))
    assert len(done) == 1 and done[0]["reviews"][0]["status"] == "done"
    todo = lines(annotated("export", "--status", "todo"))
    assert len(todo) == 3
    bob_todo = lines(annotated("export", "--status", "todo", "--annotator", "bob"))
    assert len(bob_todo) == 4
    assert "unknown label 'PERSON'" in annotated("export", "--label", "PERSON", ok=False).output


def test_round_trip_into_an_empty_database_is_identical(annotated, tmp_path):
    first = tmp_path / "first.jsonl"
    annotated("export", "-o", first)
    fresh = Cli(tmp_path / "fresh.db")
    fresh("import", first)
    second = tmp_path / "second.jsonl"
    fresh("export", "-o", second)
    assert first.read_bytes() == second.read_bytes()
    # and importing the export into the database it came from changes nothing
    out = annotated("import", first).stdout
    assert "0 document(s) imported, 0 span(s)" in out
    third = tmp_path / "third.jsonl"
    annotated("export", "-o", third)
    assert third.read_bytes() == first.read_bytes()


def test_failed_export_leaves_no_partial_file(annotated, tmp_path, monkeypatch):
    from annotator.formats import canonical

    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n")

    def broken(rec, *carried):
        raise RuntimeError("disk full")

    monkeypatch.setattr(canonical, "_pieces", broken)  # what makes each line's text as it is written
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["--db", annotated.db, "export", "-o", str(target)], catch_exceptions=False)
    assert target.read_text() == "previous export\n"
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_a_full_disk_fails_the_export_and_keeps_the_previous_file(annotated, tmp_path, monkeypatch):
    from annotator.formats import background_writer

    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n")
    # enough documents that the records outgrow what the fake disk takes
    more = tmp_path / "more.jsonl"
    with open(more, "w", encoding="utf-8") as fh:
        for i in range(300):
            fh.write(json.dumps({"text": f"Document {i}: " + "words of text " * 40, "spans": []}) + "\n")
    annotated("import", more)
    assert annotated("export", "-o", tmp_path / "whole.jsonl") and (tmp_path / "whole.jsonl").stat().st_size > 100_000
    written = []

    def full_disk(fd, chunks):  # takes 50,000 bytes, then fails as a full disk does
        if sum(map(len, written + chunks)) > 50_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.extend(chunks)

    monkeypatch.setattr(background_writer, "_write_all", full_disk)
    monkeypatch.setattr(background_writer, "BATCH", 4096)
    result = CliRunner().invoke(main, ["--db", annotated.db, "export", "-o", str(target)])
    assert result.exit_code != 0
    assert f"{target}: cannot write: No space left on device" in result.output
    assert target.read_text() == "previous export\n"
    assert not (tmp_path / "out.jsonl.partial").exists()



def test_a_brat_file_that_cannot_be_written_is_named(annotated, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    store = Store(annotated.db)
    # brat files are named after the files the documents came from
    first = Path(store.document(store.list_documents(limit=1)[0].id).source).stem
    store.close()
    (folder / f"{first}.ann").mkdir()  # a folder where the export must write a file
    result = CliRunner().invoke(main, ["--db", annotated.db, "export", "--format", "brat", "-o", str(folder)])
    assert result.exit_code != 0
    assert f"{folder / (first + '.ann')}: cannot write: Is a directory" in result.output



def test_a_failed_brat_export_leaves_no_folder_and_a_re_export_keeps_the_projects_own_files(
        annotated, tmp_path, monkeypatch):
    from annotator.formats import background_writer

    folder = tmp_path / "brat"
    batches = []

    def fails_on_the_second_batch(batch):
        batches.append(batch)
        if len(batches) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", batch[0][0].decode())
        background_writer._write_files_python(batch)

    monkeypatch.setattr(background_writer, "_write_files", fails_on_the_second_batch)
    monkeypatch.setattr(background_writer, "FILES_BATCH", 2)
    result = CliRunner().invoke(main, ["--db", annotated.db, "export", "--format", "brat", "-o", str(folder)])
    assert result.exit_code != 0 and "cannot write: No space left on device" in result.output
    assert str(folder) in result.output and ".partial" not in result.output
    assert not folder.exists() and len(batches) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]  # the hidden folder went too
    monkeypatch.undo()

    # a brat project folder: its configuration and other documents stay, our files are replaced
    folder.mkdir()
    (folder / "annotation.conf").write_text("[entities]\nORGANISATION\n")
    (folder / "theirs.txt").write_text("another document")
    annotated("export", "--format", "brat", "-o", folder)
    names = sorted(p.name for p in folder.iterdir())
    assert "annotation.conf" in names and "theirs.txt" in names and len(names) == 2 + 2 * 5
    assert (folder / "annotation.conf").read_text() == "[entities]\nORGANISATION\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_shorter_shards_export_removes_the_parts_it_did_not_write(annotated, tmp_path, monkeypatch):
    from annotator.formats import docbin_shards

    monkeypatch.setattr(docbin_shards, "PER_FILE", 1)
    folder = tmp_path / "shards"
    annotated("export", "--format", "spacy-shards", "-o", folder)
    assert len(list(folder.glob("part-*.spacy"))) == 5
    (folder / "config.cfg").write_text("[paths]\n")
    annotated("export", "--format", "spacy-shards", "--status", "done", "-o", folder)  # one document is done
    assert sorted(p.name for p in folder.iterdir()) == ["config.cfg", "part-00000.spacy"]


def test_export_streams_with_flat_memory(tmp_path):
    """Peak memory of an export does not grow with the corpus (measured with tracemalloc at two sizes)."""
    import tracemalloc

    from annotator.core.model import Document, DocumentRecord, Span
    from annotator.core.text import document_id, sha256
    from annotator.formats import canonical
    from annotator.store.bulk import export_records, import_records

    def peak_for(n):
        store = Store(":memory:")
        recs = []
        for i in range(n):
            text = f"Article {i}: UNODC and IOM met. " * 40
            d = Document(document_id(text), text, f"Article {i}", None, sha256(text), {})
            recs.append(DocumentRecord(d, [Span(f"s{i}-{k}", d.id, 12 + k, 17 + k, "ORGANISATION", text[12 + k:17 + k], "a")
                                           for k in range(10)]))
        import_records(store, recs)
        del recs
        tracemalloc.start()
        canonical.write(export_records(store), _Sink())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_for(500), peak_for(5000)
    assert large < small * 1.5 + 200_000, (small, large)


class _Sink:
    def write(self, s):
        return len(s)


def test_formats_from_the_command_line(annotated, tmp_path):
    conll = tmp_path / "c.conll"
    out = annotated("export", "--format", "conll", "-o", conll).stderr
    assert "5 document(s) written" in out and "warning: lost:" in out and conll.read_text().startswith("-DOCSTART-")
    refused = annotated("export", "--format", "doccano", "--strict", "-o", tmp_path / "d.jsonl", ok=False).output
    assert "cannot hold everything (strict)" in refused and "span notes" in refused
    assert not (tmp_path / "d.jsonl").exists()
    annotated("export", "--format", "doccano", "-o", tmp_path / "d.jsonl")
    fresh = Cli(tmp_path / "fresh.db")
    assert "5 document(s) imported" in fresh("import", tmp_path / "d.jsonl").stdout  # detected as doccano
    assert fresh.stats()["spans"] == annotated.stats()["spans"]
    brat = tmp_path / "brat"
    annotated("export", "--format", "brat", "-o", brat)
    assert len(list(brat.glob("*.ann"))) == 5
    assert "5 document(s) imported" in Cli(tmp_path / "b.db")("import", brat).stdout


def test_spacy_missing_gives_a_clear_message(annotated, tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_spacy(name, *a, **k):
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    out = annotated("export", "--format", "spacy", "-o", tmp_path / "x.spacy", ok=False).output
    assert "needs spaCy" in out and "pip install 'annotator[spacy]'" in out
