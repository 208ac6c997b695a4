"""The registry of canonical organisations, and the entity an ORGANISATION span's text names.

The seed is resources/organisations.json (about 50 organisations of trafficking and smuggling cooperation: IOM,
UNODC, UNHCR, Interpol, the Bali Process, ... and the ministries of 70 countries, see ministries.py); a database
starts from it and reviewers grow it. ``propose_entity("the IOM's")`` is "IOM": an exact match of the span's
name against an organisation's name, aliases and acronyms, as names.py compares them, never a guess from a part
of the span ("IOM Senior Regional Advisor" proposes nothing). A ``Matcher`` does the same over any list of
entities (the store's, grown by reviewers), with the registry's ministries.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from . import names, resources
from .ministries import Ministries, parse_ministries

REGISTRY_FILE = "organisations.json"
KINDS = ("intergovernmental", "un-body", "regional", "police-cooperation", "process", "fund", "agency", "ministry",
         "government", "ngo", "organisation")


@dataclass(frozen=True)
class Organisation:
    """A canonical organisation: ``id`` a short stable key (IOM, BALI-PROCESS, VN-MFA); ``aliases`` its other
    names and acronyms; ``country`` an ISO code for a national body."""

    id: str
    name: str
    kind: str = "organisation"
    aliases: tuple[str, ...] = ()
    country: str = ""


class Named(Protocol):  # an Organisation, or the store's Entity
    id: str
    name: str
    aliases: tuple[str, ...]


class AmbiguousName(ValueError):
    pass


class Matcher:
    """Looks up a span's text among entities' names and aliases, then among the ministries.

    A name two entities share proposes neither (``strict`` refuses it instead, as the seed file must)."""

    def __init__(self, entities: Iterable[Named], ministries: Ministries | None = None, strict: bool = False):
        self.ministries = ministries
        self._by_key: dict[tuple[str, str], str | None] = {}
        for entity in entities:
            for alias in (entity.name, *entity.aliases):
                k = names.key(alias)
                if not k[1]:
                    continue
                known = self._by_key.get(k, entity.id)
                if known != entity.id:
                    if strict:
                        raise AmbiguousName(f"{alias!r} names both {known} and {entity.id}")
                    self._by_key[k] = None  # ambiguous: no proposal
                elif k not in self._by_key:
                    self._by_key[k] = entity.id

    def propose(self, span_text: str, context: str | Callable[[], str] = "") -> str | None:
        """The entity id ``span_text`` names, or None. ``context``, the article's text (or a function that gives
        it), gives a bare ministry its country."""
        found = [self._by_key[k] for k in names.keys_of_span(span_text) if k in self._by_key]
        ids = {f for f in found if f is not None}
        if len(ids) == 1:
            return ids.pop()
        if ids or found:  # "Bali Process (IOM)" names two; an ambiguous name names none
            return None
        return self.ministries.propose(span_text, context) if self.ministries is not None else None


@dataclass(frozen=True)
class Registry:
    organisations: tuple[Organisation, ...]
    ministries: Ministries

    def matcher(self) -> Matcher:
        return Matcher(self.organisations, self.ministries)

    def organisation(self, entity_id: str) -> Organisation | None:
        """The seed's organisation, or the ministry an id such as VN-MFA names (made when first proposed)."""
        for o in self.organisations:
            if o.id == entity_id:
                return o
        described = self.ministries.describe(entity_id)
        if described is None:
            return None
        name, country = described
        return Organisation(entity_id, name, "ministry", (), country)


def parse_registry(data: dict, source: str) -> Registry:
    """The registry file's content, checked: each organisation needs an id, a name, a known kind and lists of
    strings; an id used twice, or a name or alias given to two organisations, is refused by name."""

    def fail(message: str):
        raise resources.ResourceMissing(message)

    items = data.get("organisations")
    if not isinstance(items, list):
        fail(f"{source}: 'organisations' must be a list")
    organisations: list[Organisation] = []
    for n, item in enumerate(items, 1):
        where = f"{source}: organisation {n}"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item[k].strip() for k in ("id", "name")):
            fail(f"{where} must have an id and a name")
        if item.get("kind", "organisation") not in KINDS:
            fail(f"{where} ({item['id']}): kind {item.get('kind')!r} is not one of {', '.join(KINDS)}")
        lists = [item.get(k, []) for k in ("acronyms", "aliases")]
        if not all(isinstance(l, list) and all(isinstance(a, str) and a.strip() for a in l) for l in lists):
            fail(f"{where} ({item['id']}): acronyms and aliases must be lists of names")
        if any(o.id == item["id"] for o in organisations):
            fail(f"{where}: the id {item['id']!r} is given twice")
        aliases = tuple(dict.fromkeys(a for l in lists for a in l if a != item["name"]))
        organisations.append(Organisation(item["id"], item["name"], item.get("kind", "organisation"), aliases,
                                          item.get("country", "")))
    ministries = parse_ministries(data.get("ministries"), source, fail)
    try:
        Matcher(organisations, strict=True)
    except AmbiguousName as exc:
        fail(f"{source}: {exc}")
    return Registry(tuple(organisations), ministries)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """resources/organisations.json, read once."""
    return parse_registry(resources.read_json(REGISTRY_FILE), f"{resources.PACKAGE}/{REGISTRY_FILE}")


def load() -> tuple[Organisation, ...]:
    """The seed's organisations (names and aliases; ministries are not among them): what suggest/patterns.py
    matches in articles."""
    return registry().organisations


@lru_cache(maxsize=1)
def _seed_matcher() -> Matcher:
    return registry().matcher()


def propose_entity(span_text: str, context: str = "") -> str | None:
    """The id of the seed organisation ``span_text`` names ("the IOM's" -> "IOM"), or None."""
    return _seed_matcher().propose(span_text, context)


__all__ = ["KINDS", "Matcher", "Organisation", "REGISTRY_FILE", "Registry", "load", "parse_registry",
           "propose_entity", "registry"]
