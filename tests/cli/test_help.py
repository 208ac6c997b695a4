"""Every command is documented: --help works and shows an example."""
import click
from click.testing import CliRunner

from annotator.cli import main


def walk(group, path=()):
    for name, command in group.commands.items():
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from walk(command, path + (name,))


def test_every_command_has_help_with_an_example():
    commands = list(walk(main))
    assert {"import", "export", "stats", "labels"} <= {p[0] for p, _ in commands}
    for path, _ in commands:
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example:" in result.output and "annotator " in result.output.split("Example:")[1], path


def test_db_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "env.db"
    monkeypatch.setenv("ANNOTATOR_DB", str(target))
    assert CliRunner().invoke(main, ["labels", "add", "LOCATION"]).exit_code == 0 and target.exists()
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0 and str(target) in result.output and "LOCATION" in result.output
