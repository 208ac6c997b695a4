"""Agreement figures: a small example worked by hand, and generated data checked against scikit-learn's
``cohen_kappa_score`` and the ``krippendorff`` package."""
from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.core.errors import InputError
from annotator.curation import agreement as ag
from annotator.curation.tokens import token_categories
from annotator.store import Store

LABELS = ["ORGANISATION", "FIGURE", "COMMITMENT"]


def done_by(store, doc_id, *who):
    for w in who:
        store.set_review(doc_id, w, status="done")


# -- worked by hand ---------------------------------------------------------------------------------------------
#
# "UNODC and IOM pledged 7 billion" has six tokens.
#
#   token    UNODC  and  IOM  pledged  7    billion
#   alice    ORG    O    ORG  O        FIG  FIG       spans: ORG UNODC, ORG IOM, FIG "7 billion"
#   bob      ORG    O    O    O        FIG  O         spans: ORG UNODC, FIG "7"
#
# Spans, exact: one match (UNODC); |A| = 3, |B| = 2: P(alice against bob) = 1/3, R = 1/2, F1 = 2*1/5 = 0.4.
# Spans, overlap: UNODC, and "7 billion" with "7": 2 matches, F1 = 4/5 = 0.8.
#   ORGANISATION exact: 1 match, 2 and 1 spans: F1 = 2/3.  FIGURE: exact 0, overlap 1 of 1 and 1: F1 0 and 1.
# Kappa over tokens: observed agreement 4/6 (UNODC, and, pledged, 7).
#   alice: ORG 2, O 2, FIG 2; bob: ORG 1, O 4, FIG 1; chance = (2*1 + 2*4 + 2*1)/36 = 1/3.
#   kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5.
# Kappa for FIGURE alone (has it or not): agree on 5 of 6; alice yes 2 no 4, bob yes 1 no 5;
#   chance = (2*1 + 4*5)/36 = 22/36; kappa = (30/36 - 22/36) / (14/36) = 8/14.
# Krippendorff's alpha: the coincidence matrix of 6 units of 2 values: o(ORG,ORG) = 2, o(O,O) = 4,
#   o(FIG,FIG) = 2, o(ORG,O) = o(O,ORG) = 1, o(FIG,O) = o(O,FIG) = 1; n_ORG = 3, n_O = 6, n_FIG = 3, n = 12.
#   alpha = 1 - (n - 1) * sum of off-diagonal o / sum over c != k of n_c * n_k
#         = 1 - 11 * 4 / (144 - 9 - 36 - 9) = 1 - 44/90 = 46/90.

def test_worked_example(store):
    text = "UNODC and IOM pledged 7 billion"
    d = store.add_document(text)[0].id
    store.add_span(d, 0, 5, "ORGANISATION", "alice")
    store.add_span(d, 10, 13, "ORGANISATION", "alice")
    store.add_span(d, 22, 31, "FIGURE", "alice")
    store.add_span(d, 0, 5, "ORGANISATION", "bob")
    store.add_span(d, 22, 23, "FIGURE", "bob")
    done_by(store, d, "alice", "bob")

    r = ag.compute(store)
    assert (r.annotators, r.documents, r.tokens) == (["alice", "bob"], 1, 6)
    (p,) = r.pairs
    e, o = p.exact[ag.ALL], p.overlap[ag.ALL]
    assert (e.matches, e.a, e.b) == (1, 3, 2)
    assert e.precision == pytest.approx(1 / 3) and e.recall == pytest.approx(1 / 2) and e.f1 == pytest.approx(0.4)
    assert o.f1 == pytest.approx(0.8)
    assert p.exact["ORGANISATION"].f1 == pytest.approx(2 / 3)
    assert (p.exact["FIGURE"].f1, p.overlap["FIGURE"].f1) == (0, 1)
    assert p.kappa[ag.ALL] == pytest.approx(0.5)
    assert p.kappa["FIGURE"] == pytest.approx(8 / 14)
    assert r.alpha[ag.ALL] == pytest.approx(46 / 90)
    assert r.categories == {"O": 6, "ORGANISATION": 3, "FIGURE": 3}
    assert r.lowest[0].doc_id == d and r.lowest[0].f1_exact == pytest.approx(0.4)


