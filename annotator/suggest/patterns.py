"""The patterns source: FIGURE-like quantities and known organisation names, with spaCy's matchers on a blank
English pipeline (its tokenizer and lexical attributes only: nothing to download, a few ms an article).

FIGURE: a number (digits, "2.4", "1,000", number words, "million") with what it counts or its currency, and the
qualifier in front if any, as the label's guideline asks: "more than 90 delegates", "US$7 billion", "2.4 million
people", "350 Pakistani nationals", "12 per cent". A bare number, a year or a date is not suggested.

ORGANISATION: the names, acronyms and aliases of the organisations registry (``annotator.core.organisations``,
``resources/organisations.json``), the names ministries go by there, and the database's entity registry, matched
exactly as written ("IOM", not "iom"; the registry's looser matching of aliases, "the"/possessive/spelling folded,
is for linking a span to its entity, not for finding spans). Read again when the registry changes
(``Change("entities")``), as when spans change.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..core.model import Suggestion

NAME = "patterns"
FIGURE, ORGANISATION = "FIGURE", "ORGANISATION"
FIGURE_SCORE = 0.6        # a pattern cannot tell a figure the guideline wants from one it does not
ORGANISATION_SCORE = 0.8  # a registry name is nearly always the organisation

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
MAX_CHARACTERS = 10 ** 9
AFTER_NUMBER = 3  # the most tokens a figure pattern takes after its numbers ("350 Pakistani nationals", "per cent")


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
    if start == 0 or doc[start - 1].lower_ not in QUALIFIER_ENDS:  # most figures: one token looked at
        return start
    before = tuple(doc[i].lower_ for i in range(max(0, start - MAX_QUALIFIER), start))
    for q in QUALIFIERS_LONGEST_FIRST:
        if before[len(before) - len(q):] == q:
            return start - len(q)
    return start


QUALIFIERS_LONGEST_FIRST = [tuple(q) for q in sorted(QUALIFIERS, key=len, reverse=True)]
QUALIFIER_ENDS = {q[-1] for q in QUALIFIERS}


def known_organisations(store=None) -> dict[str, list[str]]:
    """{name: [aliases and acronyms]}: the organisations registry (resources/organisations.json, with the names any
    country gives its ministries: "Ministry of Foreign Affairs"), and the organisations of the database's own
    entity registry, which reviewers grow. Matched as written: "IOM", not "iom"."""
    from ..core.organisations import registry

    seed = registry()
    names = {o.name: list(o.aliases) for o in seed.organisations}
    for function in seed.ministries.functions.values():
        names.setdefault(function.name, []).extend(function.names)
    if store is not None:
        for entity in store.entities():  # ORGANISATION spans link to them: every kind is an organisation's
            names.setdefault(entity.name, []).extend(entity.aliases)
    return names


class PatternSource:
    name = NAME

    def __init__(self, organisations: dict[str, Iterable[str]] | None = None, store=None):
        from spacy.lang.en import English
        from spacy.matcher import Matcher

        self.nlp = English()
        # only the tokenizer and matchers run: spaCy's 1,000,000-character limit guards its parser and ner's
        # memory, and refused a long article outright (the window's suggestion worker stopped on it)
        self.nlp.max_length = MAX_CHARACTERS
        self.figures = Matcher(self.nlp.vocab)
        self.figures.add(FIGURE, _figure_patterns(), greedy="LONGEST")
        self.store, self.given = store, organisations
        self._load_organisations()

    def _load_organisations(self) -> None:
        from spacy.matcher import PhraseMatcher

        self.organisations = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.canonical: dict[str, str] = {}
        names = self.given if self.given is not None else known_organisations(self.store)
        phrases = []
        for name, aliases in names.items():
            for form in (name, *aliases):
                if form and form not in self.canonical:
                    self.canonical[form] = name
                    phrases.append(form)
        self.organisations.add(ORGANISATION, list(self.nlp.tokenizer.pipe(phrases)))

    def refresh(self, documents=None) -> None:
        """After a change: the database's entity registry may have grown (not when only spans of ``documents``
        changed)."""
        if documents is None and self.store is not None and self.given is None:
            self._load_organisations()

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        return self.from_doc(doc_id, text, self.nlp.make_doc(text))

    def suggest_many(self, items: list[tuple[str, str]]):
        for (doc_id, text), doc in zip(items, self.nlp.tokenizer.pipe(t for _, t in items)):
            yield self.from_doc(doc_id, text, doc)

    def _figure_matches(self, doc) -> list[tuple[int, int]]:
        """The figure matcher's (start, end) matches, the matcher run only around the numbers: every figure
        pattern begins at a number or the currency sign before one and ends at most AFTER_NUMBER tokens after
        the run of numbers, so the windows find what a run over the whole document finds, at a tenth of the
        cost (the matcher steps through every token in Python objects; 2 % of an article's tokens are numbers)."""
        import numpy

        numbers = numpy.flatnonzero(doc.to_array("LIKE_NUM"))
        if not len(numbers):
            return []
        windows: list[list[int]] = []
        for i in numbers.tolist():
            start, end = max(0, i - 1), min(len(doc), i + 1 + AFTER_NUMBER)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        return [(a + s, a + e) for a, b in windows for _, s, e in self.figures(doc[a:b])]

    def from_doc(self, doc_id: str, text: str, doc) -> list[Suggestion]:
        from spacy.util import filter_spans

        out = []
        figures = filter_spans([doc[_with_qualifier(doc, s):e] for s, e in self._figure_matches(doc)
                                if _is_figure(doc[s:e])])
        # the span's text sliced from the document's (spaCy's Span.text walks its tokens one Python object each)
        for span in figures:
            start, end = span.start_char, span.end_char
            out.append(Suggestion(doc_id, start, end, FIGURE, text[start:end], NAME, FIGURE_SCORE,
                                  "a number with what it counts"))
        for span in filter_spans(self.organisations(doc, as_spans=True)):
            start, end = span.start_char, span.end_char
            form = text[start:end]
            name = self.canonical.get(form, form)
            reason = "a known organisation" + (f" ({name})" if name != form else "")
            out.append(Suggestion(doc_id, start, end, ORGANISATION, form, NAME, ORGANISATION_SCORE, reason))
        return out
