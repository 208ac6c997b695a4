"""The patterns source: FIGURE-like quantities and known organisation names, with spaCy's matchers on a blank
English pipeline (its tokenizer and lexical attributes only: nothing to download, a few ms an article).

FIGURE: a number (digits, "2.4", "1,000", number words, "million") with what it counts or its currency, and the
qualifier in front if any, as the label's guideline asks: "more than 90 delegates", "US$7 billion", "2.4 million
people", "350 Pakistani nationals", "12 per cent". A bare number, a year or a date is not suggested.

ORGANISATION: the names and aliases of the organisations registry (``annotator.core.organisations``, the file
``resources/organisations.json`` users can edit), matched exactly (case-sensitively: "IOM", not "iom").
"""
from __future__ import annotations

import re
from typing import Iterable

from ..core.model import Suggestion

NAME = "patterns"
FIGURE, ORGANISATION = "FIGURE", "ORGANISATION"
FIGURE_SCORE = 0.6        # a pattern cannot tell a figure the guideline wants from one it does not
ORGANISATION_SCORE = 0.8  # a registry name is nearly always the organisation

# Used only until the organisations registry (annotator.core.organisations) is on main.
FALLBACK_ORGANISATIONS = {
    "International Organization for Migration": ["IOM"],
    "United Nations Office on Drugs and Crime": ["UNODC"],
    "Association of Southeast Asian Nations": ["ASEAN"],
    "Bali Process": ["the Bali Process"],
    "Interpol": ["INTERPOL", "International Criminal Police Organization"],
    "United Nations": ["UN"],
    "European Union": ["EU"],
    "United Nations High Commissioner for Refugees": ["UNHCR"],
    "Europol": [],
    "Frontex": [],
}

QUALIFIERS = [["more", "than"], ["less", "than"], ["fewer", "than"], ["at", "least"], ["up", "to"], ["as", "many", "as"],
              ["as", "much", "as"], ["nearly"], ["about"], ["around"], ["almost"], ["over"], ["some"],
              ["approximately"], ["roughly"], ["an", "estimated"], ["estimated"], ["over"], ["under"], ["only"]]
CURRENCY_SIGNS = ["$", "US$", "€", "£", "¥", "A$", "S$", "HK$", "Rs", "Rs."]
CURRENCY_WORDS = ["dollars", "dollar", "euros", "euro", "pounds", "yuan", "rupees", "rupee", "baht", "dong", "yen",
                  "ringgit", "rupiah", "pesos", "francs"]
PERCENT = [[{"ORTH": "%"}], [{"LOWER": "per"}, {"LOWER": "cent"}], [{"LOWER": "percent"}]]
NUMBER = {"LIKE_NUM": True}
MORE_NUMBER = {"LIKE_NUM": True, "OP": "*"}
COUNTED = {"IS_ALPHA": True, "IS_LOWER": True, "IS_STOP": False, "LIKE_NUM": False}
YEAR = re.compile(r"(?:19|20)\d\d")
ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
            "twelfth", "last", "next", "previous", "hundredth", "thousandth", "millionth", "billionth"}
MAX_QUALIFIER = max(len(q) for q in QUALIFIERS)


def _figure_patterns() -> list[list[dict]]:
    # Qualifiers are added in Python (``_with_qualifier``): as patterns they multiplied the matcher's work by 20.
    return [
        [NUMBER, MORE_NUMBER, COUNTED],                                           # 90 delegates, 2.4 million people
        [NUMBER, MORE_NUMBER, {"IS_TITLE": True, "IS_STOP": False}, COUNTED],    # 350 Pakistani nationals
        [{"ORTH": {"IN": CURRENCY_SIGNS}}, NUMBER, MORE_NUMBER],                 # US$7 billion
        [NUMBER, MORE_NUMBER, {"LOWER": {"IN": CURRENCY_WORDS}}],               # 7 million dollars
        *[[NUMBER, MORE_NUMBER, *p] for p in PERCENT],                           # 12 per cent
    ]


def _is_figure(span) -> bool:
    """A year ("in 2012 ministers met") or an ordinal ("the first global report") is not a figure."""
    first = span[0] if span[0].like_num else span[1]
    return not (YEAR.fullmatch(first.text) or first.lower_ in ORDINALS)


def _with_qualifier(doc, start: int) -> int:
    """Where the figure starts once a qualifier just before it ("more than", "about") is taken in."""
    for q in QUALIFIERS_LONGEST_FIRST:
        k = len(q)
        if start >= k and all(doc[start - k + i].lower_ == w for i, w in enumerate(q)):
            return start - k
    return start


QUALIFIERS_LONGEST_FIRST = sorted(QUALIFIERS, key=len, reverse=True)


def known_organisations() -> dict[str, list[str]]:
    """{name: [aliases]} from the registry, or the fallback list while it is not there."""
    try:
        from ..core import organisations  # type: ignore[attr-defined]
    except ImportError:
        return FALLBACK_ORGANISATIONS
    return {o.name: list(o.aliases) for o in organisations.load()}


class PatternSource:
    name = NAME

    def __init__(self, organisations: dict[str, Iterable[str]] | None = None):
        from spacy.lang.en import English
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = English()
        vocab = self.nlp.vocab
        self.figures = Matcher(vocab)
        self.figures.add(FIGURE, _figure_patterns(), greedy="LONGEST")
        self.organisations = PhraseMatcher(vocab, attr="ORTH")
        self.canonical: dict[str, str] = {}
        names = organisations if organisations is not None else known_organisations()
        phrases = []
        for name, aliases in names.items():
            for form in (name, *aliases):
                if form and form not in self.canonical:
                    self.canonical[form] = name
                    phrases.append(form)
        self.organisations.add(ORGANISATION, list(self.nlp.tokenizer.pipe(phrases)))

    def refresh(self) -> None:
        pass

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        return self.from_doc(doc_id, text, self.nlp.make_doc(text))

    def suggest_many(self, items: list[tuple[str, str]]):
        for (doc_id, text), doc in zip(items, self.nlp.tokenizer.pipe(t for _, t in items)):
            yield self.from_doc(doc_id, text, doc)

    def from_doc(self, doc_id: str, text: str, doc) -> list[Suggestion]:
        from spacy.util import filter_spans

        out = []
        figures = filter_spans([doc[_with_qualifier(doc, s):e] for _, s, e in self.figures(doc) if _is_figure(doc[s:e])])
        for span in figures:
            out.append(Suggestion(doc_id, span.start_char, span.end_char, FIGURE, span.text, NAME, FIGURE_SCORE,
                                  "a number with what it counts"))
        for span in filter_spans(self.organisations(doc, as_spans=True)):
            name = self.canonical.get(span.text, span.text)
            reason = "a known organisation" + (f" ({name})" if name != span.text else "")
            out.append(Suggestion(doc_id, span.start_char, span.end_char, ORGANISATION, span.text, NAME,
                                  ORGANISATION_SCORE, reason))
        return out
