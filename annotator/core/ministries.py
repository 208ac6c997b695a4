"""Ministries: an organisation of one country, named the same way in many ("the Ministry of Foreign Affairs").

A ministry's entity id is its country's ISO code and its function's key: ``VN-MFA`` is Vietnam's Ministry of
Foreign Affairs, ``PK-MOI`` Pakistan's Ministry of Interior. The registry (resources/organisations.json,
"ministries") lists the functions with the names any country may give them, and per country the names only it
uses (Vietnam's "Ministry of Labour, Invalids and Social Affairs" is ``VN-MOL``, the UK's "Home Office" ``GB-MOI``).

The country comes from the span itself ("Vietnam's Ministry of Foreign Affairs", "the Ministry of Public Security
of Vietnam", "the Chinese Foreign Ministry") or, for a bare "Ministry of Foreign Affairs", from the article: the
country it names most often (by name, adjective or capital), if one is named at least twice and more often than
any other. Without a country nothing is proposed: a guess between China and Pakistan helps no reviewer.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from . import names


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    forms: tuple[str, ...]             # every way the registry writes it: names, acronyms, adjectives
    context_forms: tuple[str, ...]     # those that count towards an article's country (no acronyms: "US$")
    ministries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # function key -> names only it uses


@dataclass(frozen=True)
class Function:
    key: str
    name: str
    names: tuple[str, ...]             # names and acronyms any country may give it


class Ministries:
    def __init__(self, functions: list[Function], countries: list[Country]):
        self.functions = {f.key: f for f in functions}
        self.countries = {c.code: c for c in countries}
        self._country_by_key = {names.name_key(form): c.code for c in countries for form in c.forms}
        # lookup key -> [(function key, the only countries that use this name, or () if any may)]
        self._names: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
        for f in functions:
            for n in (f.name, *f.names):
                self._add(n, f.key, ())
        own: dict[tuple[str, str], set[str]] = {}
        for c in countries:
            for fkey, ns in c.ministries.items():
                for n in ns:
                    own.setdefault((names.key(n), fkey), set()).add(c.code)
        for (k, fkey), codes in own.items():
            self._names.setdefault(k, []).append((fkey, tuple(sorted(codes))))
        # proper names start with a capital ("the Philippines" is counted as "Philippines"): the look-ahead lets
        # the search skip every other position at once, which makes it about five times faster
        forms = sorted({f for c in countries for f in c.context_forms if f[:1].isupper()}, key=len, reverse=True)
        self._form_country = {f: c.code for c in countries for f in c.context_forms}
        self._context = re.compile(r"\b(?=[A-Z\u00c0-\u024f])(?:" + "|".join(map(re.escape, forms)) + r")\b") \
            if forms else None
        self._last_context: tuple[str | None, str | None] = (None, None)

    def _add(self, name: str, fkey: str, codes: tuple[str, ...]) -> None:
        entry = self._names.setdefault(names.key(name), [])
        if (fkey, codes) not in entry:
            entry.append((fkey, codes))

    def entity_id(self, code: str, fkey: str) -> str:
        return f"{code}-{fkey}"

    def describe(self, entity_id: str) -> tuple[str, str] | None:
        """(name, country code) of a ministry's entity id such as VN-MFA, or None if it is not one."""
        code, _, fkey = entity_id.partition("-")
        if code not in self.countries or fkey not in self.functions:
            return None
        return f"{self.functions[fkey].name} ({self.countries[code].name})", code

    def context_country(self, text: str) -> str | None:
        """The country an article is about, if it names one at least twice and more often than any other."""
        if not text or self._context is None:
            return None
        if self._last_context[0] is text:  # the spans of one article ask about the same text object in turn
            return self._last_context[1]
        counts = Counter(self._form_country[m[0]] for m in self._context.finditer(text)).most_common(2)
        country = None if not counts or counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]) \
            else counts[0][0]
        self._last_context = (text, country)
        return country

    def propose(self, text: str, context: str | Callable[[], str] = "") -> str | None:
        """The ministry entity id a span names, or None. ``context`` is the article's text, or a function that
        gives it (read only for a ministry named without its country)."""
        found, candidates = self._read(text)
        if found or not candidates:
            return found
        country = self.context_country(context() if callable(context) else context)
        for fkey, codes in candidates:
            if country and (not codes or country in codes):
                return self.entity_id(country, fkey)
        return None

    @lru_cache(maxsize=8192)  # a corpus names the same ministries again and again
    def _read(self, text: str) -> tuple[str | None, tuple[tuple[str, tuple[str, ...]], ...]]:
        """What the span's text alone says: the ministry's id, or the functions it may be that need the article's
        country."""
        cleaned = names.clean(text)
        if not cleaned:
            return None, ()
        # the whole span names a ministry: the country must come from the registry's own names or the article
        candidates = []
        for k in names.keys_of_span(cleaned):
            for fkey, codes in self._names.get(k, []):
                if len(codes) == 1:
                    return self.entity_id(codes[0], fkey), ()
                candidates.append((fkey, codes))
        if candidates:
            return None, tuple(candidates)
        # a country with it: "Vietnam's Ministry of Foreign Affairs", "the Ministry of Public Security of Vietnam"
        whole = names.name_key(cleaned)
        for (kind, k), entries in self._names.items():
            if kind != "name" or not k or k == whole:
                continue
            code = None
            if whole.endswith(k):
                prefix = whole[:-len(k)]
                code = self._country_by_key.get(prefix) or (
                    self._country_by_key.get(prefix[:-1]) if prefix.endswith("s") else None)  # Vietnam's
            elif whole.startswith(k + "of"):
                suffix = whole[len(k) + 2:]
                code = self._country_by_key.get(suffix) or (
                    self._country_by_key.get(suffix[3:]) if suffix.startswith("the") else None)
            if code is None:
                continue
            for fkey, codes in entries:
                if not codes or code in codes:
                    return self.entity_id(code, fkey), ()
        return None, ()


