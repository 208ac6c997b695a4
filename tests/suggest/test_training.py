"""What the trained model learns: an ner for the labels whose spans never overlap, a spancat for the rest, and
COMMITMENT clauses longer than eight tokens (the spancat's candidates are fitted to the tagged clauses)."""
import json
from pathlib import Path

from annotator.store import Store
from annotator.suggest import Suggester, latest_model
from annotator.suggest.training import format_scores, train

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


def reviewed(path, n: int) -> Store:
    store = Store(path)
    for i in range(n):
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
