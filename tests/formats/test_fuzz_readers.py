"""Every reader, fed mutations of files our own exporters wrote (issue 10, section 4): a clean import with every
span on its text, or our one-line InputError naming the file with the database unchanged; never another exception,
never a hang. 250 examples a format here; scripts/fuzz_readers.py runs thousands before a release."""
import pytest
from hypothesis import HealthCheck, given, settings

from annotator.store import Store
from tests.formats import fuzz

EXAMPLES = 250


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    pytest.importorskip("spacy")
    return fuzz.exported(tmp_path_factory.mktemp("exports"))


@pytest.mark.parametrize("fmt", fuzz.FORMATS)
def test_a_mutated_file_imports_cleanly_or_is_refused_in_one_line(fmt, exports, tmp_path):
    store = Store(tmp_path / "fuzz.db")
    folder = tmp_path / "in"
    folder.mkdir()
    outcomes = []

    @given(fuzz.mutated(fmt, exports[fmt]))
    # derandomize: the same examples on every run, so the suite does not pass or fail by luck; the script draws new
    # ones each time
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    def check(files):
        outcomes.append(fuzz.import_mutated(store, folder, fmt, files))

    check()
    store.close()
    # the mutations reach both ends: some files still import, most are refused (a fuzz that only ever refuses at
    # the first byte would test nothing)
    assert "imported" in outcomes and len(set(outcomes)) > 5, set(outcomes)
