"""Which spans of a document the findings read: one reviewer's, the gold layer's, or (the default) the gold layer
where the document has one and otherwise every reviewer's, the same span tagged by several reviewers taken once.

The same span is the same document, range and label. It becomes one row naming its reviewers ("alice; bob") and
their statuses; its attributes are the first reviewer's (by name) that has each; its relations are all of its
copies', pointed at the merged spans, so that a commitment bob related and alice did not still has its actor. The
organisations, figures and over-time tables then count it once.
"""
from __future__ import annotations

from collections import defaultdict

# a span row as the store hands it: (doc_id, span id, start, end, label, text, reviewer or curator)
ID, START, END, LABEL, WHO = 1, 2, 3, 4, 6


def merged(rows: list, statuses: dict[str, str]) -> tuple[list, dict[str, str], dict[str, str]]:
    """Several reviewers' span rows of one document (reading order) as one layer: each (start, end, label) once,
    its reviewer the names of all who tagged it. Returns the rows, the statuses with an entry for each set of names,
    and ``alias``: each copy's span id -> (the id the merged row keeps, which is its first reviewer's; the copy's
    place among them)."""
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r[START], r[END], r[LABEL]), []).append(r)
    out, alias, statuses = [], {}, dict(statuses)
    for copies in groups.values():
        if len(copies) == 1:
            out.append(copies[0])
            continue
        copies.sort(key=lambda r: r[WHO])
        names = list(dict.fromkeys(r[WHO] for r in copies))
        who = "; ".join(names)
        if who not in statuses:
            each = [statuses.get(n, "todo") for n in names]
            statuses[who] = each[0] if len(set(each)) == 1 else "; ".join(each)
        first = copies[0]
        out.append((*first[:WHO], who))
        for place, r in enumerate(copies):
            alias[r[ID]] = (first[ID], place)
    return out, statuses, alias


def attributes_of(rows, alias: dict[str, tuple[str, int]]) -> dict[str, dict]:
    """span id -> {name: value} from (doc_id, span id, name, value) rows; a merged span's copies pooled, each name's
    value the first reviewer's (by name) that gives one."""
    attrs: dict[str, dict] = defaultdict(dict)
    if alias:
        for _, span_id, name, value in sorted(rows, key=lambda r: alias.get(r[1], ("", 0))[1]):
            attrs[alias[span_id][0] if span_id in alias else span_id].setdefault(name, value)
    else:
        for _, span_id, name, value in rows:
            attrs[span_id][name] = value
    return attrs


def children_of(rows, alias: dict[str, tuple[str, int]]) -> dict[str, list[tuple[str, str]]]:
    """head span id -> [(relation type, child span id)] from (doc_id, head, child, type) rows, merged spans' copies
    pointing at the ids their rows keep."""
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if alias:
        def kept(span_id: str) -> str:
            return alias[span_id][0] if span_id in alias else span_id

        for _, head, child, rtype in rows:
            children[kept(head)].append((rtype, kept(child)))
    else:
        for _, head, child, rtype in rows:
            children[head].append((rtype, child))
    return children
