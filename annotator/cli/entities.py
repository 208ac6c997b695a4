"""``entities``: the registry of organisations that ORGANISATION spans link to; ``normalise``: proposals."""
from __future__ import annotations

import json

import click

from ..core.errors import AnnotatorError
from . import main


def _guard(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc))


def _entity_dict(store, e) -> dict:
    return {"id": e.id, "name": e.name, "kind": e.kind, "country": e.country, "aliases": list(e.aliases),
            "links": store.entity_links(e.id), "merged_into": e.merged_into}


@main.group("entities", invoke_without_command=True)
@click.option("--kind", help="Only entities of this kind (organisation, ministry, un-body, process ...).")
@click.option("--all", "show_all", is_flag=True, help="Show entities merged into others too.")
@click.option("--json", "as_json", is_flag=True, help="Print the entities as JSON.")
@click.pass_context
def entities(ctx, kind, show_all, as_json):
    """List the organisations ORGANISATION spans link to, or change them with a subcommand.

    A new database starts with the registry in resources/organisations.json; ministries are added when a span
    first names one (VN-MFA: Vietnam's Ministry of Foreign Affairs).

    \b
    Example:
        annotator entities
        annotator entities show IOM
        annotator entities alias IOM "UN Migration Agency"
    """
    if ctx.invoked_subcommand:
        return
    store = ctx.obj.store
    rows = [e for e in store.entities(include_merged=show_all) if kind is None or e.kind == kind]
    if as_json:
        click.echo(json.dumps([_entity_dict(store, e) for e in rows], indent=2, ensure_ascii=False))
        return
    for e in rows:
        merged = f"  (merged into {e.merged_into})" if e.merged_into else ""
        click.echo(f"{e.id:<26} {e.name}  [{e.kind}{', ' + e.country if e.country else ''}]  "
                   f"{store.entity_links(e.id)} link(s){merged}")
    if not rows:
        click.echo("no entities" + (f" of kind {kind!r}" if kind else ""))


@entities.command("show")
@click.argument("entity_id")
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
@click.pass_obj
def show(obj, entity_id, as_json):
    """Show an entity: its name, kind, country, aliases and the span texts linked to it.

    \b
    Example:
        annotator entities show UNODC
    """
    from ..store.normalise import linked_texts

    store = obj.store
    e = _guard(store.entity, entity_id)
    texts = linked_texts(store, e.id)
    if as_json:
        click.echo(json.dumps({**_entity_dict(store, e), "texts": [
            {"text": t, "links": n, "proposed": p} for t, n, p in texts]}, indent=2, ensure_ascii=False))
        return
    if e.id != entity_id:
        click.echo(f"{entity_id} was merged into {e.id}")
    click.echo(f"{e.id}: {e.name}")
    click.echo(f"  kind: {e.kind}" + (f", country: {e.country}" if e.country else ""))
    click.echo("  aliases: " + (", ".join(e.aliases) if e.aliases else "none"))
    links = sum(n for _, n, _ in texts)
    click.echo(f"  {links} span(s) linked" + (":" if texts else ""))
    for text, n, proposed in texts[:20]:
        click.echo(f"    {n:>5}  {text}" + (f"  ({proposed} proposed, not yet confirmed)" if proposed else ""))


@entities.command("add")
@click.argument("entity_id")
@click.argument("name")
@click.option("--kind", default="organisation", show_default=True, help="What it is (organisation, ministry, ...).")
@click.option("--country", default="", help="ISO code of its country, for a national body (VN, PK ...).")
@click.option("--alias", "aliases", multiple=True, help="Another name or an acronym it goes by; repeatable.")
@click.pass_obj
def add(obj, entity_id, name, kind, country, aliases):
    """Add an organisation to the registry, with its aliases.

    An alias in capitals (IOM) is matched as written; any other whatever its case.

    \b
    Example:
        annotator entities add PK-FO "Ministry of Foreign Affairs (Pakistan)" --kind ministry --country PK --alias "Foreign Office"
    """
    e = _guard(obj.store.add_entity, entity_id, name, kind=kind, aliases=aliases, country=country)
    click.echo(f"added {e.id}: {e.name}" + (f" (aliases: {', '.join(e.aliases)})" if e.aliases else ""))


