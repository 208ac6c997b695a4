"""The corpus source: every text reviewers tagged, found again elsewhere, with the label most often given to it.

The finding is the consistency review's (core/surfaces.py: case-sensitive, on word boundaries, longest first), so
what the consistency review calls "tagged here, untagged there" is exactly what this source suggests. A text
tagged with different labels suggests the majority and says so in the reason.

Score: the majority label's places over all tagged places plus one, so a text tagged once scores 0.5, tagged
the same way 9 times 0.9, and a text split 3 to 1 between two labels 0.6.
"""
from __future__ import annotations

from collections import Counter

from ..core.model import Suggestion
from ..core.surfaces import SurfaceFinder
from ..store import Store
from ..store import suggestions as queries

NAME = "corpus"
MIN_LENGTH = 2      # as the consistency review: a one-character text is not worth suggesting
MAX_SEARCHED = 200  # longer texts (a whole COMMITMENT clause) are not searched for


def _times(n: int) -> str:
    return "1 time" if n == 1 else f"{n} times"


class CorpusSource:
    name = NAME

    def __init__(self, store: Store):
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        """Read the tagged texts again (after spans changed)."""
        places: dict[str, dict[str, set]] = {}
        documents: dict[str, set] = {}
        for text, label, doc_id, start, end in queries.tagged_surfaces(self.store):
            if len(text.strip()) < MIN_LENGTH or len(text) > MAX_SEARCHED or text != text.strip():
                continue
            places.setdefault(text, {}).setdefault(label, set()).add((doc_id, start, end))
            documents.setdefault(text, set()).add(doc_id)
        self.verdicts: dict[str, tuple[str, float, str]] = {}
        for text, by_label in places.items():
            counts = Counter({label: len(p) for label, p in by_label.items()})
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            label, n = ranked[0]
            total = sum(counts.values())
            docs = len(documents[text])
            reason = f"tagged {label} {_times(n)} in {docs} document{'s' if docs != 1 else ''}"
            if len(ranked) > 1:
                reason += "; also " + ", ".join(f"{other} {_times(k)}" for other, k in ranked[1:])
            self.verdicts[text] = (label, round(n / (total + 1), 3), reason)
        self.finder = SurfaceFinder(self.verdicts)

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        out = []
        for surface, start, end in self.finder.find(text):
            label, score, reason = self.verdicts[surface]
            out.append(Suggestion(doc_id, start, end, label, surface, NAME, score, reason))
        return out
