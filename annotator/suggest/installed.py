"""The "spacy:NAME" source: any spaCy pipeline the user installed (``en_core_web_sm``) or saved to a folder,
its entity labels mapped to ours (``ORG`` -> ORGANISATION; ``MONEY``, ``CARDINAL``, ``QUANTITY``, ``PERCENT`` ->
FIGURE, in the settings); labels with no mapping are not suggested.

spaCy's ``ner`` gives no score per entity, so its entities score ENTITY_SCORE; a pipeline with a ``spancat``
gives its own scores."""
from __future__ import annotations

from ..core.errors import InputError
from ..core.model import Suggestion
from .pipeline import span_score

ENTITY_SCORE = 0.7


def load(name: str):
    import spacy

    from .clauses import register

    register()  # a model 'annotator train' saved names our span suggester
    try:
        return spacy.load(name)
    except OSError:
        raise InputError(f"no spaCy pipeline {name!r}: give the name of an installed one (pip install it first) "
                         "or the folder of a saved one") from None
    except Exception as exc:
        raise InputError(f"spaCy pipeline {name!r} could not be loaded: {exc}") from None


class InstalledSource:
    def __init__(self, name: str, mapping: dict[str, str]):
        self.name = f"spacy:{name}"
        self.pipeline = name
        self.nlp = load(name)
        self.mapping = dict(mapping)

    def refresh(self, documents=None) -> None:
        pass

    def suggest(self, doc_id: str, text: str) -> list[Suggestion]:
        return self._from_doc(doc_id, self.nlp(text))

    def suggest_many(self, items: list[tuple[str, str]]):
        for (doc_id, _), doc in zip(items, self.nlp.pipe([t for _, t in items], batch_size=32)):
            yield self._from_doc(doc_id, doc)

    def _from_doc(self, doc_id: str, doc) -> list[Suggestion]:
        out = []
        for ent in doc.ents:
            label = self.mapping.get(ent.label_)
            if label:
                out.append(Suggestion(doc_id, ent.start_char, ent.end_char, label, ent.text, self.name,
                                      ENTITY_SCORE, f"{self.pipeline} says {ent.label_}"))
        for group in doc.spans.values():
            scores = group.attrs.get("scores")
            for i, s in enumerate(group):
                label = self.mapping.get(s.label_)
                if label:
                    score = round(span_score(scores, i), 3) if scores is not None else ENTITY_SCORE
                    out.append(Suggestion(doc_id, s.start_char, s.end_char, label, s.text, self.name, score,
                                          f"{self.pipeline} says {s.label_}"))
        return out
