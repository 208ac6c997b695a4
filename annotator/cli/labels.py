"""``labels``: list, add, rename, recolour and retire labels."""
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


@main.group("labels", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Show retired labels too.")
@click.option("--json", "as_json", is_flag=True, help="Print the labels as JSON.")
@click.option("--scheme", "as_scheme", is_flag=True,
              help="Print the live labels, relation types and attributes as a scheme file (the form of "
                   "resources/scheme.json), for 'labels load'.")
@click.pass_context
def labels(ctx, show_all, as_json, as_scheme):
    """List the labels, or change them with a subcommand.

    \b
    Example:
        annotator labels
        annotator labels add LOCATION --color "#009E73" --hotkey 4
        annotator labels --scheme > team-scheme.json
    """
    if ctx.invoked_subcommand:
        return
    store = ctx.obj.store
    if as_scheme:
        from ..store.scheme import scheme_of

        click.echo(json.dumps(scheme_of(store), indent=2, ensure_ascii=False))
        return
    rows = store.labels(include_retired=show_all)
    if as_json:
        click.echo(json.dumps(
            [{"name": l.name, "color": l.color, "hotkey": l.hotkey, "retired": l.retired,
              "spans": store.label_usage_parts(l.name)[0], "gold": store.label_usage_parts(l.name)[1],
              "guideline": l.guideline} for l in rows],
            indent=2, ensure_ascii=False))
        return
    # the reviewers' spans (what `stats` counts) and the gold layer's, apart
    for l in rows:
        retired = "  (retired)" if l.retired else ""
        spans, gold = store.label_usage_parts(l.name)
        click.echo(f"{l.hotkey or '-':>2}  {l.name:<20} {l.color}  {spans:>7} span(s), {gold} gold{retired}")


@labels.command("add")
@click.argument("name")
@click.option("--color", help="Colour as #RRGGBB [default: the next colour-blind-safe one].")
@click.option("--hotkey", help="Key that applies the label in the review window [default: the next free digit].")
@click.option("--guideline", default="", help="One paragraph telling reviewers what the label covers.")
@click.pass_obj
def add(obj, name, color, hotkey, guideline):
    """Add a label.

    \b
    Example:
        annotator labels add LOCATION --color "#009E73" --guideline "A place named in the text."
    """
    obj.may_create = True  # a scheme can be set up before the first import
    label = _guard(obj.store.add_label, name, color=color, hotkey=hotkey, guideline=guideline)
    click.echo(f"added {label.name} ({label.color}, hotkey {label.hotkey or 'none'})")


@labels.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def rename(obj, old, new):
    """Rename a label; every span with it keeps it under the new name.

    \b
    Example:
        annotator labels rename FIGURE QUANTITY
    """
    used = _guard(obj.store.label_usage, old)
    _guard(obj.store.rename_label, old, new)
    click.echo(f"renamed {old} to {new} ({used} span(s) follow)")


@labels.command("recolor")
@click.argument("name")
@click.argument("color")
@click.pass_obj
def recolor(obj, name, color):
    """Give a label a new colour (#RRGGBB).

    \b
    Example:
        annotator labels recolor FIGURE "#D55E00"
    """
    label = _guard(obj.store.update_label, name, color=color)
    click.echo(f"{label.name} is now {label.color}")


@labels.command("edit")
@click.argument("name")
@click.option("--hotkey", help="New hotkey.")
@click.option("--guideline", help="New guideline paragraph.")
@click.pass_obj
def edit(obj, name, hotkey, guideline):
    """Change a label's hotkey or guideline.

    \b
    Example:
        annotator labels edit COMMITMENT --guideline "A pledge by a named actor."
    """
    label = _guard(obj.store.update_label, name, hotkey=hotkey, guideline=guideline)
    click.echo(f"updated {label.name}")


@labels.command("retire")
@click.argument("name")
@click.option("--relabel-to", help="Give the spans that use it this label instead.")
@click.option("--delete-spans", is_flag=True, help="Delete the spans that use it (kept as tombstones).")
@click.pass_obj
def retire(obj, name, relabel_to, delete_spans):
    """Retire a label. A label in use is only retired when you say what happens to its spans.

    \b
    Example:
        annotator labels retire FIGURE --relabel-to ORGANISATION
    """
    if relabel_to and delete_spans:
        raise click.ClickException("choose one of --relabel-to and --delete-spans")
    store = obj.store
    _guard(store.label, name)
    used = store.label_usage(name)
    if used and not relabel_to and not delete_spans:
        raise click.ClickException(f"label {name!r} is used by {used} span(s): say what happens to them with "
                                   f"--relabel-to LABEL or --delete-spans")
    n = _guard(store.retire_label, name, relabel_to=relabel_to, delete_spans=delete_spans)
    what = f"{n} span(s) relabelled to {relabel_to}" if relabel_to and n else f"{n} span(s) deleted" if n else "no spans used it"
    click.echo(f"retired {name}: {what}")
    keys = [l.hotkey for l in store.labels() if l.hotkey.isdigit()]
    if keys != [str(i) for i in range(1, len(keys) + 1)][: len(keys)]:
        click.echo(f"hotkeys now {', '.join(keys)}; 'annotator labels renumber' numbers them 1, 2, 3 ... again")


@labels.command("renumber")
@click.pass_obj
def renumber(obj):
    """Number the labels' digit hotkeys 1, 2, 3 ... in palette order again (after a label was retired).

    \b
    Example:
        annotator labels renumber
    """
    changes = _guard(obj.store.renumber_hotkeys)
    for name, old, new in changes:
        click.echo(f"{name}: {old} -> {new or 'none'}")
    if not changes:
        click.echo("the hotkeys are 1, 2, 3 ... already")


@labels.command("load")
@click.argument("scheme_file", type=click.Path(dir_okay=False))
@click.pass_obj
def load(obj, scheme_file):
    """Take the labels, relation types and attributes of a scheme file (from 'labels --scheme', or
    resources/scheme.json).

    Labels the file names are added, or given its colour, hotkey and guideline (a retired one comes back).
    Labels it does not name are retired if no span uses them, else kept (and named). A file the label rules
    refuse changes nothing. When the file has 'relations', the types it names are added or updated and the
    others retired (their relations are kept); when it has 'attributes', they become the database's.

    \b
    Example:
        annotator labels load team-scheme.json
    """
    from ..core.labels import labels_from_scheme
    from ..core.resources import parse_json_object
    from ..core.relation_scheme import attribute_defs_from_scheme, relation_types_from_scheme
    from ..store.scheme import apply_relation_scheme, apply_scheme

    try:
        with open(scheme_file, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise click.ClickException(f"{scheme_file}: {exc.strerror or exc}") from None
    scheme = _guard(parse_json_object, data, scheme_file)
    wanted = _guard(labels_from_scheme, scheme, scheme_file)
    types = _guard(relation_types_from_scheme, scheme, scheme_file) if "relations" in scheme else None
    defs = _guard(attribute_defs_from_scheme, scheme, scheme_file) if "attributes" in scheme else None
    obj.may_create = True  # a team's scheme can be set up before the first import
    with obj.store.transaction():  # labels, relation types and attributes together, or nothing
        done = _guard(apply_scheme, obj.store, wanted, scheme_file)
        done.update(_guard(apply_relation_scheme, obj.store, types, defs, scheme_file))
    said = [f"{what} {', '.join(names)}" for what, names in (
        ("added", done["added"]), ("changed", done["changed"]), ("retired (no span uses them)", done["retired"]),
        ("kept though not in the file (spans use them)", done["kept"]),
        ("relation types added", done["relations added"]), ("relation types changed", done["relations changed"]),
        ("relation types retired", done["relations retired"])) if names]
    click.echo(f"{scheme_file}: " + ("; ".join(said) if said else "the labels are as the file has them already"))
