"""The default scheme is a file (resources/scheme.json) a new database starts from, checked as any label is."""
import json
from pathlib import Path

import pytest

from annotator.core.errors import InvariantError
from annotator.core.labels import labels_from_scheme

SCHEME = Path(__file__).resolve().parents[2] / "resources" / "scheme.json"


def test_a_new_database_starts_from_the_scheme_file(cli):
    cli("labels", "add", "LOCATION")  # makes the database
    shown = json.loads(cli("labels", "--json").stdout)
    written = json.loads(SCHEME.read_text(encoding="utf-8"))["labels"]
    assert [{k: l[k] for k in ("name", "color", "hotkey", "guideline")} for l in shown[:3]] == written
    assert len(written) == 3 and all(len(l["guideline"]) > 100 for l in written)


@pytest.mark.parametrize("labels, said", [
    ([{"name": "A", "color": "blue"}], "scheme.json: label 1: colour 'blue' must be written #RRGGBB"),
    ([{"name": "A", "color": "#000000", "hotkey": "1"}, {"name": "B", "color": "#000000", "hotkey": "1"}],
     "scheme.json: label 2: the hotkey '1' is given twice"),
    ([{"name": "A", "color": "#000000"}, {"name": "A", "color": "#111111"}], "label 2: the name 'A' is given twice"),
    ([{"name": "A", "color": "#000000", "hotkey": "ctrl+z"}], "label 1: hotkey 'Ctrl+Z' is a key of the review"),
    ([{"name": " A", "color": "#000000"}], "label 1: label name ' A' must be 1 to 64 printable characters"),
    ([{"name": "A", "color": "#000000", "guideline": 3}], "label 1 must be an object whose name, color, hotkey"),
    ([], "scheme.json: 'labels' must be a non-empty list"),
])
def test_a_scheme_the_label_rules_refuse_is_named_with_the_label(labels, said):
    with pytest.raises(InvariantError, ) as caught:
        labels_from_scheme({"labels": labels}, "scheme.json")
    assert said in str(caught.value)
