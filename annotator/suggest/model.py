"""The "model" source: the latest pipeline trained on the reviewers' work (training.py), as suggestions: the
spancat's spans with its score, the ner's entities with the held-out precision of their label (an ner gives no
score of its own; ENTITY_SCORE while not measured). A newer model (trained here or in a background process) is
picked up on the next refresh."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from ..core.model import Suggestion
from ..store import Store
from ..store import suggestions as queries
from .pipeline import predicted

NAME = "model"
ENTITY_SCORE = 0.7


class ModelSource:
    name = NAME

    def __init__(self, store: Store, record: queries.ModelRecord):
        self.store = store
        self._load(record)

    @classmethod
    def latest(cls, store: Store) -> "ModelSource | None":
        """The source over the newest model, or None while none is trained (or its folder is gone)."""
        record = queries.latest_model(store)
        if record is None or not Path(record.path).is_dir():
            return None
        return cls(store, record)

    def _load(self, record: queries.ModelRecord) -> None:
        import spacy

        from .clauses import register

        register()  # the spancat's suggester is ours (clauses.py)
        try:
            nlp = spacy.load(record.path)
        except Exception as exc:  # a folder someone emptied or edited: say which, and what to do
            raise InputError(f"the suggestion model in {record.path} cannot be loaded ({type(exc).__name__}: "
                             f"{str(exc)[:200]}): train again with 'annotator train'") from None
        # a model of ours is small (width 64): a 10 MB article fits in memory where spaCy's default limit, made for
        # its large parsers, refuses anything past 1,000,000 characters
        nlp.max_length = 10 ** 7
        self.record = record
        self.nlp = nlp
        f1 = record.scores.get("ALL", {}).get("f")
        self.quality = f"held-out F1 {f1:.2f}" if f1 is not None else "not scored"
        self.entity_scores = {label: s["p"] for label, s in record.scores.items() if s.get("predicted")}

    def refresh(self, documents=None) -> None:
        newer = queries.latest_model(self.store)
        if newer is not None and newer.id != self.record.id and Path(newer.path).is_dir():
            try:
                self._load(newer)
            except InputError:
                pass  # keep suggesting with the model that works; the command line names the broken one

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        return self._from_doc(doc_id, self.nlp(text))

    def suggest_many(self, items: list[tuple[str, str]]):
        for (doc_id, _), doc in zip(items, self.nlp.pipe([t for _, t in items], batch_size=32)):
            yield self._from_doc(doc_id, doc)

    def _from_doc(self, doc_id: str, doc) -> list[Suggestion]:
        reason = f"model {self.record.id} ({self.quality})"
        text = doc.text
        return [Suggestion(doc_id, s, e, label, text[s:e], NAME,
                           round(score, 3) if score is not None else self.entity_scores.get(label, ENTITY_SCORE),
                           reason)
                for s, e, label, score in predicted(doc, threshold=0.0)]
