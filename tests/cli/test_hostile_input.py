"""Hostile input (issue 10, section 1): every case is one line naming the file and the line (or the document of a
binary file), exit 1, and the database exactly as it was. Each ran into a Python traceback before."""
import json

import pytest

from tests.conftest import DOCUMENTS

TEXT = "Hello IOM world"


def jsonl(**record) -> str:
    return json.dumps({"text": TEXT, **record})


def ls_task(**task) -> str:
    return json.dumps([{"data": {"text": TEXT}, **task}])


def ls_result(**result) -> dict:
    return {"result": [{"value": {"start": 6, "end": 9, "text": "IOM", "labels": ["ORGANISATION"]}, **result}]}


DEEP = "[" * 100_000 + "]" * 100_000

# (case, file name, file text, extra options, what the message says)
CASES = [
    ("surrogate in text", "a.jsonl", '{"text": "ab\\ud800c"}', [], "the text holds a lone surrogate"),
    ("surrogate in label", "a.jsonl", '{"text": "Hello", "spans": [{"start": 0, "end": 5, "label": "X\\ud800"}]}', [],
     "the label holds a lone surrogate"),
    ("surrogate in meta", "a.jsonl", '{"text": "abc", "meta": {"k": "\\udfff"}}', [], "meta.k holds a lone surrogate"),
    ("surrogate in a meta key", "a.jsonl", '{"text": "abc", "meta": {"\\ud800": 1}}', [], "a key of meta holds"),
    ("surrogate in note", "a.jsonl", '{"text": "Hello", "spans": [{"start": 0, "end": 5, "label": "X", "note": '
     '"\\ud800"}]}', [], "'note' holds a lone surrogate"),
    ("surrogate in annotator", "a.jsonl", '{"text": "Hello", "spans": [{"start": 0, "end": 5, "label": "X", '
     '"annotator": "\\ud800"}]}', [], "the annotator holds a lone surrogate"),
    ("surrogate in Label Studio text", "a.json", '[{"data": {"text": "He\\udc00llo"}}]', [],
     "task 1: the text holds a lone surrogate"),
    ("label with a trailing space", "a.jsonl", jsonl(spans=[{"start": 6, "end": 9, "label": "FOO "}]), [],
     "label name 'FOO ' must be"),
    ("known label with a trailing space", "a.jsonl", jsonl(spans=[{"start": 6, "end": 9, "label": "FIGURE "}]), [],
     "label name 'FIGURE ' must be"),
    ("label with a leading space in doccano", "a.jsonl", jsonl(label=[[6, 9, " FIGURE"]]), ["--format", "doccano"],
     "label name ' FIGURE' must be"),
    ("deep JSONL", "a.jsonl", '{"text": "abc", "meta": {"a": ' + DEEP + "}}", [], "nested too deeply"),
    ("deep JSONL, format detection", "a.jsonl", DEEP, [], "nested too deeply"),
    ("deep Label Studio", "a.json", "[" + DEEP + "]", ["--format", "labelstudio"], "nested too deeply"),
    ("4,301-digit integer in meta", "a.jsonl", '{"text": "abc", "meta": {"a": ' + "1" * 4301 + "}}", [],
     "more digits than"),
    ("4,301-digit offset", "a.jsonl", '{"text": "abc", "spans": [{"start": ' + "9" * 4301 + ', "end": 2, '
     '"label": "X"}]}', [], "more digits than"),
    ("meta.source a list", "a.jsonl", '{"text": "abc", "meta": {"source": [1]}}', [],
     "meta.source must be a string (the file the text came from) or null, got list"),
    ("meta.source a 30-digit integer", "a.jsonl", '{"text": "abc", "meta": {"source": ' + "1" * 30 + "}}", [],
     "meta.source must be a string"),
    ("a 30-digit integer in meta", "a.jsonl", '{"text": "abc", "meta": {"n": ' + "1" * 30 + "}}", [],
     "meta.n is an integer of 30 digits: beyond 64 bits"),
    ("NaN in meta", "a.jsonl", '{"text": "abc", "meta": {"a": NaN}}', [], "NaN is not a JSON value"),
    ("Infinity in meta", "a.jsonl", '{"text": "abc", "meta": {"a": -Infinity}}', [], "-Infinity is not a JSON value"),
    ("1e999 in meta", "a.jsonl", '{"text": "abc", "meta": {"a": 1e999}}', [], "meta.a is inf"),
    ("a key twice", "a.jsonl", '{"text": "Hello", "spans": [{"start": 0, "start": 1, "end": 5, "label": "X"}]}', [],
     "the key 'start' appears twice"),
    ("boolean offset, CRLF text", "a.jsonl", json.dumps({"text": "Hello\r\nworld", "label": [[True, 5, "ORGANISATION"]]}),
     ["--format", "doccano"], "span offsets must be integers"),
    ("boolean offset, BOM", "a.jsonl", json.dumps({"text": "\ufeffHello world", "label": [[True, 5, "ORGANISATION"]]}),
     ["--format", "doccano"], "span offsets must be integers"),
    ("Label Studio annotations a dict", "a.json", ls_task(annotations={"a": 1}), [], "'annotations' must be a list"),
    ("Label Studio annotations a string", "a.json", ls_task(annotations="abc"), [], "'annotations' must be a list"),
    ("Label Studio result an integer", "a.json", ls_task(annotations=[{"result": 5}]), [], "'result' must be a list"),
    ("Label Studio meta a string", "a.json", ls_task(annotations=[ls_result(meta="note")]), [],
     "'meta' must be an object"),
    ("Label Studio note [[1]]", "a.json", ls_task(annotations=[ls_result(meta={"text": [[1]]})]), [],
     "the note (meta.text) must be a string"),
    ("spaCy JSONL spans 5", "a.jsonl", jsonl(tokens=[], spans=5), [], "'spans' must be a list"),
    ("doccano relations 5", "a.jsonl", jsonl(entities=[], relations=5), [], "'relations' must be a list"),
    ("brat offsets of 5,000 digits", "a.ann", "T1\tORG " + "9" * 5000 + " 2\tx\n", ["--format", "brat"],
     "more digits than any text"),
]