def parse_ministries(data: object, source: str, fail) -> Ministries:
    """The registry's "ministries" object; ``fail(message)`` raises for what is wrong in it."""
    if not isinstance(data, dict) or not isinstance(data.get("functions"), list) \
            or not isinstance(data.get("countries"), list):
        fail(f"{source}: 'ministries' must hold 'functions' and 'countries' lists")
    functions = []
    for n, item in enumerate(data["functions"], 1):
        if not isinstance(item, dict) or not _word(item.get("key")) or not _word(item.get("name")) \
                or not _words(item.get("names", [])) or not _words(item.get("acronyms", [])):
            fail(f"{source}: ministry function {n} must have a key, a name and lists of names and acronyms")
        functions.append(Function(item["key"], item["name"], (*item.get("names", []), *item.get("acronyms", []))))
    keys = {f.key for f in functions}
    countries = []
    for n, item in enumerate(data["countries"], 1):
        if not isinstance(item, dict) or not _word(item.get("code")) or not _word(item.get("name")) \
                or not _words(item.get("names", [])) or not _words(item.get("adjectives", [])) \
                or not isinstance(item.get("capital", ""), str) or not isinstance(item.get("ministries", {}), dict):
            fail(f"{source}: country {n} must have a code, a name, lists of names and adjectives, and may have a "
                 "capital and ministries")
        own = item.get("ministries", {})
        for fkey, ns in own.items():
            if fkey not in keys or not _words(ns):
                fail(f"{source}: country {item['code']}: ministry {fkey!r} must be a function key with a list of names")
        forms = (item["name"], *item.get("names", []), *item.get("adjectives", []))
        context = tuple(f for f in (*forms, item.get("capital", "")) if f and not names.is_acronym(f))
        countries.append(Country(item["code"], item["name"], forms, context, {k: tuple(v) for k, v in own.items()}))
    return Ministries(functions, countries)


def _word(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _words(value: object) -> bool:
    return isinstance(value, list) and all(_word(v) for v in value)
