"""Labels with spaces, long type names, span texts with unusual line separators and file names in brat and
CoNLL (issue 11, items 4 and 8)."""
import pytest

from annotator.store import Store
from tests.cli.conftest import Cli

TEXT = "Patients with Type 2 diabetes\x85and Ms\u2028Smith\fmet UNODC\vstaff."


@pytest.fixture
def cli(tmp_path):
    cli = Cli(tmp_path / "a.db")
    source = tmp_path / "article.txt"
    source.write_text(TEXT, encoding="utf-8")
    cli("import", "--annotator", "me", source)
    store = Store(cli.db)
    (row,) = store.list_documents(limit=2)
    store.add_label("Medical Condition")
    for phrase, label in [("Type 2 diabetes\x85and", "Medical Condition"), ("Ms\u2028Smith\fmet", "ORGANISATION"),
                          ("UNODC\vstaff", "ORGANISATION")]:
        at = TEXT.index(phrase)
        store.add_span(row.id, at, at + len(phrase), label, "alice")
    store.close()
    return cli


def spans(db):
    store = Store(db)
    try:
        return sorted((store.document_text(r.id)[s.start:s.end], s.label)
                      for r in store.list_documents(limit=5) for s in store.spans(r.id))
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["brat", "conll"])
def test_a_label_with_spaces_goes_out_with_underscores_and_comes_back(cli, tmp_path, fmt):
    out = tmp_path / f"out-{fmt}"
    result = cli("export", "--format", fmt, "-o", out)
    assert "spans whose label has spaces (written with _ for them" in result.output
    written = "".join(p.read_text(encoding="utf-8") for p in ([out] if out.is_file() else sorted(out.glob("*.ann"))))
    assert "Medical_Condition" in written and "Medical Condition" not in written
    refused = cli("export", "--format", fmt, "--strict", "-o", tmp_path / f"strict-{fmt}", ok=False)
    assert "spans whose label has spaces" in refused.output
    # into the same database: Medical_Condition is Medical Condition again
    again = Cli(cli.db)
    again("import", "--format", fmt, out)
    assert ("Medical Condition" in {label for _, label in spans(cli.db)})
    assert "Medical_Condition" not in {label for _, label in spans(cli.db)}


def test_brat_round_trip_of_span_texts_with_unusual_line_separators(cli, tmp_path):
    out = tmp_path / "brat"
    cli("export", "--format", "brat", "-o", out)
    other = Cli(tmp_path / "b.db")
    other("import", "--format", "brat", out)
    assert spans(other.db) == sorted([("Type 2 diabetes\x85and", "Medical_Condition"),
                                      ("Ms\u2028Smith\fmet", "ORGANISATION"), ("UNODC\vstaff", "ORGANISATION")])


def test_brat_export_keeps_the_source_file_names(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "news-001.txt").write_text("UNODC met IOM.\n")
    (project / "news-001.ann").write_text("T1\tORG 0 5\tUNODC\n")
    cli = Cli(tmp_path / "c.db")
    cli("import", "--annotator", "me", project)
    store = Store(cli.db)
    (row,) = store.list_documents(limit=2)
    text = store.document_text(row.id)
    store.add_span(row.id, text.index("IOM"), text.index("IOM") + 3, "ORG", "me")
    store.close()
    cli("export", "--format", "brat", "-o", project)  # back into the project it came from
    assert sorted(p.name for p in project.iterdir()) == ["news-001.ann", "news-001.txt"]
    assert (project / "news-001.ann").read_text().count("\tORG ") == 2


def test_a_brat_type_name_too_long_for_a_label_is_named_with_its_file_and_line(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "d.txt").write_text("UNODC met IOM.\n")
    (folder / "d.ann").write_text(f"T1\tORG 0 5\tUNODC\nT2\t{'X' * 70} 10 13\tIOM\n")
    (folder / "e.txt").write_text("ASEAN met.\n")
    (folder / "e.ann").write_text("T1\tORG 0 5\tASEAN\n")
    cli = Cli(tmp_path / "d.db")
    refused = cli("import", "--annotator", "me", folder, ok=False)
    assert f"{folder / 'd.ann'}, line 2: label name 'XXXX" in refused.output
    result = cli("import", "--annotator", "me", "--skip-invalid", folder)
    assert "1 document(s) imported, 1 span(s)" in result.stdout
    assert spans(cli.db) == [("ASEAN", "ORG")]
