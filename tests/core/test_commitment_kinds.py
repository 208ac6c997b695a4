"""A commitment's kind proposed from its wording (issue 14: "kind" was never proposed)."""
from __future__ import annotations

import pytest

from annotator.core.attribute_proposals import Proposer
from annotator.core.commitment_kinds import propose_kind
from annotator.store.store import Store
from tests.findings.tagging import KIND_OF, TAGS


@pytest.mark.parametrize("date, text", [(date, text) for date, label, text, _ in TAGS if label == "COMMITMENT"])
def test_the_bundled_articles_commitments_get_the_kind_a_reviewer_gave_them(date, text):
    assert propose_kind(text) == KIND_OF[date]


@pytest.mark.parametrize("text, kind", [
    ("The two countries signed a memorandum of understanding on labour migration", "agreement"),
    ("Australia pledged AUD 10 million to the Bali Process fund", "pledge"),
    ("Ministers called on all states to ratify the Protocol", "call"),
    ("Thailand plans to open three more shelters next year", "plan"),
    ("Police launched a joint operation that rescued 120 victims", "action"),
    ("The EU will provide training for border guards", "pledge"),
    ("Officials will launch a hotline for victims", "plan"),       # "will launch" says more than "will"
    ("Smuggling networks remain active in the region", None),      # no commitment wording: nothing proposed
])
def test_the_first_cue_decides(text, kind):
    assert propose_kind(text) == kind


def test_a_kind_the_scheme_does_not_offer_is_not_proposed_and_the_window_proposes_one_it_does():
    assert propose_kind("They agreed to share data", choices=("pledge", "call")) is None
    store = Store()
    doc, _ = store.add_document("Ministers urged states to share data.")
    span = store.add_span(doc.id, 10, 36, "COMMITMENT", "ana")
    assert Proposer(store).propose(span, store.attribute_defs("COMMITMENT")) == {"kind": "call"}
