"""The model and installed-pipeline sources, and training in a background process."""
import spacy

from annotator.store import Store
from annotator.suggest import Suggester, latest_model, set_setting, settings
from annotator.suggest.background import Finished, TrainingJob
from annotator.suggest.training import Progress
from tests.cli.conftest import Cli

TEXT = "Apple paid $5 million to Interpol in Paris, and 12 people from Acme Corp came."


def test_an_installed_pipeline_from_a_folder_with_its_labels_mapped(tmp_path):
    nlp = spacy.blank("en")  # a pipeline of our own, saved as a user's would be: nothing downloaded
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Interpol"}, {"label": "ORG", "pattern": "Acme Corp"},
                        {"label": "MONEY", "pattern": "$5 million"}, {"label": "GPE", "pattern": "Paris"},
                        {"label": "CARDINAL", "pattern": "12"}])
    nlp.to_disk(tmp_path / "mine")
    cli = Cli(tmp_path / "c.db")
    (tmp_path / "a.txt").write_text(TEXT)
    cli("import", tmp_path / "a.txt")
    import json

    out = json.loads(cli("suggest", "--source", f"spacy:{tmp_path / 'mine'}").stdout)
    got = [(s["text"], s["label"], s["reason"]) for s in out["suggestions"]]
    mine = tmp_path / "mine"
    assert got == [("$5 million", "FIGURE", f"{mine} says MONEY"), ("Interpol", "ORGANISATION", f"{mine} says ORG"),
                   ("12", "FIGURE", f"{mine} says CARDINAL"), ("Acme Corp", "ORGANISATION", f"{mine} says ORG")]
    # the mapping is a setting: a user who wants no CARDINAL takes it out
    store = Store(cli.db)
    mapping = settings(store)["spacy_labels"]
    del mapping["CARDINAL"]
    set_setting(store, "spacy_labels", mapping)
    store.close()
    out = json.loads(cli("suggest", "--source", f"spacy:{tmp_path / 'mine'}").stdout)
    assert "12" not in [s["text"] for s in out["suggestions"]]


def _reviewed(tmp_path, n=6):
    store = Store(tmp_path / "bg.db")
    for i in range(n):
        text = f"Note {i}: IOM and UNODC met. The IOM will help."
        doc = store.add_document(text)[0]
        for start in (text.index("IOM"), text.rindex("IOM")):
            store.add_span(doc.id, start, start + 3, "ORGANISATION", "alice")
        store.set_review(doc.id, "alice", status="done")
    return store


def test_training_in_a_background_process_reports_progress_and_the_model_reaches_the_window(tmp_path):
    store = _reviewed(tmp_path)
    suggester = Suggester(store, ("model",))  # made before any model exists, as a window opened earlier
    doc = store.add_document("Later the IOM said so.")[0]
    assert suggester.for_document(doc.id) == []
    job = TrainingJob.start(store.path, iterations=15)
    finished = job.wait(timeout=240)
    assert finished.error == "" and finished.model_id == latest_model(store).id
    assert [m.stage for m in job.messages_seen if isinstance(m, Progress)][-1] == "done"
    training = [m for m in job.messages_seen if isinstance(m, Progress) and m.stage == "training"]
    assert [m.done for m in training] == list(range(1, 16)) and training[-1].total == 15
    # the window's suggester picks the new model up (another process's commit)
    assert ("IOM", "model") in [(s.text, s.source) for s in suggester.for_document(doc.id)]
    suggester.close()
    store.close()


def test_cancelled_training_saves_and_records_nothing(tmp_path):
    store = _reviewed(tmp_path)
    job = TrainingJob.start(store.path, iterations=1000)
    for message in iter(lambda: job.poll(timeout=60), None):
        if any(isinstance(m, Progress) and m.stage == "training" for m in message):
            break
    job.cancel()
    finished = job.wait(timeout=120)
    assert isinstance(finished, Finished) and "cancelled" in finished.error and finished.model_id is None
    assert latest_model(store) is None and not (tmp_path / "bg.db.models").exists()
    store.close()


def test_retraining_is_due_after_the_number_of_newly_done_documents_the_user_set(tmp_path):
    from annotator.suggest.training import retraining_due, train

    store = _reviewed(tmp_path, n=3)
    set_setting(store, "retrain_after", 3)
    assert retraining_due(store) == (True, 3, 3)  # no model yet: three done documents are enough
    train(store, iterations=1)
    assert retraining_due(store) == (False, 0, 3)
    for i in range(2):
        doc = store.add_document(f"Another note {i} on IOM.")[0]
        store.set_review(doc.id, "bob", status="done")
    assert retraining_due(store) == (False, 2, 3)
    doc = store.add_document("A third note on UNODC.")[0]
    store.set_review(doc.id, "bob", status="done")
    assert retraining_due(store) == (True, 3, 3)
    store.close()


def test_an_installed_pipeline_with_a_single_label_spancat_suggests_with_its_scores(tmp_path):
    """spaCy's ``spancat_singlelabel`` (3.7) keeps each span's score as an array of one, which ``float()`` refused:
    the source failed on every document of a user's pipeline that had one."""
    from spacy.training import Example

    nlp = spacy.blank("en")
    spancat = nlp.add_pipe("spancat_singlelabel", config={"spans_key": "sc"})
    spancat.add_label("ORG")
    doc = nlp.make_doc(TEXT)
    reference = nlp.make_doc(TEXT)
    reference.spans["sc"] = [reference.char_span(TEXT.index("Interpol"), TEXT.index("Interpol") + 8, label="ORG")]
    examples = [Example(doc, reference)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(tmp_path / "single")
    store = Store(tmp_path / "s.db")
    doc_id = store.add_document(TEXT)[0].id
    suggester = Suggester(store, (f"spacy:{tmp_path / 'single'}",))
    got = suggester.for_document(doc_id)
    suggester.close()
    assert ("Interpol", "ORGANISATION") in {(s.text, s.label) for s in got}
    assert all(isinstance(s.score, float) and 0 < s.score <= 1 for s in got)
    store.close()
