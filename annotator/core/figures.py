"""A FIGURE span's value, unit and approximation, proposed from its text for a reviewer to confirm or correct.

"US$7 billion" is 7,000,000,000 USD; "2.4 million people" 2,400,000 people; "more than 90 delegates" 90 delegates,
approximate. What the proposer reads:

- the number: digits ("470,000", "2.4", "7bn", "5.4m"), words ("forty-five", "two hundred", "a dozen",
  "one and a half million"), scale words (thousand, million, billion, lakh, crore); "hundreds of", "tens of
  thousands", "several hundred" are a lower bound: at least two of what they name (200, 20,000, 200);
  a share ("two thirds", "half", "one in five") is a percentage;
- a qualifier: "more than", "over", "at least", "+", "or more" (bound "at least"); "up to", "nearly", "almost",
  "less than", "under" ("at most"); "about", "around", "some", "an estimated", "or so" ("about"). Any of them
  makes the figure approximate;
- a range: "between 200 and 300 victims", "10-15%", "5 to 7 million": the value is the lower end, ``upper`` the
  higher, approximate; a scale written once applies to both ends;
- the unit, from resources/figure_units.json: a currency by its symbol or code before the number (US$, $, €, £,
  Rs, USD) or its name after it ("32 billion U.S. dollars"), given as its ISO 4217 code ("$" and "dollars" alone
  are USD); "%" and "per cent" are percent; the noun the number counts otherwise. Words that only say who the
  people are ("350 Pakistani nationals", "persons", "individuals", "citizens") are ``people``; a role keeps its
  own unit (delegates, victims, migrants, children), so that figures are added up only with their like.
  A noun the table does not know is the unit as written ("5.4m Chinese" is 5,400,000 Chinese).

It returns None when it reads no number. It is pure Python on purpose: spaCy's ``like_num`` says whether a token
looks like a number but not its value, and loading a pipeline to read a span would cost a second for nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import resources
from .quantities import Quantity, Token, quantity_at, tokens

UNITS_FILE = "figure_units.json"

# Qualifiers before the number, by what they say of it; the longest that ends the words before the number wins.
_BEFORE = {
    "at least": ["more than", "over", "above", "at least", "upwards of", "in excess of", "no fewer than",
                 "no less than", "not less than", "greater than", "exceeding", "well over", "just over", "over",
                 "a minimum of", "minimum of", "beyond"],
    "at most": ["up to", "nearly", "almost", "less than", "fewer than", "under", "below", "at most", "no more than",
                "not more than", "just under", "as many as", "as much as", "a maximum of", "maximum of",
                "close to", "just short of"],
    "about": ["about", "around", "some", "approximately", "approx", "roughly", "an estimated", "estimated",
              "circa", "c", "ca", "~", "more or less", "in the region of", "on the order of", "an average of",
              "on average", "average of", "the equivalent of"],
    "": ["exactly", "precisely", "a total of", "total of"],
}
_BEFORE_PHRASES = sorted(((p, bound) for bound, ps in _BEFORE.items() for p in ps), key=lambda x: -len(x[0]))
_AFTER = {("+",): "at least", ("or", "more"): "at least", ("plus",): "at least", ("or", "above"): "at least",
          ("or", "over"): "at least", ("or", "so"): "about", ("-", "odd"): "about", ("odd",): "about",
          ("or", "less"): "at most", ("or", "fewer"): "at most"}
# Words after the number that end the phrase naming what it counts.
_STOP = frozenset("""from in at on to for with by and or who which that were are was is be been being have has had
last this these those each per a an the of into across over under between since during through than as will would
could can may might said says according annually yearly every its their his her our while where when not also
already so if but against among within after before until""".split())

_MONTHS = frozenset("""january february march april may june july august september october november december jan feb
mar apr jun jul aug sep sept oct nov dec""".split())


@dataclass(frozen=True, slots=True)
class Figure:
    """What a FIGURE span says: ``value`` (``upper`` too for a range), ``unit`` ("" if the span names none) and
    whether it is ``approximate``; ``bound`` says how: "" (exact), "about", "at least", "at most" or "range"."""

    value: int | float
    unit: str
    approximate: bool = False
    bound: str = ""
    upper: int | float | None = None

    def attributes(self) -> dict[str, object]:
        """The span attributes the scheme gives a FIGURE (value, unit, approximate), as they are stored."""
        return {"value": self.value, "unit": self.unit, "approximate": self.approximate}


@dataclass(frozen=True)
class UnitTable:
    before: dict[tuple[str, ...], str]   # token texts, exactly as written -> currency code
    after: dict[tuple[str, ...], str]    # lower-cased token texts -> unit or currency code
    longest: int


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    """resources/figure_units.json, read once."""
    return parse_unit_table(resources.read_json(UNITS_FILE), f"{resources.PACKAGE}/{UNITS_FILE}")


def parse_unit_table(data: dict, source: str) -> UnitTable:
    """A units table ({"currencies": ..., "units": ...}), checked: a word listed for two units is refused, naming
    both, as is a list that is not a list of words."""
    currencies, units = data.get("currencies"), data.get("units")
    if not isinstance(currencies, dict) or not isinstance(units, dict):
        raise resources.ResourceMissing(f"{source}: must hold 'currencies' and 'units' objects")
    before: dict[tuple[str, ...], str] = {}
    after: dict[tuple[str, ...], str] = {}

    def put(table: dict, key: tuple[str, ...], unit: str, word: str) -> None:
        if table.get(key, unit) != unit:
            raise resources.ResourceMissing(f"{source}: {word!r} is listed for both {table[key]!r} and {unit!r}")
        table[key] = unit

    for code, forms in currencies.items():
        if not isinstance(forms, dict) or not all(
                isinstance(forms.get(k, []), list) and all(isinstance(w, str) and w.strip() for w in forms.get(k, []))
                for k in ("before", "after")):
            raise resources.ResourceMissing(f"{source}: currency {code!r} must have 'before' and 'after' lists of words")
        for word in forms.get("before", []):
            put(before, tuple(t.text for t in tokens(word)), code, word)
        for word in forms.get("after", []):
            put(after, tuple(t.low for t in tokens(word)), code, word)
    for unit, words in units.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise resources.ResourceMissing(f"{source}: unit {unit!r} must have a list of words")
        for word in words:
            put(after, tuple(t.low for t in tokens(word)), unit, word)
    return UnitTable(before, after, max(len(k) for k in [*before, *after]))


@lru_cache(maxsize=8192)  # pure, and a corpus repeats its figures ("US$7 billion" in many articles)
def propose_figure(text: str) -> Figure | None:
    """The figure ``text`` states (its first number, with what surrounds it), or None if it holds no number."""
    toks = tokens(text)
    for i in range(len(toks)):
        q = quantity_at(toks, i)
        if q is not None:
            break
    else:
        return None
    table = unit_table()
    currency, words_end = _currency_before(toks, i, table)
    bound, ranged = _qualifier_before(toks[:words_end])
    if ranged:
        q = quantity_at(toks, i, and_joins=False)
    j, unit = q.end, None
    if _text(toks, j) == "%":
        unit, j = "percent", j + 1
    upper: Quantity | None = None
    connector = _text(toks, j).lower()
    if connector in ("-", "to", "or", "and" if ranged else "-"):
        k = j + 1
        if k < len(toks) and toks[k].kind == "cur":
            k += 1
        other = quantity_at(toks, k) if k < len(toks) else None
        if other is not None and not other.fraction and not q.fraction:
            upper, j = other, other.end
            if _text(toks, j) == "%":
                unit, j = "percent", j + 1
    elif connector in ("in", "out") and not q.fraction:  # "one in five", "nine out of ten"
        k = j + 1 + (connector == "out" and _text(toks, j + 1).lower() == "of")
        other = quantity_at(toks, k) if k < len(toks) else None
        if other is not None and other.scale == 1 and not other.vague and 1 < other.value <= 1000 and q.value < other.value:
            q = Quantity(q.value / other.value, other.end, fraction=True)
            j = q.end
    bound, j = _qualifier_after(toks, j, bound)
    if unit is None and q.fraction:
        unit = "percent"
    if unit is None and currency:
        unit = currency
    elif unit is None:
        unit, j = _unit_after(toks, j, table)
        bound, j = _qualifier_after(toks, j, bound)  # "500 victims or more"
    value = q.value * 100 if q.fraction else q.value
    low = value
    if upper is not None and q.scale == 1 and upper.scale > 1 and low <= upper.value / upper.scale:
        low = low * upper.scale  # "5 to 7 million": the scale is written once
    approximate = bool(bound) or q.vague or upper is not None
    if q.vague and not bound:
        bound = "at least"
    if upper is not None:
        bound = "range"
    if q.fraction and value != value.quantize(Decimal("0.01")):
        approximate = True  # "two thirds" is 66.67 percent, rounded
    return Figure(_number(low), unit, approximate, bound, None if upper is None else _number(upper.value))


def _text(toks: list[Token], i: int) -> str:
    return toks[i].text if 0 <= i < len(toks) else ""


def _currency_before(toks: list[Token], i: int, table: UnitTable) -> tuple[str | None, int]:
    """The currency written just before the number ("US$", "USD", "Rs") and where the words before it end."""
    for n in range(min(table.longest, i), 0, -1):
        code = table.before.get(tuple(t.text for t in toks[i - n:i]))
        if code is not None:
            return code, i - n
    return None, i


def _qualifier_before(toks: list[Token]) -> tuple[str, bool]:
    """What the words before the number say of it, and whether they open a range ("between", "from")."""
    words = " " + " ".join(t.low for t in toks)
    ranged = words.endswith((" between", " from"))
    if ranged:
        words = words.rsplit(" ", 1)[0]
    for phrase, bound in _BEFORE_PHRASES:
        if words.endswith(" " + phrase):
            return bound, ranged
    return "", ranged


def _qualifier_after(toks: list[Token], j: int, bound: str) -> tuple[str, int]:
    for key, said in _AFTER.items():
        if tuple(t.low for t in toks[j:j + len(key)]) == key:
            return bound or said, j + len(key)
    return bound, j


def _unit_after(toks: list[Token], j: int, table: UnitTable) -> tuple[str, int]:
    """What the number counts: a phrase of the table within the next few words, or the last word of the noun
    phrase that follows the number ("5 fishing boats" is boats), or "" if none follows; and where it ends."""
    if _text(toks, j) == "-":  # "three-day"
        j += 1
    if _text(toks, j).lower() == "of":  # "hundreds of people", "a couple of days"
        j += 1
    run: list[Token] = []
    k = j
    while k < len(toks) and len(run) < 3:
        for n in range(min(table.longest, len(toks) - k), 0, -1):
            unit = table.after.get(tuple(t.low for t in toks[k:k + n]))
            if unit is not None:
                return unit, k + n
        t = toks[k]
        if t.kind != "word" or t.low in _STOP:
            break
        run.append(t)
        k += 1
    # the noun is the last word, unless it is a verb after the noun ("12 IIs Found") or a date's month
    nouns = [t for t in run if not t.low.endswith("ed") and t.low not in _MONTHS]
    return (nouns[-1].text, k) if nouns else ("", j)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


__all__ = ["Figure", "UNITS_FILE", "UnitTable", "parse_unit_table", "propose_figure", "unit_table"]
