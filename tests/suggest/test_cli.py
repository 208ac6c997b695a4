"""The command line as a reviewer uses it: tag two articles, mark them done, train, and see suggestions in the
third from every source; accept them in bulk; export them as pre-annotations; and suggestions never reach
exports, merges, agreement or counts unless accepted."""
import json

import pytest

from annotator.store import Store
from annotator.suggest import reject, suggestions_for
from annotator.suggest.training import held_out
from tests.cli.conftest import Cli

# short articles, so that a model trains in a second or two
ONE = "The IOM said it will help. Officials of IOM met UNODC staff in Bangkok. IOM will report next week."
TWO = "UNODC and IOM agreed to work together. The IOM office opened in Jakarta. UNODC will fund it."
THREE = "IOM staff met the police on Monday. The IOM said more than 90 delegates came to the UNODC meeting."


@pytest.fixture
def team(tmp_path):
    """alice tagged ONE and TWO (every IOM and UNODC) and marked them done; THREE is to do."""
    cli = Cli(tmp_path / "team.db")
    for i, text in enumerate((ONE, TWO, THREE)):
        (tmp_path / f"{i}.txt").write_text(text)
    cli("import", *(tmp_path / f"{i}.txt" for i in range(3)))
    store = Store(cli.db)
    for doc_id in store.document_ids()[:2]:
        text = store.document_text(doc_id)
        for name in ("IOM", "UNODC"):
            start = text.find(name)
            while start >= 0:
                store.add_span(doc_id, start, start + len(name), "ORGANISATION", "alice")
                start = text.find(name, start + 1)
        store.set_review(doc_id, "alice", status="done")
    cli.ids = store.document_ids()
    store.close()
    return cli


