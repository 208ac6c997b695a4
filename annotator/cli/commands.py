"""The modules that add commands to the group; each registers its own commands with ``@main.command``."""
from . import curation, desktop, documents, entities, findings, gold, gui, labels, relations, suggest, sync  # noqa: F401
