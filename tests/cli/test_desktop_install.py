"""`annotator desktop-install` puts the launcher and the icon where the desktop's menu looks (XDG folders)."""
import re
import shutil
import subprocess
import sys
from configparser import ConfigParser

from click.testing import CliRunner

from annotator.cli import main
from annotator.core.resources import ICON_SIZES, icon_name, read_bytes


def launcher(path):
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(path.read_text(encoding="utf-8"))
    return entry["Desktop Entry"]


def exec_args(value: str) -> list[str]:
    """An Exec value split as the Desktop Entry Specification says a desktop does: the string value's escapes
    first, then arguments, double-quoted ones with \\" \\` \\$ \\\\ inside, and %% for %."""
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), value)
    args = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', value)
    return [(re.sub(r"\\(.)", r"\1", q) if q else plain).replace("%%", "%") for q, plain in args]


def install(tmp_path, monkeypatch, *args):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    return CliRunner().invoke(main, ["desktop-install", *args], catch_exceptions=False)


def test_the_launcher_and_icons_go_into_the_xdg_folders(tmp_path, monkeypatch):
    result = install(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    share = tmp_path / "share"
    desktop = share / "applications" / "annotator.desktop"
    assert str(desktop) in result.output
    entry = launcher(desktop)
    assert (entry["Name"], entry["Icon"], entry["Type"]) == ("annotator", "annotator", "Application")
    assert (share / "icons/hicolor/scalable/apps/annotator.svg").read_bytes() == read_bytes(icon_name())
    for size in ICON_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/annotator.png").read_bytes() == read_bytes(icon_name(size))
    # run from the tests, it starts this Python with -m annotator
    assert exec_args(entry["Exec"]) == [sys.executable, "-m", "annotator", "gui"]
    if shutil.which("desktop-file-validate"):  # Debian's desktop-file-utils, where installed, as a second judge
        checked = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout

    result = install(tmp_path, monkeypatch, "--remove")
    assert result.exit_code == 0 and not desktop.exists()
    assert not list((share / "icons").rglob("annotator.*"))


def test_the_launcher_starts_the_annotator_that_wrote_it_whatever_its_path_holds(tmp_path, monkeypatch):
    # a venv in a folder whose name needs every kind of quoting the spec has
    folder = tmp_path / 'my $HOME "apps" 100% `x` \\ (v2)' / "bin"
    folder.mkdir(parents=True)
    script = folder / "annotator"
    script.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'started'}\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "desktop-install"])
    assert install(tmp_path, monkeypatch).exit_code == 0
    desktop = tmp_path / "share" / "applications" / "annotator.desktop"
    args = exec_args(launcher(desktop)["Exec"])
    assert args == [str(script), "gui"]
    subprocess.run(args, check=True)
    assert (tmp_path / "started").read_text() == "gui\n"
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout


def test_without_xdg_data_home_it_is_the_home_folders_local_share(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert CliRunner().invoke(main, ["desktop-install"]).exit_code == 0
    assert (tmp_path / ".local/share/applications/annotator.desktop").is_file()


def test_a_folder_it_cannot_write_is_named_in_one_line(tmp_path, monkeypatch):
    (tmp_path / "share").write_text("a file where the folder should be")
    result = install(tmp_path, monkeypatch)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {tmp_path / 'share'}") and len(result.output.splitlines()) == 1
