"""What the trained model learns: an ner for the labels whose spans never overlap, a spancat for the rest, and
COMMITMENT clauses longer than eight tokens (the spancat's candidates are fitted to the tagged clauses)."""
import json
from pathlib import Path

from annotator.store import Store
from annotator.suggest import Suggester, latest_model
from annotator.store.suggestions import reviewed_documents
from annotator.suggest.training import format_scores, held_out, score, train

ACTORS = ["Indonesia", "Thailand", "Vietnam", "Malaysia", "Australia", "Cambodia", "Laos", "Myanmar", "Japan",
          "Singapore"]
PROMISES = ["will provide two million dollars to the IOM fund for the victims next year",
            "pledged to train five hundred police officers with UNODC before the end of the year",
            "agreed to share the passenger lists of every flight with IOM and the other members",
            "will open three new shelters for rescued migrants with help from UNODC next month"]


def article(i: int) -> tuple[str, str]:
    """A short article with a COMMITMENT clause (11 to 14 tokens) holding an ORGANISATION, and one outside it."""
    actor, promise = ACTORS[i % len(ACTORS)], PROMISES[i % len(PROMISES)]
    clause = f"{actor} {promise}"
    other = "UNODC" if "IOM" in promise else "IOM"
    return f"Officials met in Bangkok on Monday. The minister said {clause}. {other} staff attended the talks.", clause


def reviewed(path, n: int, start: int = 0) -> Store:
    store = Store(path)
    for i in range(start, n):
        text, clause = article(i)
        doc = store.add_document(text)[0]
        start = text.index(clause)
        store.add_span(doc.id, start, start + len(clause), "COMMITMENT", "alice")
        for name in ("IOM", "UNODC"):
            at = text.find(name)
            while at >= 0:
                store.add_span(doc.id, at, at + len(name), "ORGANISATION", "alice")
                at = text.find(name, at + 1)
        store.set_review(doc.id, "alice", status="done")
    return store


def test_labels_that_never_overlap_get_an_ner_the_others_a_spancat_and_both_suggest(tmp_path):
    store = reviewed(tmp_path / "t.db", 20)
    record = train(store, iterations=20)  # about two seconds
    # ORGANISATIONs sit inside COMMITMENT clauses but never overlap one another: ner; COMMITMENT: spancat
    assert (record.info["ner"], record.info["spancat"]) == (["ORGANISATION"], ["COMMITMENT"])
    meta = json.loads((Path(record.path) / "meta.json").read_text())
    assert meta["annotator"] == {"ner": ["ORGANISATION"], "spancat": ["COMMITMENT"]}
    assert set(meta["pipeline"]) >= {"ner", "spancat"}
    # held-out scores per label, as before, and the component named beside each
    assert {"ORGANISATION", "COMMITMENT", "ALL"} == set(record.scores)
    lines = format_scores(record)
    assert any(line.startswith("ORGANISATION") and line.rstrip().endswith("ner") for line in lines)
    assert any(line.startswith("COMMITMENT") and line.rstrip().endswith("spancat") for line in lines)

    text = "Officials met in Jakarta on Friday. The minister said Japan will provide two million dollars to the " \
           "IOM fund for the victims next year. UNODC staff attended the talks."
    doc = store.add_document(text)[0]
    suggester = Suggester(store, ("model",))
    got = {(s.text, s.label) for s in suggester.for_document(doc.id)}
    clause = "Japan will provide two million dollars to the IOM fund for the victims next year"
    assert ("IOM", "ORGANISATION") in got and ("UNODC", "ORGANISATION") in got   # from the ner
    assert (clause, "COMMITMENT") in got                                         # from the spancat, 14 tokens
    organisation = next(s for s in suggester.for_document(doc.id) if s.label == "ORGANISATION")
    # an ner gives no score: its label's held-out precision stands for it
    assert organisation.score == record.scores["ORGANISATION"]["p"]
    suggester.close()
    store.close()


