"""The corpus source: every text reviewers tagged, found again elsewhere, with the label most often given to it.

The finding is the consistency review's (core/surfaces.py: case-sensitive, on word boundaries, longest first), so
what the consistency review calls "tagged here, untagged there" is exactly what this source suggests. A text
tagged with different labels suggests the majority and says so in the reason.

Score: the majority label's places over all tagged places plus one, so a text tagged once scores 0.5, tagged
the same way 9 times 0.9, and a text split 3 to 1 between two labels 0.6.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from ..core.model import Suggestion
from ..core.surfaces import SurfaceFinder
from ..store import Store
from ..store import suggestions as queries

NAME = "corpus"
MIN_LENGTH = 2      # as the consistency review: a one-character text is not worth suggesting
MAX_SEARCHED = 200  # longer texts (a whole COMMITMENT clause) are not searched for
RECOMPILE = 2000    # surfaces new since the last full compile, or gone from it, before compiling all again


def _times(n: int) -> str:
    return "1 time" if n == 1 else f"{n} times"


def _searched(text: str) -> bool:
    return len(text.strip()) >= MIN_LENGTH and len(text) <= MAX_SEARCHED and text == text.strip()


class CorpusSource:
    """Kept up to date document by document: a changed document's places are read again and only the counts of
    the texts it holds (or held) change; the finder is compiled again only for texts new to the corpus (a small
    second finder), all of it once many texts came or went."""

    name = NAME

    def __init__(self, store: Store):
        self.store = store
        self.rebuild()

    def rebuild(self) -> None:
        """Read every tagged text again and compile the finder (at the start, and when much changed)."""
        # the fingerprints first: a commit between the two reads is then read again by the next refresh
        self.fingerprints = queries.tagged_fingerprints(self.store)
        per_doc: dict[str, Counter] = {}
        for text, label, doc_id, _, _ in queries.tagged_surfaces(self.store):
            if _searched(text):
                per_doc.setdefault(doc_id, Counter())[(text, label)] += 1
        self.per_doc = per_doc
        self.places: dict[str, Counter] = {}   # text -> {label: places}
        self.documents: Counter = Counter()    # text -> documents it is tagged in
        for counts in per_doc.values():
            self._add(counts, +1)
        self.verdicts: dict[str, tuple[str, float, str]] = {}
        for text in self.places:
            self._judge(text)
        self.finder = SurfaceFinder(self.verdicts)
        self.compiled = set(self.verdicts)     # the texts self.finder finds (some may be gone since)
        self.added: set[str] = set()           # texts new since, found by self.added_finder
        self.added_finder = SurfaceFinder(())

    def _add(self, counts: Counter, sign: int) -> None:
        for (text, label), n in counts.items():
            by_label = self.places.setdefault(text, Counter())
            by_label[label] += sign * n
            if by_label[label] <= 0:
                del by_label[label]
        for text in {text for text, _ in counts}:
            self.documents[text] += sign
            if self.documents[text] <= 0:
                del self.documents[text]
                self.places.pop(text, None)

    def _judge(self, text: str) -> None:
        counts = self.places.get(text)
        if not counts:
            self.verdicts.pop(text, None)
            return
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        label, n = ranked[0]
        docs = self.documents[text]
        reason = f"tagged {label} {_times(n)} in {docs} document{'s' if docs != 1 else ''}"
        if len(ranked) > 1:
            reason += "; also " + ", ".join(f"{other} {_times(k)}" for other, k in ranked[1:])
        self.verdicts[text] = (label, round(n / (sum(counts.values()) + 1), 3), reason)

    def refresh(self, documents: Iterable[str] | None = None) -> None:
        """After spans changed: in ``documents`` if known (this process's change notices), else wherever the
        span tables' fingerprints say (another connection's commits)."""
        if documents is None:
            now = queries.tagged_fingerprints(self.store)
            documents = {d for d in now.keys() | self.fingerprints.keys() if now.get(d) != self.fingerprints.get(d)}
            self.fingerprints = now
        # (after this process's own commits the fingerprints lag: a later scan reads those documents once more
        # and finds nothing changed)
        touched: set[str] = set()
        for doc_id in documents:
            new = Counter()
            for text, label, _, _ in queries.tagged_surfaces_of(self.store, doc_id):
                if _searched(text):
                    new[(text, label)] += 1
            old = self.per_doc.get(doc_id, Counter())
            if new == old:
                continue
            self._add(old, -1)
            self._add(new, +1)
            touched.update(text for text, _ in old)
            touched.update(text for text, _ in new)
            if new:
                self.per_doc[doc_id] = new
            else:
                self.per_doc.pop(doc_id, None)
        for text in touched:
            self._judge(text)
        fresh = {t for t in touched if t in self.verdicts and t not in self.compiled and t not in self.added}
        if fresh:
            self.added |= fresh
            gone = len(self.compiled - self.verdicts.keys())
            if len(self.added) + gone > RECOMPILE:
                self.finder = SurfaceFinder(self.verdicts)
                self.compiled, self.added = set(self.verdicts), set()
                self.added_finder = SurfaceFinder(())
            else:
                self.added_finder = SurfaceFinder(self.added)

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        out = []
        verdicts = self.verdicts
        for finder in (self.finder, self.added_finder):
            for surface, start, end in finder.find(text):
                verdict = verdicts.get(surface)
                if verdict is not None:  # a text no longer tagged anywhere stays in the finder until recompiled
                    label, score, reason = verdict
                    out.append(Suggestion(doc_id, start, end, label, surface, NAME, score, reason))
        return out
