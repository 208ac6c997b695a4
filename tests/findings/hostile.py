"""A corpus whose strings are markup: a title, a publisher, a reviewer's name and a span's text that a careless
report would run as HTML."""
from __future__ import annotations

TITLE = '<script>alert("title")</script> & Co'
PUBLISHER = '<img src="http://example.invalid/x.png" onerror="alert(1)">'
REVIEWER = "<b>eve</b>"
TEXT = ('The Agency <i>of</i> Things will fund "safe" routes with US$5 <million> dollars. '
        "Later news.\n")


def add_hostile(store) -> str:
    doc, _ = store.add_document(TEXT, title=TITLE, meta={"publisher": PUBLISHER, "date": "2020-02-03"})
    at = TEXT.index("The Agency")
    store.add_span(doc.id, at, at + len("The Agency <i>of</i> Things"), "ORGANISATION", REVIEWER)
    at2 = TEXT.index("will fund")
    store.add_span(doc.id, at2, TEXT.index(" dollars"), "COMMITMENT", REVIEWER)
    at3 = TEXT.index("US$5")
    store.add_span(doc.id, at3, at3 + len("US$5 <million>"), "FIGURE", REVIEWER)
    return doc.id
