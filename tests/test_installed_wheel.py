"""The app as a user installs it: a wheel built from a copy of the checkout, installed with pip into an empty
virtual environment, run from a folder that is not the checkout. Its resources (the scheme, the icon, the keys
table, the launcher) must come from the installed package, and `annotator --version`, import, export and the
window must work with nothing else installed by hand.

The dependencies come from pip's usual index (PySide6-Essentials is the big one: a few seconds from the index
this machine uses); the whole module takes about 20 s, most of it pip.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what a fresh clone does not have: the developer's venv, build leftovers, caches, databases
LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                  ".hypothesis", ".import_linter_cache", "*.so", "*.db", "*.db-wal", "*.db-shm",
                                  "*.whl", "docs", "benchmarks")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("installed")
    source, dist, venv, elsewhere = base / "src", base / "dist", base / "venv", base / "elsewhere"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)],
                   check=True, capture_output=True)
    [wheel] = dist.glob("annotator-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the test's own pip installs into the new environment (--python), so it needs no pip of its own
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                    str(wheel)], check=True, capture_output=True)
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(base / "home"), XDG_CONFIG_HOME=str(base / "home" / ".config"), QT_QPA_PLATFORM="offscreen")

    def run(*args, timeout=60):
        return subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=timeout)

    run.venv, run.elsewhere, run.env = venv, elsewhere, env
    return run


def test_the_version_is_the_one_in_pyproject(installed):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = installed(str(installed.venv / "bin" / "annotator"), "--version")
    assert (result.returncode, result.stdout) == (0, f"annotator, version {version}\n"), result.stderr


def test_the_scheme_icon_keys_units_and_organisations_load_from_the_installed_package(installed):
    check = """
import json
from annotator.core import resources
from annotator.core.labels import default_labels
from annotator.core.figures import propose_figure
from annotator.core.organisations import propose_entity, registry
print(json.dumps({
    "figure": propose_figure("US$7 billion").attributes(),
    "entity": propose_entity("the International Organization for Migration (IOM)"),
    "organisations": len(registry().organisations),
    "scheme": str(resources.resource("scheme.json")),
    "labels": [(l.name, l.hotkey) for l in default_labels()],
    "svg": resources.read_bytes("icons/annotator.svg")[:5].decode(),
    "png": [resources.read_bytes(resources.icon_name(n))[:8].hex() for n in resources.ICON_SIZES],
    "keys": len(resources.keys_table()),
    "desktop": resources.read_bytes("annotator.desktop").decode().splitlines()[0],
}))
"""
    result = installed(str(installed.venv / "bin" / "python"), "-c", check)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["scheme"].startswith(str(installed.venv)), found["scheme"]
    assert found["labels"] == [["ORGANISATION", "1"], ["FIGURE", "2"], ["COMMITMENT", "3"]]
    assert found["svg"] == "<?xml" and set(found["png"]) == {"89504e470d0a1a0a"}
    assert found["keys"] > 10 and found["desktop"] == "[Desktop Entry]"
    # the units table and the organisations registry come with the package too
    assert found["figure"] == {"value": 7_000_000_000, "unit": "USD", "approximate": False}
    assert found["entity"] == "IOM" and found["organisations"] >= 40


def test_import_export_and_the_window_work_from_the_installed_app(installed):
    annotator = str(installed.venv / "bin" / "annotator")
    article = installed.elsewhere / "article.txt"
    article.write_text("IOM and UNODC pledged US$7 billion.\n", encoding="utf-8")
    result = installed(annotator, "--db", "x.db", "import", "article.txt")
    assert result.returncode == 0, result.stderr
    result = installed(annotator, "--db", "x.db", "labels", "--json")
    assert [l["name"] for l in json.loads(result.stdout)] == ["ORGANISATION", "FIGURE", "COMMITMENT"]
    result = installed(annotator, "--db", "x.db", "export")
    assert result.returncode == 0 and json.loads(result.stdout)["text"] == "IOM and UNODC pledged US$7 billion.\n"
    # suggestions need spaCy, which the wheel's dependencies bring: nothing installed by hand, nothing downloaded
    result = installed(annotator, "--db", "x.db", "suggest", "--source", "patterns")
    assert result.returncode == 0, result.stderr
    found = [(s["text"], s["label"]) for s in json.loads(result.stdout)["suggestions"]]
    assert found == [("IOM", "ORGANISATION"), ("UNODC", "ORGANISATION"), ("US$7 billion", "FIGURE")]

    # the window, as `annotator gui` opens it: still running after two seconds, with nothing on stderr
    window = subprocess.Popen([annotator, "--db", "x.db", "gui", "--annotator", "alice"], cwd=installed.elsewhere,
                              env=installed.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)
        assert window.poll() is None, window.communicate()
    finally:
        window.terminate()
        out, err = window.communicate(timeout=10)
    assert "Traceback" not in err, err

    # the same window built in a script: its icon and title come from the installed package
    check = """
from annotator.ui.app import open_window, application
window = open_window("x.db", "alice")
icon = application().windowIcon()
print(window.windowTitle(), sorted(s.width() for s in icon.availableSizes()))
window.close()
"""
    result = installed(str(installed.venv / "bin" / "python"), "-c", check)
    assert result.stdout.strip() == "x.db — alice — annotator [16, 32, 48, 64, 128, 256]", result.stderr
