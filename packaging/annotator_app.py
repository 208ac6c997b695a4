"""The bundle's entry point (PyInstaller's script): the same `annotator` command the wheel installs.

``freeze_support`` first: the window computes its suggestions and trains the suggestion model in "spawn" child
processes (suggest/service.py, suggest/background.py), each of which in the bundle
is this same executable started again with multiprocessing's arguments; PyInstaller's runtime hook makes
``freeze_support`` run that child's work and exit there, instead of opening a second window."""
import multiprocessing

multiprocessing.freeze_support()

from annotator.cli import main  # noqa: E402

main(prog_name="annotator")
