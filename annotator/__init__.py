"""annotator: read articles, highlight spans, tag them, and curate a labelled corpus as a team."""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    # single-sourced: the version in pyproject.toml, as the installed package's metadata holds it
    __version__ = _version("annotator")
except PackageNotFoundError:  # imported from a checkout that was never installed (pip install -e . fixes it)
    __version__ = "0+unknown"