def lines(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_two_articles_done_then_train_then_suggestions_in_the_third_from_each_source(team, tmp_path):
    trained = team("train", "--iterations", "25").output
    assert "trained on 2 document(s)" in trained and "scores not measured" in trained
    assert (tmp_path / "team.db.models").is_dir()  # beside the database, named after it
    iom = [m.start() for m in __import__("re").finditer("IOM", THREE)]
    for source in ("corpus", "patterns", "model"):
        [third] = lines(team("suggest", "--source", source, "--status", "todo").stdout)
        assert third["id"] == team.ids[2]
        assert [s["start"] for s in third["suggestions"] if s["text"] == "IOM"] == iom, source
        for s in third["suggestions"]:
            assert THREE[s["start"]:s["end"]] == s["text"] and s["source"] == source
    # all together: one suggestion per range and label, the surest, naming the others
    [third] = lines(team("suggest", "--status", "todo").stdout)
    first_iom = next(s for s in third["suggestions"] if s["start"] == iom[0])
    others = {"corpus", "patterns", "model"} - {first_iom["source"]}
    assert first_iom["reason"].endswith(f"(also suggested by {', '.join(sorted(others))})")
    assert ("more than 90 delegates", "patterns") in {(s["text"], s["source"]) for s in third["suggestions"]}


def test_train_records_the_model_and_scores_beside_the_previous_one(tmp_path):
    cli = Cli(tmp_path / "five.db")
    texts = [f"Report {i}: the IOM and UNODC met {i + 2} delegates. IOM said UNODC will help." for i in range(10)]
    for i, text in enumerate(texts):
        (tmp_path / f"{i}.txt").write_text(text)
    cli("import", *(tmp_path / f"{i}.txt" for i in range(10)))
    store = Store(cli.db)
    for doc_id in store.document_ids():
        text = store.document_text(doc_id)
        for name in ("IOM", "UNODC"):
            for k in range(2):
                start = text.find(name) if k == 0 else text.find(name, text.find(name) + 1)
                store.add_span(doc_id, start, start + len(name), "ORGANISATION", "alice")
        store.set_review(doc_id, "alice", status="done")
    held = sum(held_out(d) for d in store.document_ids())  # one in five by the id's hash: the same ones every time
    assert 0 < held < 10
    store.close()
    first = cli("train", "--iterations", "3").output
    assert f"held-out scores on {held} reviewed document(s)" in first and "ORGANISATION" in first
    second = cli("train", "--iterations", "3", "--out", tmp_path / "mine").output
    assert "model 1 F1" in second and str(tmp_path / "mine") in second
    assert "model 1 (the previous one) scored on the same held-out documents" in second
    store = Store(cli.db)
    from annotator.suggest import models

    records = models(store)
    assert [r.train_documents for r in records] == [10 - held] * 2 and records[1].heldout_documents == held
    assert set(records[1].scores) == {"ORGANISATION", "ALL"} and records[1].scores["ALL"]["support"] == 4 * held
    store.close()


def test_train_with_nothing_done_says_so(team, tmp_path):
    cli = Cli(tmp_path / "empty.db")
    (tmp_path / "a.txt").write_text(ONE)
    cli("import", tmp_path / "a.txt")
    out = cli("train", ok=False).output
    assert "no document is marked done yet" in out and "Traceback" not in out
    assert "unknown label 'PLACE'" in team("train", "--label", "PLACE", ok=False).output


def test_suggest_accept_makes_spans_of_the_named_reviewer_counted_in_the_report(team):
    before = team.stats()
    out = team("suggest", "--source", "corpus,patterns", "--status", "todo", "--accept", "--min-score", "0.6",
               "--annotator", "bob").output
    assert "as spans of bob in 1 document(s)" in out
    after = team.stats()
    accepted = after["spans_per_annotator"]["bob"]
    assert f"accepted {accepted} suggestion(s)" in out
    store = Store(team.db)
    spans = store.spans(team.ids[2], annotator="bob")
    assert {(s.text, s.label) for s in spans} == {("IOM", "ORGANISATION"), ("UNODC", "ORGANISATION"),
                                                  ("more than 90 delegates", "FIGURE")}
    assert all(THREE[s.start:s.end] == s.text for s in spans)
    assert after["spans"] == before["spans"] + accepted
    # again: nothing is suggested where a span is
    assert "accepted 0 suggestion(s)" in team("suggest", "--source", "corpus,patterns", "--accept",
                                              "--annotator", "bob").output
    store.close()


def test_unknown_source_and_missing_pipeline_are_one_line_messages(team):
    assert "unknown suggestion source 'web'" in team("suggest", "--source", "corpus,web", ok=False).output
    out = team("suggest", "--source", "spacy:no_such_pipeline", ok=False).output
    assert "no spaCy pipeline 'no_such_pipeline'" in out and "Traceback" not in out


def test_export_suggestions_as_label_studio_predictions_and_prodigy_jsonl(team, tmp_path):
    team("export", "--suggestions", "--source", "corpus,patterns", "--format", "labelstudio", "-o",
         tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text())
    assert len(tasks) == 3 and "annotations" not in tasks[2]
    third = next(t for t in tasks if t["data"]["doc_id"] == team.ids[2])
    versions = {p["model_version"] for p in third["predictions"]}
    assert versions <= {"corpus", "patterns"} and versions
    for p in third["predictions"]:
        for r in p["result"]:
            v = r["value"]
            assert THREE[v["start"]:v["end"]] == v["text"] and 0 < r["score"] <= 1
    team("export", "--suggestions", "--source", "patterns", "-o", tmp_path / "tasks.jsonl", "--status", "todo")
    [task] = lines((tmp_path / "tasks.jsonl").read_text())
    assert task["meta"]["id"] == team.ids[2]
    assert {"start", "end", "label", "text", "source", "score", "reason"} <= set(task["spans"][0])
    assert "--suggestions writes jsonl or labelstudio" in team("export", "--suggestions", "--format", "conll",
                                                               ok=False).output


def test_suggestions_never_leak_into_exports_merges_agreement_or_counts(team, tmp_path):
    store = Store(team.db)
    first = store.document_text(team.ids[0])
    store.add_span(team.ids[0], first.index("IOM"), first.index("IOM") + 3, "ORGANISATION", "bob")
    store.set_review(team.ids[0], "bob", status="done")  # bob reviewed ONE too, so agreement has a pair
    store.close()

    def everything():
        canonical = team("export").stdout
        bundle = team("export", "--bundle").stdout
        agreement = json.loads(team("agreement", "--json").stdout)
        return canonical, bundle, team.stats(), agreement

    before = everything()
    assert before[3]["documents"] == 1
    store = Store(team.db)
    found = suggestions_for(store, team.ids[2], ("corpus", "patterns"))
    assert found
    reject(store, found[0], "alice")  # a rejection is not data others see either
    store.close()
    team("suggest", "--source", "corpus,patterns", "-o", tmp_path / "s.jsonl")
    team("export", "--suggestions", "--source", "corpus,patterns", "-o", tmp_path / "p.jsonl")
    assert everything() == before
    # a teammate merging our bundle gets our spans and statuses, no suggestion and no rejection
    (tmp_path / "ours.jsonl").write_text(before[1])
    other = Cli(tmp_path / "other.db")
    other("merge", tmp_path / "ours.jsonl")
    assert other.stats()["spans"] == before[2]["spans"]
    merged = Store(other.db)
    assert suggestions_for(merged, team.ids[2], ("corpus", "patterns"))[0].key == found[0].key
    merged.close()


def test_settings_are_shown_set_checked_and_used_as_the_default_sources(team):
    shown = json.loads(team("suggest-settings").stdout)
    assert shown["sources"] == ["corpus", "patterns", "model"] and shown["spacy_labels"]["ORG"] == "ORGANISATION"
    assert team("suggest-settings", "sources", '["patterns"]').stdout.strip() == 'sources = ["patterns"]'
    [third] = lines(team("suggest", "--status", "todo").stdout)
    assert {s["source"] for s in third["suggestions"]} == {"patterns"}
    assert "unknown label(s) PLACE" in team("suggest-settings", "spacy_labels", '{"GPE": "PLACE"}', ok=False).output
    assert "min_score is a number from 0 to 1" in team("suggest-settings", "min_score", "2", ok=False).output
    assert "shown_min_score is a number from 0 to 1" in team("suggest-settings", "shown_min_score", "1.5",
                                                             ok=False).output
    assert "no installed spaCy pipeline or pipeline folder 'nope'" in team("suggest-settings", "spacy_pipeline",
                                                                          "nope", ok=False).output
    assert "unknown suggestion setting 'colour'" in team("suggest-settings", "colour", "red", ok=False).output
    assert json.loads(team("suggest-settings").stdout)["spacy_labels"]["ORG"] == "ORGANISATION"  # unchanged


def test_a_model_folder_gone_or_broken_is_said_in_one_line(team, tmp_path):
    import shutil

    out = team("train", "--iterations", "1", "--out", tmp_path / "m").output
    assert str(tmp_path / "m") in out
    (tmp_path / "m" / "meta.json").write_text("{not json")
    broken = team("suggest", "--source", "model", ok=False).output
    assert f"the suggestion model in {tmp_path / 'm'} cannot be loaded" in broken and "Traceback" not in broken
    shutil.rmtree(tmp_path / "m")
    gone = team("suggest", "--source", "corpus,model")
    assert f"the model's folder {tmp_path / 'm'} is gone" in gone.stderr
    assert len(lines(gone.stdout)) == 3
