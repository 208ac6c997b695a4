import json

import pytest
from click.testing import CliRunner

from annotator.cli import main


class Cli:
    def __init__(self, db):
        self.db = str(db)
        self.runner = CliRunner()

    def __call__(self, *args, ok=True, input=None):
        result = self.runner.invoke(main, ["--db", self.db, *map(str, args)], input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code != 0, result.output
        return result

    def stats(self):
        return json.loads(self("stats", "--json").stdout)


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "cli.db")
