"""Suggestions written as pre-annotations for another tool, a document at a time (flat memory):

- ``labelstudio``: a task list whose tasks carry the suggestions as ``predictions``, one prediction per source
  (its ``model_version``), each region with its ``score`` and the reason in ``meta.text``; Label Studio shows them
  as pre-annotations a reviewer accepts or corrects.
- ``jsonl``: Prodigy-style, one task a line ``{"text", "meta": {"id", "title"}, "spans": [{"start", "end",
  "label", "text", "source", "score", "reason"}]}``, what ``ner.manual`` and friends read as pre-set spans.

Only suggestions are written, never the reviewers' spans: this is not an export of the corpus.
"""
from __future__ import annotations

import json
from typing import IO, Iterable

from ..core.model import Suggestion

FORMATS = ("jsonl", "labelstudio")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(items: Iterable[tuple[str, str, str, list[Suggestion]]], out: IO[str], fmt: str) -> tuple[int, int]:
    """Write (doc_id, title, text, suggestions) items; returns (documents, suggestions) written."""
    docs = n = 0
    if fmt == "labelstudio":
        out.write("[\n")
    for doc_id, title, text, found in items:
        if fmt == "labelstudio":
            by_source: dict[str, list] = {}
            for i, s in enumerate(found):
                by_source.setdefault(s.source, []).append({
                    "id": f"s{i}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction",
                    "score": s.score, "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]},
                    "meta": {"text": [s.reason]}})
            predictions = [{"model_version": source, "score": round(sum(r["score"] for r in results) / len(results), 3),
                            "result": results} for source, results in sorted(by_source.items())]
            task = {"id": docs + 1, "data": {"text": text, "title": title, "doc_id": doc_id}, "predictions": predictions}
            out.write(("," if docs else "") + _dumps(task) + "\n")
        else:
            out.write(_dumps({"text": text, "meta": {"id": doc_id, "title": title}, "spans": [
                {"start": s.start, "end": s.end, "label": s.label, "text": s.text, "source": s.source,
                 "score": s.score, "reason": s.reason} for s in found]}) + "\n")
        docs += 1
        n += len(found)
    if fmt == "labelstudio":
        out.write("]\n")
    return docs, n
