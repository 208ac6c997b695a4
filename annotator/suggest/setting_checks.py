"""The suggestion settings a user can change, checked before they are stored (store/suggestions.py keeps them)."""
from __future__ import annotations

from ..core.errors import InputError
from ..store import Store
from ..store import suggestions as queries
from .engine import parse_sources


def _pipeline_exists(name: str) -> bool:
    """An installed pipeline package, or a folder holding a saved pipeline (its config.cfg)."""
    from pathlib import Path

    if (Path(name) / "config.cfg").is_file():
        return True
    import spacy.util

    return spacy.util.is_package(name)


def check(store: Store, name: str, value):
    """The value to store for ``name``, or InputError saying what is wrong with it."""
    if name not in queries.DEFAULT_SETTINGS:
        raise InputError(f"unknown suggestion setting {name!r}; known: {', '.join(queries.DEFAULT_SETTINGS)}")
    if name == "sources":
        return list(parse_sources(value if isinstance(value, (str, list)) else ""))
    if name == "spacy_pipeline":
        if not isinstance(value, str):
            raise InputError("spacy_pipeline is the name of an installed spaCy pipeline or a folder (a string)")
        value = value.strip()
        if value and not _pipeline_exists(value):
            raise InputError(f"spacy_pipeline: no installed spaCy pipeline or pipeline folder {value!r} (pip install "
                             "it first, or give the folder of a saved one; an empty value switches it off)")
        return value
    if name == "spacy_labels":
        known = {label.name for label in store.labels()}
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise InputError('spacy_labels maps spaCy labels to ours: {"ORG": "ORGANISATION", "MONEY": "FIGURE"}')
        unknown = sorted(v for v in value.values() if v not in known)
        if unknown:
            raise InputError(f"spacy_labels maps to unknown label(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return value
    if name in ("min_score", "shown_min_score"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise InputError(f"{name} is a number from 0 to 1")
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:  # retrain_after
        raise InputError("retrain_after is a whole number of documents (0: never retrain by itself)")
    return value


def check_all(store: Store, values: dict) -> dict:
    """Several settings checked together (the window's settings dialog): the values to store, or InputError for
    the first that is wrong, before anything is stored."""
    return {name: check(store, name, value) for name, value in values.items()}


def store_all(store: Store, values: dict) -> dict:
    """Check every value, then store them all in one transaction (all or nothing); the values stored."""
    checked = check_all(store, values)
    with store.transaction():
        for name, value in checked.items():
            queries.set_setting(store, name, value)
    return checked
