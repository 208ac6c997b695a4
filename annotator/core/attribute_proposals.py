"""Values the tool proposes for a span's attributes from its text, shown as proposed until a reviewer confirms them.

- an ORGANISATION: the entity its text names (organisations.Matcher: the database's registry, then the seed's
  organisations and the ministries, with the article as context for a bare "Ministry of Foreign Affairs");
- a FIGURE: value, unit and approximation (figures.propose_figure: "US$7 billion" -> 7,000,000,000 USD);
- a COMMITMENT: its kind, from its wording (commitment_kinds.propose_kind: "urged ..." is a call).

Works on any object with the Store's ``entities``. A proposed entity may be one of the seed's that the database
does not hold yet: ``seed_entity`` describes it so confirming it can add it first.
"""
from __future__ import annotations

from . import commitment_kinds, figures, organisations
from .model import AttributeDef, Span


class Proposer:
    def __init__(self, store):
        self.store = store
        self._matcher: organisations.Matcher | None = None

    def forget(self) -> None:
        """The registry changed (an entity added, merged, renamed): match against it afresh."""
        self._matcher = None

    def entity_for(self, span_text: str, context: str = "") -> str | None:
        """The id of the entity a text names (the database's registry first, then the seed), or None."""
        if self._matcher is None:
            seed = organisations.registry()
            self._matcher = organisations.Matcher(self.store.entities(), seed.ministries)
        found = self._matcher.propose(span_text, context)
        return found or organisations.propose_entity(span_text, context)

    def propose(self, span: Span, defs: list[AttributeDef], context: str = "") -> dict[str, object]:
        """Attribute name -> proposed value, for the attributes of ``defs`` that the span's text gives."""
        out: dict[str, object] = {}
        names = {d.name: d for d in defs}
        if any(d.type == "entity" for d in defs):
            entity = self.entity_for(span.text, context)
            if entity is not None:
                out.update({n: entity for n, d in names.items() if d.type == "entity"})
        if span.label == "FIGURE" or {"value", "unit"} <= set(names):
            figure = figures.propose_figure(span.text)
            if figure is not None:
                out.update({n: v for n, v in figure.attributes().items() if n in names and v != ""})
        kind = names.get("kind")
        if kind is not None and kind.type == "choice":
            proposed = commitment_kinds.propose_kind(span.text, kind.choices)
            if proposed is not None:
                out["kind"] = proposed
        return out


def seed_entity(entity_id: str) -> organisations.Organisation | None:
    """The seed's organisation (or ministry) with this id, to add to a database that does not hold it yet."""
    return organisations.registry().organisation(entity_id)


def seed_organisations() -> tuple[organisations.Organisation, ...]:
    return organisations.registry().organisations
