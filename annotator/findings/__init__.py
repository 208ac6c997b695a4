"""What the corpus says: who committed to what, with whom, with which figures, over time, and how much of the
corpus that rests on (coverage). ``tables.compute`` makes the tables in one streaming pass; ``files`` writes
them as CSV or JSONL, ``report`` as one self-contained HTML page with charts."""
from .model import Filters
from .tables import Cancelled, Findings, compute

__all__ = ["Filters", "Findings", "Cancelled", "compute"]
