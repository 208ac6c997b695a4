"""Suggestions computed ahead: the documents the reviewer will open next, and what was computed for them.

Which documents: the ones Ctrl+Return would open (the next to-do documents, in list order, wrapping around, as
``Store.next_document``) and the one Ctrl+PgDown would open (the next row of the document list as it is
filtered). Their suggestions are computed by the worker while nothing else is asked of it, so that opening one of
them shows its suggestions in the same event-loop turn.

What was computed is kept per document with the generation it was computed under. Every change that can alter
suggestions starts a new generation: spans, gold or the registry anywhere (the corpus and the patterns read them
all), a rejection, the settings, a new model, another process's commit. An entry of an older generation is
stale: shown at once (it is wrong at most by what was tagged elsewhere since) while the worker computes it
again. An entry is dropped outright when what changed is its own document (a span or a rejection there) or what
is suggested at all (the settings, another process's commit)."""
from __future__ import annotations

AHEAD = 3     # to-do documents computed ahead
KEEP = 32     # documents whose suggestions are kept (the ones left recently, for Ctrl+PgUp) ...
KEEP_SUGGESTIONS = 50_000  # ... and at most this many suggestions in all (a 1 MB article can have 25,000)


class AheadCache:
    def __init__(self):
        self.generation = 0
        self._entries: dict[str, tuple[int, list, int]] = {}

    def put(self, doc_id: str, generation: int, items: list, total: int | None = None) -> bool:
        """Keep an answer of the current generation (an older one is refused: something changed since);
        ``total``: how many were found, when ``items`` holds only the surest of them."""
        if generation != self.generation:
            return False
        self._entries.pop(doc_id, None)
        self._entries[doc_id] = (generation, list(items), len(items) if total is None else total)
        # the oldest go first, never the one just kept
        while len(self._entries) > 1 and (len(self._entries) > KEEP or sum(
                len(e[1]) for e in self._entries.values()) > KEEP_SUGGESTIONS):
            self._entries.pop(next(iter(self._entries)))
        return True

    def get(self, doc_id: str) -> tuple[list, bool] | None:
        """(items, fresh) for a document computed before, or None."""
        entry = self._entries.get(doc_id)
        return None if entry is None else (entry[1], entry[0] == self.generation)

    def total(self, doc_id: str) -> int | None:
        """How many suggestions were found in a document computed before (more than it keeps, on a huge one)."""
        entry = self._entries.get(doc_id)
        return None if entry is None else entry[2]

    def fresh(self, doc_id: str) -> bool:
        entry = self._entries.get(doc_id)
        return entry is not None and entry[0] == self.generation

    def changed(self, doc_id: str | None = None, *, drop_all: bool = False) -> None:
        """Something that alters suggestions changed: every entry is stale; ``doc_id``'s (or all) dropped."""
        self.generation += 1
        if drop_all:
            self._entries.clear()
        elif doc_id is not None:
            self._entries.pop(doc_id, None)


def upcoming(store, document_pane, doc_id: str, annotator: str, n: int = AHEAD) -> list[str]:
    """The documents the reviewer is likely to open after ``doc_id``: the next to-do one (Ctrl+Return), the next
    row of the list (Ctrl+PgDown), then the to-do ones after, without repeats or ``doc_id`` itself."""
    todo: list[str] = []
    at = doc_id
    for _ in range(n):
        at = store.next_document(at, annotator=annotator, status="todo")
        if at is None or at == doc_id or at in todo:
            break
        todo.append(at)
    out = todo[:1]
    model = document_pane.model
    row = model.row_of(doc_id)
    if 0 <= row < model.rowCount() - 1:
        below = model.row_data(row + 1)
        if below is not None:
            out.append(below.id)
    out += todo[1:]
    return [d for d in dict.fromkeys(out) if d != doc_id]