def test_combined_category_when_labels_stack(store):
    d = store.add_document("Bali Process members")[0].id
    store.add_span(d, 0, 12, "ORGANISATION", "alice")
    store.add_span(d, 0, 4, "FIGURE", "alice")
    store.add_span(d, 0, 12, "ORGANISATION", "bob")
    done_by(store, d, "alice", "bob")
    r = ag.compute(store)
    assert r.categories == {"O": 2, "ORGANISATION": 3, "FIGURE+ORGANISATION": 1}


def test_only_documents_everyone_marked_done_unless_all_documents(store):
    a = store.add_document("one two three")[0].id
    b = store.add_document("four five six")[0].id
    store.add_span(a, 0, 3, "FIGURE", "alice")
    store.add_span(a, 0, 3, "FIGURE", "bob")
    store.add_span(b, 0, 4, "FIGURE", "alice")  # bob has not finished b
    done_by(store, a, "alice", "bob")
    store.set_review(b, "alice", status="done")
    r = ag.compute(store)
    assert r.documents == 1 and r.pairs[0].exact[ag.ALL].f1 == 1
    r = ag.compute(store, all_documents=True)
    assert r.documents == 2 and r.pairs[0].exact[ag.ALL].f1 == pytest.approx(2 / 3)


def test_needs_two_reviewers(store):
    d = store.add_document("one two")[0].id
    store.set_review(d, "alice", status="done")
    with pytest.raises(InputError, match="at least two reviewers.*found: alice"):
        ag.compute(store)


def test_label_filter(store):
    d = store.add_document("UNODC and IOM pledged 7 billion")[0].id
    store.add_span(d, 0, 5, "ORGANISATION", "alice")
    store.add_span(d, 22, 31, "FIGURE", "alice")
    store.add_span(d, 22, 31, "FIGURE", "bob")
    done_by(store, d, "alice", "bob")
    r = ag.compute(store, label="FIGURE")
    assert r.labels == ["FIGURE"] and r.pairs[0].exact[ag.ALL].f1 == 1 and r.pairs[0].kappa[ag.ALL] == 1


# -- generated data against independent implementations --------------------------------------------------------

WORDS = "the ministers of UNODC agreed on US$7 billion and 2.4 million people in Bali , while IOM’s staff said".split()


def generated_store(seed: int, reviewers: int, documents: int = 6) -> tuple[Store, list]:
    rng = random.Random(seed)
    store = Store(":memory:")
    names = [f"r{i}" for i in range(reviewers)]
    truth = []
    for n in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        d = store.add_document(f"Doc {n}. {text}")[0]
        base = []
        for _ in range(rng.randint(0, 5)):
            s = rng.randrange(0, len(d.text) - 2)
            base.append((s, min(len(d.text), s + rng.randint(1, 15)), rng.choice(LABELS)))
        per = []
        for who in names:
            mine = []
            for s, e, label in base:
                roll = rng.random()
                if roll < 0.15:
                    continue  # missed
                if roll < 0.3:
                    label = rng.choice(LABELS)
                elif roll < 0.45:
                    e = min(len(d.text), e + rng.randint(1, 4))
                mine.append((s, e, label))
                store.add_span(d.id, s, e, label, who)
            per.append(mine)
            store.set_review(d.id, who, status="done")
        truth.append((d.text, per))
    return store, truth


def flat_categories(truth, i):
    return [cats[i] for text, per in truth for cats in token_categories(text, per)]


@pytest.mark.parametrize("seed", range(8))
def test_kappa_matches_scikit_learn(seed):
    store, truth = generated_store(seed, 2)
    r = ag.compute(store)
    a, b = flat_categories(truth, 0), flat_categories(truth, 1)
    assert r.tokens == len(a)
    expected = cohen_kappa_score(a, b)
    assert r.pairs[0].kappa[ag.ALL] == pytest.approx(expected)
    for label in r.labels:
        ya = [label in c.split("+") for c in a]
        yb = [label in c.split("+") for c in b]
        assert r.pairs[0].kappa[label] == pytest.approx(cohen_kappa_score(ya, yb))


