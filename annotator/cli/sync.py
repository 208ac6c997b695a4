"""``sync``: team work without a server, through a shared folder or a git remote."""
from __future__ import annotations

import click

from ..core.errors import AnnotatorError
from . import main


@main.command("sync")
@click.argument("target")
@click.option("--annotator", default=None, help="Whose work this database holds [default: your user name].")
@click.pass_obj
def sync(obj, target, annotator):
    """Share your work with the team and bring in theirs, through a shared folder or a git remote.

    TARGET is a folder (a network drive, a synced cloud folder) or a git remote (any URL git accepts: GitHub,
    GitLab, a bare repository on a shared drive; your own git credentials and SSH keys are used). The shared
    place holds each text once (texts/, named by its hash) and one file per reviewer (reviewers/NAME.jsonl)
    that only that reviewer's sync writes. A sync merges the teammates' files into your database (with every
    check of 'annotator merge': a malformed file is refused, named, and the others still merge) and then writes
    your file. With git, it pulls, commits and pushes (retrying once if a teammate pushed first); the working
    copy is kept beside the database, in DATABASE.sync/. Offline, your database is left as it was.

    \b
    Example:
        annotator --db alice.db sync git@github.com:our-team/corpus.git
        annotator --db alice.db sync /mnt/team/corpus --annotator alice
    """
    from ..sync import sync as run_sync
    from .documents import default_annotator

    try:
        report = run_sync(lambda: obj.store, target, annotator or default_annotator(), db_path=obj.db_path)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc))
    for line in report.lines():
        click.echo(line)
    if report.failed:
        raise click.exceptions.Exit(1)
