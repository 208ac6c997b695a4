"""Random reviewers' histories, shared by the merge property test (tests/store/test_merge.py) and the sync
convergence test (tests/sync/test_convergence.py): one drawn edit of spans or of a review, and the coarse clock."""
from __future__ import annotations

LABELS = ["ORGANISATION", "FIGURE", "COMMITMENT"]
SPAN_EDITS = ("add", "relabel", "resize", "delete", "restore", "review")


class Clock:
    """A coarse clock that sometimes stands still and sometimes goes back: ties and late edits happen."""

    def __init__(self, ticks):
        self.ticks = list(ticks)
        self.i = 0

    def __call__(self) -> str:
        t = self.ticks[self.i % len(self.ticks)]
        self.i += 1
        return f"2026-01-01T00:00:{t:02d}.000000+00:00"


def edit_spans(s, d: str, name: str, op: str, x: int, y: int) -> None:
    """Reviewer ``name`` makes the drawn edit ``op`` (one of SPAN_EDITS) in document ``d``: adds a span, sets the
    review, or relabels, resizes, deletes or restores a span, anyone's (a reviewer may edit a teammate's span)."""
    n = len(s.document_text(d))
    if op == "add":
        start = x % (n - 1)
        s.add_span(d, start, start + 1 + y % min(12, n - start - 1), LABELS[y % 3], name)
        return
    if op == "review":
        s.set_review(d, name, status=["todo", "done", "skipped"][x % 3], note=f"n{y % 3}")
        return
    spans = s.spans(d, include_deleted=True)
    if not spans:
        return
    span = spans[x % len(spans)]
    if op == "restore":
        if span.deleted:
            s.restore_span(span.id)
    elif span.deleted:
        return
    elif op == "relabel":
        s.relabel_span(span.id, LABELS[y % 3])
    elif op == "resize":
        start = y % (n - 1)
        s.resize_span(span.id, start, start + 1 + x % min(12, n - start - 1))
    elif op == "delete":
        s.delete_span(span.id)
