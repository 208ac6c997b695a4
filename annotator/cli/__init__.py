"""The command line: one click group; each command lives in the module named after what it handles."""
from __future__ import annotations

import os

import click

DEFAULT_DB = "annotator.db"


class Context:
    def __init__(self, db_path: str):
        self.db_path = db_path
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from ..store import Store

            self._store = Store(self.db_path)
        return self._store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="ANNOTATOR_DB",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite database to use (also ANNOTATOR_DB). Created if it does not exist.",
)
@click.version_option(package_name="annotator")
@click.pass_context
def main(ctx: click.Context, db_path: str) -> None:
    """Annotate news articles with labelled spans and curate the corpus as a team.

    \b
    Example:
        annotator --db corpus.db import documents/
        annotator --db corpus.db gui
    """
    ctx.obj = Context(os.path.expanduser(db_path))


def fail(message: str) -> None:
    raise click.ClickException(message)


from . import commands  # noqa: E402,F401  (registers the commands on the group)
