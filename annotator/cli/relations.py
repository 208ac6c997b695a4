"""``relations``: list, add, rename and retire the relation types (ACTOR, PARTNER, AMOUNT ... and those an import
brings), and print a Label Studio labeling config that declares them."""
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


def _ends(t) -> str:
    return f"{'any label' if t.head_label == '*' else t.head_label} -> " \
           f"{'any label' if t.child_label == '*' else t.child_label}"


@main.group("relations", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Show retired relation types too.")
@click.option("--json", "as_json", is_flag=True, help="Print the relation types as JSON.")
@click.option("--labelstudio-config", "ls_config", is_flag=True,
              help="Print a Label Studio labeling config with the labels, the relation types and one per-region "
                   "control per span attribute: the config of a project to import our Label Studio export into.")
@click.pass_context
def relations(ctx, show_all, as_json, ls_config):
    """List the relation types with how many relations use each, or change them with a subcommand.

    A relation type goes from the label of its head (the commitment) to the label of its child; "any label" is
    what an imported file's own relation types connect.

    \b
    Example:
        annotator relations
        annotator relations add FUNDS --head ORGANISATION --child COMMITMENT --hotkey f
        annotator relations edit FUNDS --hotkey u
        annotator relations --labelstudio-config > labeling-config.xml
    """
    if ctx.invoked_subcommand:
        return
    store = ctx.obj.store
    if ls_config:
        from ..formats.labelstudio_links import labeling_config

        click.echo(labeling_config(store.labels(), store.relation_types(), store.attribute_defs()), nl=False)
        return
    rows = store.relation_types(include_retired=show_all)
    if as_json:
        click.echo(json.dumps(
            [{"name": t.name, "head": t.head_label, "child": t.child_label, "hotkey": t.hotkey,
              "retired": t.retired, "relations": store.relation_usage(t.name), "guideline": t.guideline}
             for t in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no relation types; 'annotator relations add NAME --head LABEL --child LABEL' adds one")
    for t in rows:
        retired = "  (retired)" if t.retired else ""
        click.echo(f"{t.hotkey or '-':>2}  {t.name:<16} {_ends(t):<36} {store.relation_usage(t.name):>7} "
                   f"relation(s){retired}")


@relations.command("add")
@click.argument("name")
@click.option("--head", "head", default="*", show_default=True,
              help="The label of the span the relation goes from (the commitment); * for any label.")
@click.option("--child", "child", default="*", show_default=True,
              help="The label of the span it goes to; * for any label.")
@click.option("--hotkey", default="", help="The letter or digit that makes this relation in the review window.")
@click.option("--guideline", default="", help="One paragraph telling reviewers when to use it.")
@click.pass_obj
def add(obj, name, head, child, hotkey, guideline):
    """Add a relation type (or bring back a retired one with the labels given).

    \b
    Example:
        annotator relations add FUNDS --head ORGANISATION --child COMMITMENT --hotkey f
    """
    obj.may_create = True  # a scheme can be set up before the first import
    t = _guard(obj.store.add_relation_type, name, head, child, hotkey=hotkey, guideline=guideline)
    click.echo(f"added {t.name} ({_ends(t)}, hotkey {t.hotkey or 'none'})")


@relations.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def rename(obj, old, new):
    """Rename a relation type; its relations follow.

    \b
    Example:
        annotator relations rename PARTNER WITH
    """
    _guard(obj.store.relation_type, old)
    used = obj.store.relation_usage(old)
    _guard(obj.store.rename_relation_type, old, new)
    click.echo(f"renamed {old} to {new} ({used} relation(s) follow)")


@relations.command("edit")
@click.argument("name")
@click.option("--head", help="The label of the span the relation goes from; * for any label.")
@click.option("--child", help="The label of the span it goes to; * for any label.")
@click.option("--hotkey", help="The letter or digit that makes it in the review window; \"\" for none.")
@click.option("--guideline", help="One paragraph telling reviewers when to use it.")
@click.pass_obj
def edit(obj, name, head, child, hotkey, guideline):
    """Change a relation type's head or child label, its hotkey or its guideline. New labels are refused while
    relations of the type join labels they would not connect.

    \b
    Example:
        annotator relations edit PARTNER --child '*' --hotkey w
    """
    t = _guard(obj.store.update_relation_type, name, head=head, child=child, hotkey=hotkey, guideline=guideline)
    click.echo(f"updated {t.name} ({_ends(t)}, hotkey {t.hotkey or 'none'})")


@relations.command("retire")
@click.argument("name")
@click.pass_obj
def retire(obj, name):
    """Retire a relation type: no new relation of it is made; those made are kept, shown and exported.

    \b
    Example:
        annotator relations retire PARTNER
    """
    _guard(obj.store.relation_type, name)
    used = obj.store.relation_usage(name)
    _guard(obj.store.retire_relation_type, name)
    click.echo(f"retired {name}: " + (f"its {used} relation(s) are kept" if used else "no relation used it"))
