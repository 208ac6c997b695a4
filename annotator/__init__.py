"""annotator: read articles, highlight spans, tag them, and curate a labelled corpus as a team."""

__version__ = "0.1.0"