def test_a_label_that_overlaps_itself_or_another_ner_label_goes_to_the_spancat(tmp_path):
    store = Store(tmp_path / "o.db")
    for i in range(3):
        text = f"The United Nations Office on Drugs and Crime met {i + 2} delegates of the IOM."
        doc = store.add_document(text)[0]
        full = text.index("United Nations Office on Drugs and Crime")
        store.add_span(doc.id, full, full + 40, "ORGANISATION", "alice")
        store.add_span(doc.id, full, full + 14, "ORGANISATION", "alice")   # nested in its own label
        figure = text.index(f"{i + 2} delegates")
        store.add_span(doc.id, figure, figure + len(f"{i + 2} delegates"), "FIGURE", "alice")
        store.set_review(doc.id, "alice", status="done")
    record = train(store, iterations=1)
    assert (record.info["ner"], record.info["spancat"]) == (["FIGURE"], ["ORGANISATION"])
    store.close()


def test_a_clause_next_to_a_dollar_sign_trains_saves_and_loads(tmp_path):
    """The clause suggester's cues (the words around tagged clauses) live in the saved pipeline's config, where a
    "$" once read as a variable and failed the saving."""
    store = Store(tmp_path / "d.db")
    clause = "Japan will provide two million dollars to the IOM fund next year"
    for i in range(2):
        text = f"In note {i} the minister said {clause} $2 million in all."
        doc = store.add_document(text)[0]
        start = text.index(clause)
        store.add_span(doc.id, start, start + len(clause), "COMMITMENT", "alice")
        iom = text.index("IOM")
        store.add_span(doc.id, iom, iom + 3, "ORGANISATION", "alice")   # inside it: the clause is the spancat's
        store.set_review(doc.id, "alice", status="done")
    record = train(store, iterations=1)
    assert record.info["spancat"] == ["COMMITMENT"]
    doc = store.add_document(f"Later the minister said {clause} $2 million in all.")[0]
    suggester = Suggester(store, ("model",))   # loads the saved pipeline
    suggester.for_document(doc.id)
    suggester.close()
    store.close()


def test_a_retrained_model_is_shown_beside_the_previous_one_scored_on_the_same_held_out_documents(tmp_path):
    """Issue 13: the scores after a retraining are beside the previous model's. Those were recorded on the documents
    held out then; with more documents done, more are held out, and two models scored on different documents
    cannot be compared (the previous model's 1.000 recall on 6 documents beside 0.444 on 10 said nothing)."""
    import spacy

    from annotator.suggest.clauses import register

    store = reviewed(tmp_path / "r.db", 10)
    first = train(store, iterations=2)
    assert first.heldout_documents and "previous" not in first.info
    store.close()
    store = reviewed(tmp_path / "r.db", 20, start=10)   # ten more marked done: more held out
    second = train(store, iterations=2)
    assert second.heldout_documents > first.heldout_documents
    again = second.info["previous"]
    assert again["id"] == first.id
    # the first model's saved pipeline scored on the second's held-out documents, label by label
    held = [d for d in reviewed_documents(store) if held_out(d[0])]
    assert len(held) == second.heldout_documents
    register()
    assert again["scores"] == score(spacy.load(first.path), held, second.labels)
    assert {k: s["support"] for k, s in again["scores"].items()} == {k: s["support"] for k, s in second.scores.items()}
    lines = format_scores(second, first)
    assert f"model {first.id} F1" in lines[1]
    all_line = next(line for line in lines if line.startswith("ALL"))
    assert f"{again['scores']['ALL']['f']:.3f}" in all_line.split()
    assert lines[-1] == f"model {first.id} (the previous one) scored on the same held-out documents"
    store.close()


def test_a_previous_model_that_held_nothing_out_keeps_its_recorded_scores(tmp_path):
    """Trained on every document done then (fewer than five), it may have learnt today's held-out ones: it is not
    scored on them, and the comparison says its scores are the recorded ones."""
    store = reviewed(tmp_path / "f.db", 3)
    first = train(store, iterations=1)
    assert first.heldout_documents == 0
    store.close()
    store = reviewed(tmp_path / "f.db", 12, start=3)
    second = train(store, iterations=1)
    assert second.heldout_documents and "previous" not in second.info
    assert format_scores(second, first)[-1].startswith(f"model {first.id}'s F1 as recorded when it was trained")
    store.close()