def snapshot(cli) -> tuple:
    """What a user can see of the database: every document, span, status and gold span, and the label set."""
    return cli("export", "--bundle").stdout, cli("labels", "--json").stdout


@pytest.fixture
def populated(cli):
    cli("import", DOCUMENTS)
    return cli


def refused(cli, *args) -> str:
    before = snapshot(cli)
    result = cli("import", *args, ok=False)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert snapshot(cli) == before
    return lines[0]


@pytest.mark.parametrize("case,name,content,options,reason", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_naming_file_and_line(populated, tmp_path, case, name, content, options, reason):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    if name.endswith(".ann"):
        path.with_suffix(".txt").write_text(TEXT, encoding="utf-8")
    message = refused(populated, *options, path)
    assert message.startswith(f"Error: {path}, line 1: "), message
    assert reason in message


def test_brat_ann_not_utf8_is_named(populated, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    ann = tmp_path / "a.ann"
    ann.write_bytes("T1\tORGANISATION 6 9\tIOM\n#1\tAnnotatorNotes T1\tcaf\u00e9\n".encode("latin-1"))
    message = refused(populated, "--format", "brat", tmp_path / "a.txt")
    assert message == f"Error: {ann}, line 2: not valid UTF-8 at byte 48: brat writes its .ann files in UTF-8" \
                      " (nothing was imported; --skip-invalid imports the valid records)"


@pytest.mark.parametrize("encoding,reason", [
    ("utf-16", "not valid utf-16: UTF-16 stream does not start with BOM"),
    ("rot13", "'rot13' is not a text encoding"),
    ("hex", "'hex' is not a text encoding"),
    ("base64", "'base64' is not a text encoding"),
])
def test_encodings_that_cannot_read_the_file_are_named(populated, tmp_path, encoding, reason):
    path = tmp_path / "a.txt"
    path.write_bytes("Hello world".encode("utf-16-le"))
    message = refused(populated, "--encoding", encoding, path)
    assert message.startswith(f"Error: {path}: ") and reason in message


def test_utf16_with_its_order_named_imports(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Hello world".encode("utf-16-le"))
    cli("import", "--encoding", "utf-16-le", path)
    assert json.loads(cli("export").stdout)["text"] == "Hello world"


def test_binary_file_is_refused_past_its_first_8_kb(populated, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"text " * 4000 + b"\x00\x01binary")
    message = refused(populated, path)
    assert message.startswith(f"Error: {path}: looks like a binary file (a NUL byte at byte 20000)")


def test_jsonl_import_keeps_the_source_file_name(cli, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl() + "\n" + json.dumps({"text": "Other", "meta": {"source": "elsewhere.txt"}}) + "\n")
    cli("import", path)
    sources = {json.loads(line)["meta"]["source"] for line in cli("export").stdout.splitlines()}
    assert sources == {str(path), "elsewhere.txt"}


def test_labels_add_refuses_spaces_at_the_ends_as_import_does(populated):
    before = snapshot(populated)
    out = populated("labels", "add", "FIGURE ", ok=False).output
    assert "label name 'FIGURE ' must be" in out and "Traceback" not in out
    assert snapshot(populated) == before


def test_unreadable_files_are_named(populated, tmp_path, monkeypatch):
    """A file the user may not read, inside a folder, beside a .txt (its .meta.json), or a brat .ann."""
    import builtins
    import io
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Fine")
    locked = [folder / "secret.txt", folder / "ok.meta.json"]
    for path in locked:
        path.write_text("{}")
        path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: the refusal the kernel gives others, given by open()
        real_open = io.open

        def guarded(file, *args, **kwargs):
            if str(file) in map(str, locked):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)
        monkeypatch.setattr(io, "open", guarded)
    message = refused(populated, folder)
    assert message.startswith("Error: ") and "cannot read: Permission denied" in message
    assert str(folder / "ok.meta.json") in message or str(folder / "secret.txt") in message


def test_unreadable_subfolder_is_named_not_skipped(populated, tmp_path, monkeypatch):
    import os

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_text("Fine")
    (folder / "sub" / "hidden.txt").write_text("Never seen")
    (folder / "sub").chmod(0)
    try:
        if os.geteuid() == 0:
            real_scandir = os.scandir

            def guarded(path="."):
                if str(path) == str(folder / "sub"):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_scandir(path)

            monkeypatch.setattr(os, "scandir", guarded)
        message = refused(populated, folder)
    finally:
        (folder / "sub").chmod(0o755)
    assert message == f"Error: {folder / 'sub'}: cannot read: Permission denied"


@pytest.mark.parametrize("option", ["--worst", "--limit"])
def test_negative_counts_are_refused_by_the_option(populated, option):
    command = ["agreement", "--all-documents"] if option == "--worst" else ["consistency"]
    out = populated(*command, option, "-5", ok=False).output
    assert "Traceback" not in out and f"Invalid value for '{option}'" in out and "-5 is not in the range x>=0" in out


@pytest.mark.parametrize("options", [[], ["--format", "text"], ["--format", "jsonl"]])
def test_named_pipe_is_refused_not_read(populated, tmp_path, options):
    """`mkfifo pipe.txt; annotator import pipe.txt` blocked forever, also as a FIFO in a folder named directly."""
    import os
    import threading

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Fine")
    pipe = folder / "pipe.txt"
    os.mkfifo(pipe)
    done = threading.Event()

    def watchdog():  # a read that blocks on the pipe fails this test instead of hanging it
        if not done.wait(20):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        message = refused(populated, *options, pipe)
    finally:
        done.set()
    assert message == f"Error: {pipe}: a named pipe (FIFO), not a file: only regular files and folders are imported"
    populated("import", folder)  # in a folder it is left, as sockets and devices are: the folder's files import
    assert populated.stats()["documents"] == 6


@pytest.mark.parametrize("sidecar,reason", [
    ('{"a": ' + DEEP + "}", "the metadata file is not valid JSON: JSON nested too deeply"),
    ('{"title": "A", "title": "B"}', "the metadata file is not valid JSON: the key 'title' appears twice"),
    ('{"n": NaN}', "the metadata file is not valid JSON: NaN is not a JSON value"),
    ('{"k": "\\ud800"}', "meta.k holds a lone surrogate"),
])
def test_bad_sidecar_metadata_is_named(populated, tmp_path, sidecar, reason):
    (tmp_path / "a.txt").write_text("An article")
    (tmp_path / "a.meta.json").write_text(sidecar)
    message = refused(populated, tmp_path / "a.txt")
    assert message.startswith("Error: ") and reason in message
    assert str(tmp_path / "a.meta.json") in message or str(tmp_path / "a.txt") in message


def _spacy_file(path, user_data=None, drop_label=False, ents=False):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin, Span

    doc = Doc(spacy.vocab.Vocab(), words=["Hello", "IOM", "world"])
    if ents:
        doc.ents = [Span(doc, 1, 2, label="NOT_IN_STRINGS")]
    else:
        doc.spans["sc"] = [Span(doc, 1, 2, label="NOT_IN_STRINGS")]
    if user_data is not None:
        doc.user_data["annotator"] = user_data
    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=True)
    docbin.add(doc)
    if drop_label:  # a file whose spans name a string it does not carry (spaCy's E018 and E084)
        docbin.strings.discard("NOT_IN_STRINGS")
    path.write_bytes(docbin.to_bytes())
    return path


@pytest.mark.parametrize("kwargs,reason", [
    ({"user_data": [1, 2]}, "user_data['annotator'] must be a map"),
    ({"user_data": "x"}, "user_data['annotator'] must be a map"),
    ({"user_data": {"spans": [{"start": 0}]}}, "span 1 in user_data must be a map with start, end and label"),
    ({"user_data": {"spans": 5}}, "user_data['annotator']['spans'] must be a list"),
    ({"user_data": {"spans": [5]}}, "span 1 in user_data must be a map with start, end and label"),
    ({"user_data": {"spans": [], "meta": [1]}}, "user_data['annotator']['meta'] must be a map"),
    ({"user_data": {"spans": [], "source": [1]}}, "user_data['annotator']['source'] must be a string"),
    ({"user_data": {"spans": [{"start": 0, "end": 5, "label": "FOO "}]}}, "label name 'FOO ' must be"),
    ({"drop_label": True}, "spaCy cannot read its spans ([E018]"),
    ({"drop_label": True, "ents": True}, "spaCy cannot read its spans ([E084]"),
])
def test_crafted_spacy_files_are_named_by_document(populated, tmp_path, kwargs, reason):
    path = _spacy_file(tmp_path / "crafted.spacy", **kwargs)
    message = refused(populated, path)
    assert message.startswith(f"Error: {path}: document 1: ") and reason in message, message


@pytest.mark.parametrize("line,reason", [
    ('{"text": "ab\\ud800c"}', "the text holds a lone surrogate"),
    ('{"text": "abc", "meta": {"a": ' + DEEP + "}}", "nested too deeply"),
    ('{"text": "abc", "meta": {"a": NaN}}', "NaN is not a JSON value"),
    ('{"text": "abc", "meta": {"n": ' + "1" * 5000 + "}}", "more digits than"),
])
def test_merge_of_a_hostile_bundle_is_one_line(populated, tmp_path, line, reason):
    bundle = tmp_path / "bob.jsonl"
    bundle.write_text(line + "\n")
    before = snapshot(populated)
    result = populated("merge", bundle, ok=False)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {bundle}, line 1: ") and reason in lines[0], result.output
    assert snapshot(populated) == before


def test_unreadable_brat_ann_is_named(populated, tmp_path, monkeypatch):
    import builtins
    import io
    import os

    (tmp_path / "a.txt").write_text(TEXT)
    ann = tmp_path / "a.ann"
    ann.write_text("T1\tORGANISATION 6 9\tIOM\n")
    ann.chmod(0)
    if os.geteuid() == 0:  # root reads anything: the refusal the kernel gives others, given by open()
        real_open = io.open

        def guarded(file, *args, **kwargs):
            if str(file) == str(ann):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)
        monkeypatch.setattr(io, "open", guarded)
    message = refused(populated, "--format", "brat", tmp_path / "a.txt")
    assert message.startswith(f"Error: {ann}: cannot read: Permission denied (nothing was imported")
