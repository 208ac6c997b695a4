"""``annotator sync`` as a reviewer uses it: a shared folder, a git remote, a hostile teammate, no network."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.conftest import Cli

ARTICLE = "The UNODC met IOM in Bali.\nThey pledged US$7 billion to fight smuggling.\n"


def reviewer(tmp_path: Path, name: str, article: str | None = ARTICLE) -> Cli:
    cli = Cli(tmp_path / f"{name}.db")
    if article is not None:
        src = tmp_path / f"{name}-article.txt"
        src.write_text(article, encoding="utf-8")
        cli("import", src)
    return cli


def export(cli: Cli) -> str:
    return cli("export", "--bundle").stdout


def first_doc(cli: Cli) -> str:
    return json.loads(export(cli).splitlines()[0])["id"]


def test_a_shared_folder_brings_the_teammates_work_and_a_second_run_says_nothing_new(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    alice, bob = reviewer(tmp_path, "alice"), reviewer(tmp_path, "bob", None)
    alice("gold", "--curator", "alice", "add", first_doc(alice), 4, 9, "ORGANISATION", "--exact")
    out = alice("sync", shared, "--annotator", "alice").stdout
    assert "reviewers/alice.jsonl" in out and "1 new text(s)" in out
    out = bob("sync", shared, "--annotator", "bob").stdout  # a new reviewer: the corpus comes in with the work
    assert "from texts/: 1 document(s) added" in out and "from alice.jsonl" in out
    assert export(bob) == export(alice)
    # texts once, in texts/, with their metadata beside them, and neither in the reviewers' files
    assert [p.read_text(encoding="utf-8") for p in (shared / "texts").rglob("*.txt")] == [ARTICLE]
    [meta] = (shared / "texts").rglob("*.json")
    assert json.loads(meta.read_text(encoding="utf-8"))["source"].endswith("alice-article.txt")
    mine = (shared / "reviewers" / "alice.jsonl").read_text(encoding="utf-8")
    assert "fight smuggling" not in mine and "alice-article" not in mine
    assert (shared / "reviewers" / "bob.jsonl").read_bytes() == b""  # bob has done nothing yet
    before = {p: p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    for cli, name in ((alice, "alice"), (bob, "bob")):
        assert "nothing new" in cli("sync", shared, "--annotator", name).stdout
    assert {p: p.read_bytes() for p in shared.rglob("*") if p.is_file()} == before
    assert not list(shared.rglob(".*.tmp"))  # no temporary file left behind


def test_a_hostile_teammate_file_is_refused_by_name_and_the_others_still_merge(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    alice = reviewer(tmp_path, "alice")
    doc = first_doc(alice)
    alice("sync", shared, "--annotator", "alice")
    line = {"id": doc}
    good_span = {"id": "m-1", "start": 4, "end": 9, "label": "ORGANISATION", "text": "UNODC", "annotator": "mallory",
                 "created": "2026-01-01T00:00:00.000000+00:00", "updated": "2026-01-01T00:00:00.000000+00:00"}
    bad_span = {**good_span, "id": "m-2", "start": 10, "end": 9000, "text": "x"}
    (shared / "reviewers" / "mallory.jsonl").write_text(
        json.dumps({**line, "spans": [good_span]}) + "\n" + json.dumps({**line, "spans": [bad_span]}) + "\n",
        encoding="utf-8")
    carol = reviewer(tmp_path, "carol", None)
    result = carol("sync", shared, "--annotator", "carol")
    refused = [ln for ln in result.stdout.splitlines() if ln.startswith("refused:")]
    assert len(refused) == 1 and "mallory.jsonl, line 2" in refused[0] and "span 1" in refused[0]
    assert "from texts/: 1 document(s) added" in result.stdout
    spans = json.loads(export(carol).splitlines()[0])["spans"]
    assert spans == []  # mallory's first line, which was fine, did not come in either: nothing half-done
    assert first_doc(carol) == doc


def test_an_altered_text_refuses_the_files_that_need_it_naming_the_text(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    alice = reviewer(tmp_path, "alice")
    alice("gold", "--curator", "alice", "add", first_doc(alice), 4, 9, "ORGANISATION", "--exact")
    alice("sync", shared, "--annotator", "alice")
    [text] = (shared / "texts").rglob("*.txt")
    text.write_text(ARTICLE.replace("7", "9"), encoding="utf-8")
    bob = reviewer(tmp_path, "bob", None)
    out = bob("sync", shared, "--annotator", "bob").stdout
    assert f"its text {text} is not the text of this id" in out and "alice.jsonl, line 1" in out
    assert bob.stats()["documents"] == 0


def test_a_git_remote_round_trip_and_an_unreachable_remote_leaves_the_database_as_it_was(tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    alice, bob = reviewer(tmp_path, "alice"), reviewer(tmp_path, "bob", None)
    alice("gold", "--curator", "alice", "add", first_doc(alice), 4, 9, "ORGANISATION", "--exact")
    out = alice("sync", remote, "--annotator", "alice").stdout
    assert f"pushed to {remote}" in out and "alice.db.sync" in out  # it says where the working copy is
    assert "from alice.jsonl" in bob("sync", f"file://{remote}", "--annotator", "bob").stdout
    assert export(bob) == export(alice)

    before = export(bob)
    gone = f"file://{tmp_path}/nowhere.git"
    result = bob("sync", gone, "--annotator", "bob", ok=False)
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and f"cannot reach {gone}" in message and "nothing was changed" in message
    assert "Traceback" not in result.output
    assert export(bob) == before
    # a newcomer's first sync that cannot reach the remote makes no database
    newcomer = tmp_path / "newcomer.db"
    assert "cannot reach" in Cli(newcomer)("sync", gone, "--annotator", "dan", ok=False).output
    assert not newcomer.exists() and not Path(f"{newcomer}.sync").exists()


def test_a_missing_folder_is_refused_and_nothing_is_made(tmp_path):
    alice = reviewer(tmp_path, "alice")
    result = alice("sync", tmp_path / "typo", "--annotator", "alice", ok=False)
    assert "no such folder" in result.output and "typo" in result.output
    assert not (tmp_path / "typo").exists()
