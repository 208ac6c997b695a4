"""Label Studio's relations and per-region values, read and written, and the labeling config that declares them.

A relation is a result ``{"from_id", "to_id", "type": "relation", "direction": "right", "labels": [TYPE]}`` between
two regions of one annotation (``direction`` "left" points from ``to_id`` to ``from_id``; "bi" is read as from ->
to; a relation without labels gets the type RELATED, one with several labels is one relation per label).

A span attribute is a per-region result: a control with ``perRegion="true"`` named after the attribute, whose result
carries the region's ``id`` and the value: ``choices`` for a choice and for a flag (``["true"]`` / ``["false"]``),
``number`` for a number, ``textarea`` (``value.text: [TEXT]``) for a text or an entity id. The labeling config we
write (``annotator labels --labelstudio-config``) declares each such control with ``whenLabelValue`` = the labels
that have the attribute, so Label Studio shows it on those regions only. A choices, number or text-area result
that is not about a region (a document class, a free-text answer) is counted as not imported, as before.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from ..core.errors import InputError
from ..core.model import DocumentRecord
from .links import UNTYPED, Links, count_proposed, live, typed, written

LINKS = frozenset(("relation", "choices", "number", "textarea", "rating"))
_VALUE_KEY = {"choices": "choices", "number": "number", "textarea": "text", "rating": "rating"}
_HINT = {"choices": "choice", "number": "number", "textarea": "text", "rating": "number"}  # for a new attribute
_NOT_IMPORTED = {"relation": "relations", "choices": "choices (document classes)",
                 "textarea": "text areas (free-text answers)"}


def _count(counts: dict, result: dict) -> None:
    what = result.get("type")
    if type(what) is not str or not what:  # a list or an object as a type is only counted, never looked up
        what = "other"
    what = f"Label Studio {_NOT_IMPORTED.get(what, f'{what} results')}"
    counts[what] = counts.get(what, 0) + 1


def join_links(record: DocumentRecord, results: list, links: list, counts: dict, types: dict) -> None:
    """Relations and per-region values (``links``: (annotation, k, result)) on the record's spans. ``results`` are
    the region results as (annotation, result) in the order their spans were made (one span per label of each)."""
    regions: dict[tuple[int, object], int] = {}  # (annotation, region id) -> the index of its first span
    k = 0
    for annotation, result in results:
        rid = result.get("id")
        if type(rid) in (str, int):
            regions.setdefault((id(annotation), rid), k)
        value = result["value"]
        k += len(value.get("labels") or value.get("hypertextlabels") or ())
    spans = record.spans
    out = Links(record, types, counts, "Label Studio per-region values")
    for annotation, k, result in links:
        what = f"result {k}"
        if result["type"] == "relation":
            ends = []
            for key in ("from_id", "to_id"):
                ref = result.get(key)
                at = regions.get((id(annotation), ref)) if type(ref) in (str, int) else None
                if at is None:
                    raise InputError(f"{what}: the relation's {key} {json.dumps(ref)[:40]} is not a region of its "
                                     "annotation")
                ends.append(spans[at])
            if result.get("direction") == "left":
                ends.reverse()
            labels = result.get("labels")
            if labels is None or labels == []:
                labels = [UNTYPED]
            if type(labels) is not list:
                raise InputError(f"{what}: the relation's 'labels' must be a list of relation types")
            for label in labels:
                out.relation(ends[0], ends[1], label, f"{what}: the relation")
            continue
        rid = result.get("id")
        at = regions.get((id(annotation), rid)) if type(rid) in (str, int) else None
        if at is None:  # about the whole document, not a region
            _count(counts, result)
            continue
        span = spans[at]
        name = result.get("from_name")
        value = _value(result, what)
        kind = types.get((span.label, name)) if type(name) is str else None
        if type(value) is str:
            value = typed(value, kind, f"{what}: {name}")
        out.attribute(span, name, value, what, _HINT.get(result["type"]))


def _value(result: dict, what: str):
    key = _VALUE_KEY[result["type"]]
    if not isinstance(result.get("value"), dict):
        raise InputError(f"{what}: 'value' must be an object")
    value = result["value"].get(key)
    if result["type"] in ("choices", "textarea"):
        if type(value) is not list or len(value) != 1:
            raise InputError(f"{what}: a per-region {result['type']} result holds one value in value.{key}, got "
                             f"{json.dumps(value, ensure_ascii=False)[:40]}")
        value = value[0]
    return value


# -- writing ----------------------------------------------------------------------------------------------------

def _control(kind: str | None, value) -> str:
    if kind == "number" or (kind is None and type(value) in (int, float)):
        return "number"
    if kind in ("bool", "choice") or (kind is None and type(value) is bool):
        return "choices"
    return "textarea"


def link_results(record: DocumentRecord, ids: dict[str, str], types: dict, report) -> dict[str, list[dict]]:
    """Per reviewer, the results of the record's relations and attributes (``ids``: span id -> its region id)."""
    relations, attributes = live(record, set(ids), report)
    count_proposed(attributes, report)
    spans = {s.id: s for s in record.spans}
    out: dict[str, list[dict]] = {}
    for r in relations:
        out.setdefault(r.annotator, []).append(
            {"from_id": ids[r.head], "to_id": ids[r.child], "type": "relation", "direction": "right",
             "labels": [r.type]})
    for a in attributes:
        span = spans[a.span_id]
        control = _control(types.get((span.label, a.name)), a.value)
        value = {"start": span.start, "end": span.end}
        if control == "textarea":
            value["text"] = [written(a.value)]
        else:
            value["text"] = span.text
            value[_VALUE_KEY[control]] = [written(a.value)] if control == "choices" else a.value
        out.setdefault(span.annotator, []).append(
            {"id": ids[a.span_id], "from_name": a.name, "to_name": "text", "type": control, "origin": "manual",
             "value": value})
    return out


def labeling_config(labels, relation_types, attribute_defs) -> str:
    """A Label Studio labeling config for our export: the labels, the relation types, and one per-region control
    per attribute shown on the labels that have it."""
    q = quoteattr
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={q(l.name)} background={q(l.color)}/>" for l in labels]
    lines.append("  </Labels>")
    lines.append('  <Text name="text" value="$text"/>')
    if relation_types:
        lines.append('  <Relations choice="multiple">')
        lines += [f"    <Relation value={q(t.name)}/>" for t in relation_types]
        lines.append("  </Relations>")
    by_name: dict[str, list] = {}
    for d in attribute_defs:
        by_name.setdefault(d.name, []).append(d)
    for name, defs in by_name.items():
        when = q(",".join(d.label for d in defs))
        d = defs[0]
        control = _control(d.type, None)
        head = f'name={q(name)} toName="text" perRegion="true" whenLabelValue={when}'
        if control == "number":
            lines.append(f"  <Number {head}/>")
        elif control == "choices":
            choices = d.choices if d.type == "choice" else ("true", "false")
            lines.append(f'  <Choices {head} choice="single">')
            lines += [f"    <Choice value={q(c)}/>" for c in choices]
            lines.append("  </Choices>")
        else:
            lines.append(f'  <TextArea {head} maxSubmissions="1" editable="true" displayMode="region-list"/>')
    lines.append("</View>")
    return "\n".join(lines) + "\n"
