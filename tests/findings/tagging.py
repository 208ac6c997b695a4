"""The bundled articles tagged as a reviewer tags them (issue 14's example and the corpus README's guidelines):
each tag is (file name prefix, label, the exact text, which occurrence), placed by the text's offset, so a test
reads as the reviewer's work."""
from __future__ import annotations

from annotator.store.bulk import import_records
from annotator.formats import plaintext
from tests.conftest import DOCUMENTS

CHINA, UNODC_2011, PEOPLES, DAWN, BTA = "2001-12-06", "2011-04-05", "2012-04-04", "2024-04-27", "2024-07-17"

TAGS = [
    (CHINA, "COMMITMENT", "China will strengthen cooperation with regional and international organizations to combat "
                          "the trafficking and smuggling of human beings", 0),
    (CHINA, "ORGANISATION", "Ministry of Foreign Affairs", 1),       # "Co-organized by the Ministry of Foreign Affairs"
    (CHINA, "ORGANISATION", "International Organization for Migration", 0),
    (CHINA, "ORGANISATION", "IOM", 0),
    (CHINA, "FIGURE", "more than 90 delegates", 0),
    (CHINA, "FIGURE", "US$7 billion", 0),
    (UNODC_2011, "COMMITMENT", "Ministers welcomed assistance from UNODC in establishing a voluntary reporting system "
                               "on migrant smuggling", 0),
    (UNODC_2011, "ORGANISATION", "UNODC", 1),                        # the one inside the commitment
    (UNODC_2011, "ORGANISATION", "Bali Process", 3),                 # "in support of the Bali Process"
    (PEOPLES, "COMMITMENT", "urged member states to increase their collaborative efforts to prevent human trafficking "
                            "and protect its victims", 0),
    (PEOPLES, "ORGANISATION", "UN General Assembly", 0),
    (PEOPLES, "FIGURE", "2.4 million people", 0),
    (PEOPLES, "ORGANISATION", "UN Office on Drugs and Crime", 0),
    (DAWN, "COMMITMENT", "reiterated the call for enhanced cooperation among nations to address the challenges posed "
                         "by migrant smuggling", 0),
    (DAWN, "ORGANISATION", "UNODC", 0),
    (DAWN, "FIGURE", "350 Pakistani nationals", 0),
    (BTA, "COMMITMENT", "Vietnam has proposed that countries work together to implement joint actions", 0),
    (BTA, "ORGANISATION", "International Organization for Migration", 0),
    (BTA, "FIGURE", "nearly 60 delegates", 0),
]


def import_bundled(store) -> dict[str, str]:
    """Import documents/ into ``store``; the document id of each article by its date prefix."""
    import_records(store, (r for p in sorted(DOCUMENTS.glob("*.txt")) for r in plaintext.read(p)))
    ids = {}
    for doc_id in store.document_ids():
        source = store.document(doc_id).source or ""
        ids[source.rsplit("/", 1)[-1][:10]] = doc_id
    return ids


def tag(store, ids: dict[str, str], annotator: str = "alice", tags=TAGS) -> dict[tuple[str, str], object]:
    """Make the spans; each by (date prefix, its text)."""
    made = {}
    for prefix, label, text, occurrence in tags:
        doc_text = store.document_text(ids[prefix])
        at = -1
        for _ in range(occurrence + 1):
            at = doc_text.index(text, at + 1)
        made[(prefix, text)] = store.add_span(ids[prefix], at, at + len(text), label, annotator)
    return made
