"""Numbers as news articles write them: "2.4 million", "US$7bn", "forty-five", "a dozen", "hundreds of".

The tokens of a FIGURE span and the quantity that starts at a token. The reading of the whole figure (qualifiers,
ranges, currencies and units) is in figures.py; this module only knows how a number is written.
Values are Decimals so that "2.4 million" is 2,400,000 exactly, not 2399999.9999999995.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A currency symbol, with the country letters some of them carry (US$, NZ$, HK$); a number, its grouping commas and
# decimals, and letters glued to it ("7bn", "5.4m", "4th", "10km"); a word (letters, dots inside abbreviations
# such as U.S., an apostrophe); any other character alone.
_TOKEN = re.compile(r"""
    (?P<cur>(?:US|U\.S\.|A|AU|NZ|HK|C|CA|S)\$|[$€£¥₹₱₩₺₦₽฿₫])
  | (?P<num>\d+(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|\.\d+)(?P<glued>[^\W\d_]+)?
  | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?(?:\.(?=[^\W\d_]\.)[^\W\d_])*\.?)
  | (?P<other>\S)
""", re.VERBOSE)
# Digits grouped by a no-break or thin space ("1 000 000", as French and SI style write them).
_SPACE_GROUP = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})

ONES = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
# Words that multiply what comes before them; lakh and crore are how South Asian papers (Dawn) count.
SCALES = {"thousand": 10 ** 3, "lakh": 10 ** 5, "lac": 10 ** 5, "million": 10 ** 6, "crore": 10 ** 7,
          "billion": 10 ** 9, "trillion": 10 ** 12}
# Letters glued to digits that scale them ("7bn", "5.4m", "10k"), as headlines write them.
GLUED_SCALES = {"k": 10 ** 3, "m": 10 ** 6, "mn": 10 ** 6, "mln": 10 ** 6, "b": 10 ** 9, "bn": 10 ** 9,
                "tn": 10 ** 12, "lakh": 10 ** 5, "crore": 10 ** 7, "million": 10 ** 6, "billion": 10 ** 9}
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
# "hundreds of", "tens of thousands": at least two of what they name.
VAGUE_PLURALS = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 10 ** 3,
                 "lakhs": 10 ** 5, "millions": 10 ** 6, "crores": 10 ** 7, "billions": 10 ** 9}
VAGUE_COUNTS = {"several", "few", "many", "multiple"}  # "several hundred", "a few thousand": at least two
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}


@dataclass(frozen=True, slots=True)
class Token:
    text: str          # as written (a word's final full stop dropped: "people." is "people")
    kind: str          # "cur", "num", "word" or "other"
    number: Decimal | None = None  # a "num" token's value, glued scale applied
    ordinal: bool = False          # "4th": a rank, not a quantity

    @property
    def low(self) -> str:
        return self.text.lower()


def tokens(text: str) -> list[Token]:
    text = _SPACE_GROUP.sub("", text.translate(_DASHES)).replace("’", "'")
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        if m["cur"]:
            out.append(Token(m["cur"], "cur"))
        elif m["num"]:
            number = Decimal(m["num"].replace(",", ""))
            glued = m["glued"] or ""
            if glued.lower() in GLUED_SCALES:
                out.append(Token(m[0], "num", number * GLUED_SCALES[glued.lower()]))
            elif glued.lower() in ORDINAL_SUFFIXES or glued == "s":  # "4th", "the 1990s": not a quantity
                out.append(Token(m[0], "num", number, ordinal=True))
            else:  # "10km": the number, then the word
                out.append(Token(m["num"], "num", number))
                if glued:
                    out.append(Token(glued, "word"))
        elif m["word"]:
            word = m["word"]
            out.append(Token(word[:-1] if word.endswith(".") and len(word) > 1 else word, "word"))
        else:
            out.append(Token(m["other"], "other"))
    return out


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    end: int                 # the index of the first token after it
    scale: int = 1           # the scale word it ended with ("7 million": 10**6), for "5 to 7 million"
    vague: bool = False      # "hundreds of", "several thousand": a lower bound, approximate
    fraction: bool = False   # "two thirds", "half": a share, read as a percentage


def quantity_at(toks: list[Token], i: int, and_joins: bool = True) -> Quantity | None:
    """The quantity that starts at token ``i``, or None if none does. ``and_joins=False`` after "between", where
    "and" ends the number ("between two hundred and three thousand" is a range, not 203,000)."""
    t = toks[i]
    if t.kind == "num":
        return None if t.ordinal else _scaled(toks, i + 1, t.number)
    if t.kind != "word":
        return None
    w = t.low
    if w in VAGUE_PLURALS:
        return _vague(toks, i + 1, VAGUE_PLURALS[w])
    if w in VAGUE_COUNTS and _word(toks, i + 1) in SCALES.keys() | {"hundred", "dozen"}:
        return _vague(toks, i + 2, _unit_of(_word(toks, i + 1)))
    if w == "a" and _word(toks, i + 1) in VAGUE_COUNTS and _word(toks, i + 2) in SCALES.keys() | {"hundred", "dozen"}:
        return _vague(toks, i + 3, _unit_of(_word(toks, i + 2)))  # "a few thousand"
    if w == "a" and _word(toks, i + 1) == "couple" and _word(toks, i + 2) == "of":
        return Quantity(Decimal(2), i + 3, vague=False)
    return _words(toks, i, and_joins)


def _word(toks: list[Token], i: int) -> str:
    return toks[i].low if i < len(toks) and toks[i].kind == "word" else ""


def _text(toks: list[Token], i: int) -> str:
    return toks[i].text if i < len(toks) else ""


def _unit_of(word: str) -> int:
    return {"hundred": 100, "dozen": 12}.get(word) or SCALES[word]


def _vague(toks: list[Token], j: int, unit: int) -> Quantity:
    value = 2 * unit  # "hundreds" are at least two hundred
    while _word(toks, j) == "of" and _word(toks, j + 1) in VAGUE_PLURALS:  # "tens of thousands"
        value *= VAGUE_PLURALS[_word(toks, j + 1)]
        j += 2
    if _word(toks, j) in SCALES:  # "several hundred thousand"
        value *= SCALES[_word(toks, j)]
        j += 1
    return Quantity(Decimal(value), j, vague=True)


def _scaled(toks: list[Token], j: int, value: Decimal) -> Quantity:
    """Digits and the scale words after them: "2.4 million", "5 hundred thousand", "2 dozen"."""
    scale = 1
    while True:
        w = _word(toks, j)
        if w in SCALES or w == "hundred" or w == "dozen":
            step = _unit_of(w)
            value, scale, j = value * step, scale * step, j + 1
        elif w.endswith("s") and w[:-1] in SCALES and _word(toks, j + 1) != "of":
            value, scale, j = value * SCALES[w[:-1]], scale * SCALES[w[:-1]], j + 1  # "3 lakhs", "5 crores"
        else:
            return Quantity(value, j, scale)


def _small(toks: list[Token], j: int) -> tuple[int, int] | None:
    """A number under a hundred written in words at ``j`` ("seven", "forty-five", "forty five"), and its end."""
    w = _word(toks, j)
    if w in ONES:
        return ONES[w], j + 1
    if w not in TENS:
        return None
    k = j + 1
    if k < len(toks) and toks[k].text == "-" and _word(toks, k + 1) in ONES and ONES[_word(toks, k + 1)] < 10:
        return TENS[w] + ONES[_word(toks, k + 1)], k + 2
    if _word(toks, k) in ONES and 0 < ONES[_word(toks, k)] < 10:
        return TENS[w] + ONES[_word(toks, k)], k + 1
    return TENS[w], k


def _words(toks: list[Token], i: int, and_joins: bool = True) -> Quantity | None:
    """A number written in words: "two hundred", "one hundred and twenty-five", "a dozen", "half a million",
    "one and a half million", "three thousand five hundred", "two thirds"."""
    total, current, j, scale = Decimal(0), None, i, 1
    w = _word(toks, i)
    if w in ("a", "an", "one") and _word(toks, i + 1) in DENOMINATORS and _word(toks, i + 2) not in SCALES:
        return Quantity(Decimal(1) / DENOMINATORS[_word(toks, i + 1)], i + 2, fraction=True)
    if w == "half":
        if _word(toks, i + 1) == "a" and _word(toks, i + 2) in SCALES.keys() | {"dozen", "hundred"}:
            step = _unit_of(_word(toks, i + 2))
            return Quantity(Decimal(step) / 2, i + 3, scale=step)
        return Quantity(Decimal(1) / 2, i + 1, fraction=True)
    while j < len(toks):
        w = _word(toks, j)
        small = _small(toks, j)
        if small is not None and current is None:
            current, j = Decimal(small[0]), small[1]
            k = j + 1 if _text(toks, j) == "-" else j  # "one-third"
            den = _word(toks, k)
            if den in DENOMINATORS and den not in ("half", "halves") and _word(toks, k + 1) not in SCALES:
                return Quantity(current / DENOMINATORS[den], k + 1, fraction=True)  # "two thirds"
        elif small is not None and current is not None and current % 100 == 0 and current > 0 and (
                _word(toks, j - 1) in SCALES or _word(toks, j - 1) == "hundred"):
            current, j = current + small[0], small[1]  # "three thousand five", "two hundred seven"
        elif w in ("a", "an") and current is None and _word(toks, j + 1) in SCALES.keys() | {"hundred", "dozen"}:
            current, j = Decimal(1), j + 1
        elif w == "and" and (current is not None or total):
            nxt = _small(toks, j + 1)
            if current is not None and _word(toks, j + 1) == "a" and _word(toks, j + 2) == "half":
                current, j = current + Decimal("0.5"), j + 3  # "one and a half million"
            elif (and_joins and nxt is not None and _word(toks, j - 1) in SCALES.keys() | {"hundred"}
                  and _word(toks, nxt[1]) != _word(toks, j - 1)):
                # "one hundred and twenty"; "one hundred and one thousand" is 101,000 and is read on at
                # "thousand"; "two hundred and three hundred" and "a million and two million" are two numbers
                current, j = (current or 0) + nxt[0], nxt[1]
            else:
                break
        elif (w == "hundred" and current is not None) or w == "dozen":
            step = _unit_of(w)
            current, j = (current if current is not None else Decimal(1)) * step, j + 1
            scale = step
        elif w in SCALES and current is not None:
            total, current, j, scale = total + current * SCALES[w], None, j + 1, SCALES[w]
        else:
            break
    if current is None and total == 0:
        return None
    return Quantity(total + (current or 0), j, scale)
