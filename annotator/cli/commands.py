"""Which modules add commands to the group. Each module registers its own commands with ``@main.command``."""
from importlib import import_module

for _name in ("documents", "labels", "curation", "gui"):
    try:
        import_module(f"{__package__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet must not break the others
        if exc.name != f"{__package__}.{_name}":
            raise
