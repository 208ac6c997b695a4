"""Exports never build a path from data without making it safe (issue 9, section 3): a document id edited into
a database with the sqlite3 shell cannot send a file outside the export folder."""
from __future__ import annotations

import os

import pytest

from annotator import formats
from annotator.formats.common import safe_file_name
from annotator.store import Store
from annotator.store.bulk import export_records

HOSTILE = ["../../pwned-by-merge", "..", ".", "", "/etc/passwd", "a/b", "a\\b", "nul\x00byte", ".hidden",
           "line\nbreak", "x" * 300, "é" * 200]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_safe_name_stays_in_its_folder(tmp_path, name):
    safe = safe_file_name(name, ".ann")
    assert safe.endswith(".ann") and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and len(safe.encode()) <= 255
    assert (tmp_path / safe).resolve().parent == tmp_path.resolve()
    (tmp_path / safe).write_text("x")  # a name the file system takes


def test_a_well_formed_id_is_kept_and_altered_names_stay_apart():
    assert safe_file_name("0123456789abcdef", ".txt") == "0123456789abcdef.txt"
    names = {safe_file_name(n, ".txt") for n in ["a/b", "a_b", "a\\b", "a:b"]}
    assert len(names) == 4 and "a_b.txt" in names


@pytest.mark.parametrize("fmt", ["brat", "text"])
def test_an_edited_document_id_cannot_write_outside_the_export_folder(tmp_path, fmt):
    store = Store(tmp_path / "own.db")
    good = store.add_document("The UNODC met IOM in Bali.")[0]
    store.add_document("Ministers of 45 countries agreed.")
    with store.transaction():  # what the sqlite3 shell can do to one's own database
        store.conn.execute("UPDATE documents SET id = '../../pwned-by-merge' WHERE id != ?", (good.id,))
    out = tmp_path / "deep" / "er" / "export"
    out.parent.mkdir(parents=True)  # an export makes its folder, not missing folders above it
    n = formats.write_to(formats.get(fmt), export_records(store), out, formats.Options())
    assert n == 2
    outside = [os.path.join(d, f) for d, _, files in os.walk(tmp_path) for f in files
               if not os.path.join(d, f).startswith(str(out) + os.sep) and not f.startswith("own.db")]
    assert outside == []
    names = sorted(os.listdir(out))
    assert f"{good.id}.txt" in names
    assert any("pwned-by-merge" in n and not n.startswith(".") for n in names)


@pytest.mark.parametrize("name", ["../x", "a/b", "..", ""])
def test_the_folder_writer_refuses_a_name_that_is_a_path(tmp_path, name):
    from annotator.formats.background_writer import BackgroundFiles

    with BackgroundFiles(tmp_path) as files:
        with pytest.raises(ValueError, match="not a file name"):
            files.write(name, b"x")
    assert os.listdir(tmp_path) == []
