"""What annotator loads at run time that is not code, installed as the package ``annotator.resources``.

This folder stays at the top of the checkout; pyproject.toml maps it into the package so a wheel carries it.
Code reads it only through ``annotator.core.resources`` (importlib.resources), never by a path.
"""
