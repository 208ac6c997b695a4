"""``gui``: open the review window on the database."""
from __future__ import annotations

import click

from . import main


@main.command("gui")
@click.option("--annotator", help="Who is reviewing (overrides the name kept in the settings).")
@click.pass_context
def gui(ctx, annotator):
    """Open the review window on the database.

    \b
    Example:
        annotator --db corpus.db gui --annotator alice
    """
    try:
        from ..ui.app import run
    except ModuleNotFoundError as exc:
        if exc.name != "annotator.ui.app":
            raise
        click.echo("The review window is not part of this build yet; here is what the database holds:")
        ctx.invoke(main.commands["stats"])
        return
    raise SystemExit(run(ctx.obj.db_path, annotator=annotator))
