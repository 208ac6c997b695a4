"""The modules that add commands to the group; each registers its own commands with ``@main.command``."""
from . import curation, desktop, documents, entities, gui, labels, sync  # noqa: F401
