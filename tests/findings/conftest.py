import pytest

from tests.cli.conftest import Cli


@pytest.fixture
def cli_on():
    return Cli
