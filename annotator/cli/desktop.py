"""``desktop-install``: put the launcher and the icon in the user's XDG folders, so the desktop's menu shows the app.

What is written comes from the installed resources (annotator.desktop, the icon's SVG and PNG sizes); only the
launcher's Exec line is made here, pointing at the annotator that runs this command, so the menu starts the same
install even when its folder (a venv, pipx's) is not on the desktop session's PATH.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..core.resources import ICON_SIZES, icon_name, read_bytes
from . import main

# characters the Desktop Entry Specification says an Exec argument may hold only inside double quotes
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share where it is unset or not absolute (as the XDG spec says)."""
    given = os.environ.get("XDG_DATA_HOME", "")
    return Path(given) if os.path.isabs(given) else Path.home() / ".local" / "share"


def this_command() -> list[str]:
    """How to start the annotator running now: its console script, else its Python with -m annotator."""
    script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(script) == "annotator" and os.access(script, os.X_OK):
        return [script]
    return [sys.executable, "-m", "annotator"]


def exec_line(args: list[str]) -> str:
    """``args`` as a Desktop Entry Exec value: quoted where the spec asks, then escaped as a string value."""
    quoted = []
    for arg in args:
        if "\n" in arg or "\r" in arg:
            raise click.ClickException(f"cannot write a launcher for {arg!r}: a path with a line break")
        if _RESERVED & set(arg) or not arg:
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        quoted.append(arg.replace("%", "%%"))
    return " ".join(quoted).replace("\\", "\\\\")


def launcher_text(command: list[str]) -> str:
    lines = read_bytes("annotator.desktop").decode("utf-8").splitlines()
    return "".join((f"Exec={exec_line([*command, 'gui'])}" if line.startswith("Exec=") else line) + "\n"
                   for line in lines)


def targets(home: Path) -> dict[Path, bytes]:
    """Where each file goes (the freedesktop icon theme's hicolor folders) and what it holds."""
    icons = home / "icons" / "hicolor"
    files = {home / "applications" / "annotator.desktop": launcher_text(this_command()).encode("utf-8"),
             icons / "scalable" / "apps" / "annotator.svg": read_bytes(icon_name())}
    for size in ICON_SIZES:
        files[icons / f"{size}x{size}" / "apps" / "annotator.png"] = read_bytes(icon_name(size))
    return files


def write_whole(path: Path, data: bytes) -> None:
    # written beside and renamed, so a menu never reads half a launcher
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


@main.command("desktop-install")
@click.option("--remove", is_flag=True, help="Remove the launcher and the icons this command wrote.")
def desktop_install(remove):
    """Add annotator to the desktop's application menu (launcher and icon in ~/.local/share).

    The launcher starts `annotator gui` with the annotator that runs this command. XDG_DATA_HOME, where set,
    is used instead of ~/.local/share.

    \b
    Example:
        annotator desktop-install
        annotator desktop-install --remove
    """
    files = targets(data_home())
    for path, data in files.items():
        try:
            if remove:
                path.unlink(missing_ok=True)
            else:
                write_whole(path, data)
        except OSError as exc:
            raise click.ClickException(f"{path}: {exc.strerror or exc}") from None
    launcher = next(iter(files))
    if remove:
        click.echo(f"removed {launcher} and the icons from {launcher.parent.parent / 'icons' / 'hicolor'}")
    else:
        click.echo(f"wrote {launcher} (starts {' '.join(this_command())} gui) and the icon in "
                   f"{len(ICON_SIZES) + 1} sizes under {launcher.parent.parent / 'icons' / 'hicolor'}")
