"""The relations and attribute values of a record from elsewhere (a teammate's database or bundle), checked before
a merge lets them in, as the rest of the record is in validate.check_merged_record."""
from __future__ import annotations

import math

from .errors import InvariantError
from .from_elsewhere import SURROGATE as _SURROGATE, is_our_time, is_text as _is_text, time_problem


def check_merged_links(rec, latest: str, bad) -> None:
    """A relation joins two spans of this record's layer (reviewers' or gold), of its own reviewer; an attribute
    value is of a span of the record and of its reviewer; times are ours. What depends on the scheme (a type's
    labels, an attribute's values) is checked by the store as it merges them."""
    doc_id = rec.document.id
    for table, relations, spans in (("relations", rec.relations, rec.spans),
                                    ("gold_relations", rec.gold_relations, rec.gold)):
        if not relations:
            continue
        by_id = {s.id: s for s in spans}
        strings = []
        for r in relations:
            # the common case in one test (a teammate's database holds hundreds of thousands); anything else takes
            # the walk that words the reason
            head = by_id.get(r.head) if type(r.head) is str else None  # a list is unhashable: worded below
            child = by_id.get(r.child) if type(r.child) is str else None
            who = r.annotator
            if (type(r.type) is str and head is not None and child is not None and head is not child and r.doc_id == doc_id
                    and type(r.id) is str and r.id and type(who) is str and head.annotator == who == child.annotator
                    and r.type in _GOOD_TYPES and type(getattr(r, "sources", ())) is tuple
                    and is_our_time(r.created, latest) and (r.updated == r.created or is_our_time(r.updated, latest))
                    and (r.deleted is None or r.deleted == r.updated or is_our_time(r.deleted, latest))):
                strings += (r.id, *getattr(r, "sources", ()))
                continue
            reason = _relation_problem(r, doc_id, by_id, latest, "gold" if table == "gold_relations" else "")
            if reason:
                bad(reason, table, r.id if _is_text(r.id, False) else repr(r.id))
            _GOOD_TYPES.add(r.type)  # a string: _relation_problem checked its name
        if strings and _SURROGATE.search("\x00".join(strings)):
            for r in relations:
                reason = _relation_problem(r, doc_id, by_id, latest, "gold" if table == "gold_relations" else "")
                if reason:
                    bad(reason, table, r.id if _is_text(r.id, False) else repr(r.id))
    for table, attributes, spans in (("span_attributes", rec.attributes, rec.spans),
                                     ("gold_span_attributes", rec.gold_attributes, rec.gold)):
        if not attributes:
            continue
        by_id = {s.id: s for s in spans}
        for a in attributes:
            reason = _attribute_problem(a, doc_id, by_id, latest)
            if reason:
                bad(reason, table, (a.span_id, a.name))


# relation type names seen to pass the checks: a merge checks each name once, not once a relation
_GOOD_TYPES: set = set()


def _relation_problem(r, doc_id: str, spans: dict, latest: str, gold: str) -> str | None:
    from .relation_scheme import check_relation_name

    if not _is_text(r.id, False) or _SURROGATE.search(r.id):
        return "it has no id"
    if r.doc_id != doc_id:
        return f"it is of document {r.doc_id!r}, not of this one"
    layer = "gold span" if gold else "span"
    ends = []
    for role in ("head", "child"):
        span_id = getattr(r, role)
        span = spans.get(span_id) if _is_text(span_id, False) else None
        if span is None:
            return f"its {role} {span_id!r:.60} is not a {layer} of this document"
        ends.append(span)
    if r.head == r.child:
        return "it joins a span to itself"
    try:
        check_relation_name(r.type)
    except InvariantError as exc:
        return str(exc)
    if _SURROGATE.search(r.type):
        return "its type holds a lone surrogate"
    if not _is_text(r.annotator, False) or _SURROGATE.search(r.annotator):
        return f"it has no {'curator' if gold else 'annotator'}"
    if ends[0].annotator != r.annotator or ends[1].annotator != r.annotator:
        return (f"it is {r.annotator}'s but joins {layer}s of "
                f"{' and '.join(sorted({ends[0].annotator, ends[1].annotator}))}")
    sources = getattr(r, "sources", ())
    if not isinstance(sources, tuple) or not all(_is_text(x, False) and not _SURROGATE.search(x) for x in sources):
        return "its sources must be relation ids"
    return (time_problem("created", r.created, latest) or time_problem("updated", r.updated, latest)
            or time_problem("deleted", r.deleted, latest, optional=True))


def _attribute_problem(a, doc_id: str, spans: dict, latest: str) -> str | None:
    if a.doc_id != doc_id:
        return f"it is of document {a.doc_id!r}, not of this one"
    span = spans.get(a.span_id) if _is_text(a.span_id, False) else None
    if span is None:
        return f"its span {a.span_id!r:.60} is not a span of this document"
    if not _is_text(a.name, False) or _SURROGATE.search(a.name):
        return "it has no name"
    if a.annotator != span.annotator:
        return f"it is {a.annotator!r}'s but its span is {span.annotator!r}'s"
    value = a.value
    if type(value) not in (str, int, float, bool) or (type(value) is float and not math.isfinite(value)) or (
            type(value) is str and _SURROGATE.search(value)):
        return f"its value must be text, a number or true/false, got {value!r:.40}"
    if type(a.proposed) is not bool:
        return "'proposed' must be true or false"
    if is_our_time(a.updated, latest) and (a.deleted is None or a.deleted == a.updated):
        return None
    return time_problem("updated", a.updated, latest) or time_problem("deleted", a.deleted, latest, optional=True)
