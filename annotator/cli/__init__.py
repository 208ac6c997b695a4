"""The command line: one click group; each command lives in the module named after what it handles."""
from __future__ import annotations

import os

import click

DEFAULT_DB = "annotator.db"


# Only these commands make a corpus, so only they may create a database; the others say there is none.
CREATING_COMMANDS = {"import", "merge", "gui"}


class Context:
    def __init__(self, db_path: str):
        self.db_path = db_path
        self.may_create = False
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from ..store import Store
            from ..store.problems import is_writable

            exists = os.path.exists(self.db_path)
            if not exists and not self.may_create:
                fail(f"no database at {self.db_path} (a mistyped --db?); 'annotator --db {self.db_path} import "
                     "FILES' makes one")
            if exists and os.path.isdir(self.db_path):
                fail(f"{self.db_path} is a folder, not a database file")
            self._store = Store(self.db_path, readonly=exists and not is_writable(self.db_path))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class Group(click.Group):
    """Errors a user can act on (a bad file, a busy or read-only database) end as one line, not a traceback."""

    def invoke(self, ctx):
        from ..core.errors import AnnotatorError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            from ..store.problems import explain

            message = explain(exc, getattr(ctx.obj, "db_path", None))
            if message is None and isinstance(exc, AnnotatorError):
                message = str(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="ANNOTATOR_DB",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite database to use (also ANNOTATOR_DB). Created by import, merge, gui, labels add and labels load; "
    "the other commands need it to exist.",
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
    if not db_path.strip():
        fail("--db is empty: give the path of the database file (for example --db corpus.db)")
    ctx.obj = Context(os.path.expanduser(db_path))
    ctx.obj.may_create = ctx.invoked_subcommand in CREATING_COMMANDS
    ctx.call_on_close(ctx.obj.close)


def fail(message: str) -> None:
    raise click.ClickException(message)


from . import commands  # noqa: E402,F401  (registers the commands on the group)
