"""The rows of the findings tables and the filters that choose them: plain dataclasses the writers and the window
read. Each table's columns are listed once here (``COLUMNS``), in the order every writer uses."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import REVIEW_STATUSES
from .dates import check_bound

# How a commitment's organisations (or figures) were found: reviewers' relations, or the spans in its sentence.
BY_RELATION = "relation"
BY_PROXIMITY = "inferred by proximity"
NOT_FOUND = "none found"
# Where a figure's value comes from: its attributes (a reviewer's, or a proposal already stored), or read from its
# text here because it has none.
VALUE_GIVEN = "attributes"
VALUE_PROPOSED = "proposed from its text"

COMMITMENT, ORGANISATION, FIGURE = "COMMITMENT", "ORGANISATION", "FIGURE"


@dataclass(frozen=True)
class Quote:
    """A quotation: the span's text with what comes before and after it, on one line."""

    before: str
    marked: str
    after: str

    def plain(self) -> str:
        return f"{self.before}[{self.marked}]{self.after}"


@dataclass(frozen=True)
class FigureRef:
    text: str
    value: float | int | None = None
    unit: str = ""
    approximate: bool = False
    proposed: bool = False  # read from the span's text (core.figures), no reviewer has given or confirmed it

    def shown(self) -> str:
        """"~90 delegates", "7,000,000,000 USD"; the span's text where no value is known."""
        if self.value is None:
            return self.text
        number = f"{int(self.value):,}" if float(self.value).is_integer() else f"{self.value:,}"
        return (f"{'~' if self.approximate else ''}{number}{' ' + self.unit if self.unit else ''}"
                f"{' (proposed)' if self.proposed else ''}")


@dataclass(slots=True)
class Commitment:
    doc_id: str
    title: str
    date: str
    publisher: str
    span_id: str
    start: int
    end: int
    text: str
    reviewer: str
    status: str
    kind: str = ""
    actors: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    nearby: tuple[str, ...] = ()  # organisations in its sentence, when no ACTOR/PARTNER relation says who
    organisations_by: str = NOT_FOUND
    figures: tuple[FigureRef, ...] = ()
    figures_by: str = NOT_FOUND
    quote: Quote = Quote("", "", "")

    def organisations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.actors + self.partners + self.nearby))


@dataclass(slots=True)
class Figure:
    unit: str
    value: float | int | None
    approximate: bool
    value_by: str  # VALUE_GIVEN, VALUE_PROPOSED or "" (none could be read)
    text: str
    doc_id: str
    title: str
    date: str
    publisher: str
    span_id: str
    start: int
    end: int
    reviewer: str
    commitment_id: str = ""
    commitment: str = ""
    commitment_by: str = NOT_FOUND
    quote: Quote = Quote("", "", "")


@dataclass(slots=True)
class Organisation:
    name: str
    entity: str = ""  # the registry's id, when the mentions are linked to one
    mentions: int = 0
    documents: int = 0
    as_actor: int = 0
    as_partner: int = 0
    nearby: int = 0  # commitments it is in the sentence of, where no relation says who
    first_date: str = ""
    last_date: str = ""
    with_most: list[tuple[str, int]] = field(default_factory=list)
    quote: Quote = Quote("", "", "")
    quote_doc: str = ""


@dataclass
class Coverage:
    documents: int = 0
    in_findings: int = 0  # documents the filters kept
    reviewed: int = 0
    reviewed_by_several: int = 0
    curated: int = 0
    reviewers: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # name, done, skipped, spans, commitments
    agreement: list[tuple[str, str, int, float | None]] = field(default_factory=list)  # a, b, documents, F1


COLUMNS = {
    "commitments": ["date", "publisher", "title", "doc_id", "span_id", "start", "end", "commitment", "kind",
                    "actors", "partners", "organisations_nearby", "organisations_by", "figures", "figures_by",
                    "reviewer", "status", "quote_before", "quote_span", "quote_after"],
    "organisations": ["organisation", "entity", "mentions", "documents", "commitments_as_actor",
                      "commitments_as_partner", "commitments_nearby", "first_date", "last_date",
                      "commits_with_most", "quote_doc_id", "quote_before", "quote_span", "quote_after"],
    "figures": ["unit", "value", "approximate", "value_by", "figure", "date", "publisher", "title", "doc_id", "span_id", "start",
                "end", "commitment", "commitment_span_id", "commitment_by", "reviewer", "quote_before", "quote_span",
                "quote_after"],
    "over_time": ["period", "organisation", "commitments"],
    "coverage": ["what", "who", "value"],
}


@dataclass
class Filters:
    since: str = ""
    until: str = ""
    publisher: str = ""
    organisation: str = ""
    kind: str = ""
    reviewer: str | None = None
    gold: bool = False
    status: str | None = None
    by_month: bool = False

    def checked(self) -> "Filters":
        """The filters, or ValueError naming the one that is wrong."""
        self.since = check_bound(self.since, "--since")
        self.until = check_bound(self.until, "--until")
        if self.since and self.until and self.until < self.since[:len(self.until)]:
            raise ValueError(f"--until {self.until} is before --since {self.since}: nothing could match")
        if self.status and self.status not in REVIEW_STATUSES:
            raise ValueError(f"unknown status {self.status!r}: choose one of {', '.join(REVIEW_STATUSES)}")
        if self.gold and self.status:
            raise ValueError("--status is a reviewer's status: the gold layer has none (leave out --status or --gold)")
        if self.gold and self.reviewer:
            raise ValueError("choose the gold layer or a reviewer, not both")
        return self

    def described(self) -> list[tuple[str, str]]:
        """The filters as a reader sees them, every one named, including those left open."""
        return [
            ("Dates", f"{self.since or 'any'} to {self.until or 'any'}"),
            ("Publisher", self.publisher or "any"),
            ("Organisation", self.organisation or "any"),
            ("Kind", self.kind or "any"),
            ("Layer", "gold (curated)" if self.gold else f"reviewer {self.reviewer}" if self.reviewer else
             "every reviewer (a span several tagged once)" + ("" if self.status else "; gold where a document has it")),
            ("Review status", self.status or "any"),
            ("Over time by", "month" if self.by_month else "year"),
        ]