@entities.command("alias")
@click.argument("entity_id")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove these aliases instead.")
@click.pass_obj
def alias(obj, entity_id, aliases, remove):
    """Give an entity more names (or take some away): spans with them are then proposed its link.

    \b
    Example:
        annotator entities alias IOM "UN Migration Agency" OIM
        annotator entities alias IOM OIM --remove
    """
    _change_aliases(obj.store, entity_id, aliases, remove)


def _change_aliases(store, entity_id, aliases, remove: bool) -> None:
    e = _guard(store.entity, entity_id)
    with store.transaction():  # all of them, or none (an alias it does not have refuses the rest)
        for a in aliases:
            e = _guard(store.remove_alias if remove else store.add_alias, e.id, a)
    click.echo(f"{e.id}: aliases now {', '.join(e.aliases) or 'none'}")


@entities.command("unalias")
@click.argument("entity_id")
@click.argument("aliases", nargs=-1, required=True)
@click.pass_obj
def unalias(obj, entity_id, aliases):
    """Take names away from an entity (as 'alias --remove'): spans with them are no longer proposed its link. The
    removal is kept with its time, so a merge with a teammate who still has the alias takes it away there too
    (unless they gave it again later).

    \b
    Example:
        annotator entities unalias IOM OIM
    """
    _change_aliases(obj.store, entity_id, aliases, True)


@entities.command("rename")
@click.argument("entity_id")
@click.argument("name")
@click.pass_obj
def rename(obj, entity_id, name):
    """Give an entity another name (its id, which links and exports use, stays).

    \b
    Example:
        annotator entities rename EU "European Union (EU)"
    """
    e = _guard(obj.store.rename_entity, entity_id, name)
    click.echo(f"{e.id} is now named {e.name}")


@entities.command("merge")
@click.argument("keep")
@click.argument("gone")
@click.pass_obj
def merge(obj, keep, gone):
    """Merge GONE into KEEP: its name and aliases become KEEP's and every span linked to it is linked to KEEP.

    GONE's id still leads to KEEP (a teammate's link to it resolves).

    \b
    Example:
        annotator entities merge IOM IOM-2
    """
    kept, moved = _guard(obj.store.merge_entities, keep, gone)
    click.echo(f"merged {gone} into {kept.id}: {moved} link(s) moved; aliases now {', '.join(kept.aliases)}")


@main.command("normalise")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document (its id); repeatable.")
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator's spans; repeatable.")
@click.option("--only", type=click.Choice(["entities", "figures", "kinds"]),
              help="Only entity links, only figures, or only commitment kinds.")
@click.option("--dry-run", is_flag=True, help="Write nothing: list what would be proposed.")
@click.option("--list", "show", is_flag=True, help="List each value proposed.")
@click.pass_obj
def normalise(obj, doc_ids, annotators, only, dry_run, show):
    """Propose entity links for ORGANISATION spans, value, unit and approximate for FIGURE spans, and the kind of
    COMMITMENT spans (pledge, call, agreement, plan, action, from their wording).

    A proposal is marked as proposed until a reviewer confirms it. A value a reviewer confirmed or cleared is
    never replaced. 'annotator import' proposes for the spans it brings in; run this after growing the registry
    ('annotator entities add' or 'alias') or for spans made before.

    \b
    Example:
        annotator normalise
        annotator normalise --only figures --dry-run
    """
    from ..store.normalise import propose

    store = obj.store
    for doc_id in doc_ids:
        _guard(store.document, doc_id)
    known = set(store.annotators()) if annotators else set()
    for who in annotators:
        if who not in known:
            raise click.ClickException(f"no spans by annotator {who!r}; annotators: {', '.join(sorted(known)) or 'none'}")
    report = _guard(propose, store, doc_ids=doc_ids or None, annotators=annotators or None,
                    what=[only] if only else ("entities", "figures", "kinds"), dry_run=dry_run)
    if show or dry_run:
        for p in report.proposed:
            click.echo(f"{p.doc_id[:12]}  {p.label} {p.text!r}: {p.name} = {json.dumps(p.value, ensure_ascii=False)}")
    for line in report.lines():
        click.echo(line)
