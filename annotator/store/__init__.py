"""The only code that speaks SQL."""
from .store import Change, Store

__all__ = ["Store", "Change"]