@pytest.mark.parametrize("seed", range(6))
def test_alpha_matches_krippendorff_package(seed):
    store, truth = generated_store(100 + seed, 3)
    r = ag.compute(store)
    columns = [flat_categories(truth, i) for i in range(3)]
    codes = {c: i for i, c in enumerate(sorted({c for col in columns for c in col}))}
    data = np.array([[codes[c] for c in col] for col in columns], dtype=float)
    assert r.alpha[ag.ALL] == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    for label in r.labels:
        binary = np.array([[float(label in c.split("+")) for c in col] for col in columns])
        if len(np.unique(binary)) > 1:
            assert r.alpha[label] == pytest.approx(
                krippendorff.alpha(reliability_data=binary, level_of_measurement="nominal"))
    # and each pair's kappa against scikit-learn
    for p in r.pairs:
        i, j = int(p.a[1:]), int(p.b[1:])
        assert p.kappa[ag.ALL] == pytest.approx(cohen_kappa_score(columns[i], columns[j]))


def test_alpha_with_missing_values_matches_package():
    rng = random.Random(5)
    units = []
    for _ in range(200):
        units.append(tuple(rng.choice(["a", "b", "c", None]) for _ in range(4)))
    from collections import Counter

    mine = ag.krippendorff_alpha_nominal(Counter(units))
    codes = {"a": 0, "b": 1, "c": 2}
    data = np.array([[np.nan if u[i] is None else codes[u[i]] for u in units] for i in range(4)])
    assert mine == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


# -- span matching ----------------------------------------------------------------------------------------------

def max_matching(a, b) -> int:
    """Maximum bipartite matching by augmenting paths: the reference for overlap matching."""
    match: dict[int, int] = {}

    def try_(i, seen):
        for j, t in enumerate(b):
            if j not in seen and t[2] == a[i][2] and t[0] < a[i][1] and a[i][0] < t[1]:
                seen.add(j)
                if j not in match or try_(match[j], seen):
                    match[j] = i
                    return True
        return False

    return sum(try_(i, set()) for i in range(len(a)))


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 10), st.sampled_from("AB")).map(lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(a=spans, b=spans)
def test_overlap_matching_is_maximum(a, b):
    assert ag.overlap_matches(a, b) == max_matching(a, b) == ag.overlap_matches(b, a)
    assert ag.exact_matches(a, b) <= ag.overlap_matches(a, b)


# -- command line -----------------------------------------------------------------------------------------------

def test_agreement_command(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import main

    db = tmp_path / "a.db"
    store = Store(db)
    d = store.add_document("UNODC and IOM pledged 7 billion")[0].id
    store.add_span(d, 0, 5, "ORGANISATION", "alice")
    store.add_span(d, 0, 5, "ORGANISATION", "bob")
    store.add_span(d, 22, 31, "FIGURE", "bob")
    done_by(store, d, "alice", "bob")
    store.close()
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(db), "agreement"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "alice vs bob" in out.output and "lowest agreement" in out.output
    out = runner.invoke(main, ["--db", str(db), "agreement", "--annotators", "alice,bob", "--json"])
    figures = json.loads(out.output)
    assert figures["pairs"][0]["exact"]["(all labels)"]["f1"] == pytest.approx(2 / 3)
    out = runner.invoke(main, ["--db", str(db), "agreement", "--annotators", "alice"])
    assert out.exit_code != 0 and "at least two reviewers" in out.output


def test_cancel_stops_the_computation():
    from annotator.formats import Cancelled

    store, _ = generated_store(3, 2, documents=600)
    calls = []
    with pytest.raises(Cancelled):
        ag.compute(store, progress=lambda done, total: calls.append((done, total)), cancelled=lambda: True)
    assert calls == [(500, 600)]
