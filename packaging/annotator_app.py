"""The bundle's entry point (PyInstaller's script): the same `annotator` command the wheel installs."""
from annotator.cli import main

main(prog_name="annotator")
