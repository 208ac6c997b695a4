"""Judge our exports by the real tools: Label Studio and doccano, installed into their own virtual environments
(never this project's), started on 127.0.0.1 with their embedded SQLite, fed our exports through their HTTP APIs,
read back; then their own exports are imported here. Run with the project's Python:

    .venv/bin/python scripts/peer_tools_check.py [--work /tmp/peer-tools] [--ls-venv /tmp/ls] [--dc-venv /tmp/dc]

A missing venv is made and the tool installed into it (slow: minutes). The servers are started by this script and
stopped at its end. It prints one line per check (PASS/FAIL) and exits 1 if any failed; the README quotes a run.
With ``--page-python`` (a Python with ``playwright``) and a Chromium (``--chromium``, ``apt-get install chromium``),
Label Studio's labeling page is opened headless and the characters it highlights are read
and a word is double-clicked there to make a region as a reviewer does (scripts/labelstudio_page_check.py). What it
does not check: doccano's page (the offsets its page makes are made by the API call its page makes: UTF-16 units).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.store import Store  # noqa: E402
from annotator.transfer import export_to, import_paths  # noqa: E402

TEXT = "Hi 😀 𠀀 UNODC and IOM met in Vienna.\nThe Bali Process 🇦🇺 met again."
SPANS = [("UNODC", "ORGANISATION", "alice", "check the acronym"), ("IOM", "ORGANISATION", "a.a@a.net", ""),
         ("Bali Process", "ORGANISATION", "bob", ""), ("met again", "COMMITMENT", "alice", "")]
LABELS = ("ORGANISATION", "COMMITMENT")
RESULTS: list[tuple[bool, str]] = []


def check(ok: bool, what: str) -> bool:
    RESULTS.append((bool(ok), what))
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    return bool(ok)


def http(method: str, url: str, body=None, headers=None, raw: bool = False):
    data = None
    headers = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif body is not None:
        data = body
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            payload = response.read()
            return response.status, payload if raw else _json(payload)
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read())


def _json(payload: bytes):
    try:
        return json.loads(payload)
    except ValueError:
        return payload.decode("utf-8", "replace")


def multipart(field: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def wait_for(url: str, seconds: int = 300) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def ensure_venv(venv: Path, packages: list[str]) -> None:
    if (venv / "bin" / "python").exists():
        return
    print(f"installing {' '.join(packages)} into {venv} (several minutes)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *packages], check=True)


def sample_database(path: Path) -> tuple[Store, set]:
    store = Store(path)
    store.ensure_labels(set(LABELS))
    doc_id = store.add_document(TEXT, title="peer check")[0].id
    expected = set()
    for phrase, label, who, note in SPANS:
        at = TEXT.index(phrase)
        store.add_span(doc_id, at, at + len(phrase), label, who, note=note)
        expected.add((phrase, label, who))
    return store, expected


def spans_of(store: Store) -> set:
    out = set()
    for row in store.list_documents(limit=100):
        text = store.document_text(row.id)
        out |= {(text[s.start:s.end], s.label, s.annotator) for s in store.spans(row.id)}
    return out


# -- Label Studio ---------------------------------------------------------------------------------------------

LS_TOKEN = "0123456789abcdef0123456789abcdef01234567"
LS_CONFIG = ('<View><Labels name="label" toName="text">' + "".join(f'<Label value="{l}"/>' for l in LABELS)
             + '</Labels><Text name="text" value="$text"/></View>')


def label_studio(venv: Path, work: Path, port: int, store: Store, expected: set, procs: list,
                 page: tuple[str, str] | None = None) -> None:
    data = work / "ls-data"
    env = dict(os.environ, LABEL_STUDIO_BASE_DATA_DIR=str(data), COLLECT_ANALYTICS="false")
    log = open(work / "label-studio.log", "w")
    procs.append(subprocess.Popen(
        [str(venv / "bin" / "label-studio"), "start", "--no-browser", "--internal-host", "127.0.0.1", "-p", str(port),
         "--username", "checker@example.com", "--password", "check12345", "--user-token", LS_TOKEN],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/api/version", 600)
    # Label Studio 1.17+ disables legacy tokens per organisation; this instance is ours, so allow the one we set
    enable = ('exec("from organizations.models import Organization\\nfor o in Organization.objects.all():\\n'
              '    j = o.jwt\\n    j.legacy_api_tokens_enabled = True\\n    j.save()\\n")\n')
    subprocess.run([str(venv / "bin" / "label-studio"), "shell"], input=enable, text=True, env=env,
                   capture_output=True, timeout=300)
    auth = {"Authorization": f"Token {LS_TOKEN}"}
    status, version = http("GET", f"{base}/api/version", headers=auth)
    print(f"Label Studio {version.get('release') if isinstance(version, dict) else version}", flush=True)

    ours = work / "ours-labelstudio.json"
    export_to(store, ours, fmt="labelstudio")
    status, project = http("POST", f"{base}/api/projects/", {"title": "annotator check", "label_config": LS_CONFIG},
                           auth)
    if not check(status == 201, f"Label Studio: project created ({status})"):
        return
    pid = project["id"]
    # what our exports wrote before: completed_by naming a user Label Studio does not have
    old = json.loads(ours.read_text())
    for task in old:
        for a in task["annotations"]:
            a["completed_by"] = {"email": "alice@annotator"}
    status, answer = http("POST", f"{base}/api/projects/{pid}/import", json.dumps(old).encode(),
                          dict(auth, **{"Content-Type": "application/json"}))
    why = answer.get("validation_errors") if isinstance(answer, dict) else answer
    check(status == 400, f"Label Studio refuses the old export's completed_by ({status}: {why})")
    status, answer = http("POST", f"{base}/api/projects/{pid}/import", ours.read_bytes(),
                          dict(auth, **{"Content-Type": "application/json"}))
    check(status == 201 and answer.get("annotation_count") == 3,
          f"Label Studio imports our export ({status}: {answer.get('task_count')} task, "
          f"{answer.get('annotation_count')} annotations)" if isinstance(answer, dict) else f"({status}: {answer})")
    status, exported = http("GET", f"{base}/api/projects/{pid}/export?exportType=JSON", headers=auth)
    if not check(status == 200 and isinstance(exported, list), f"Label Studio exports the project ({status})"):
        return
    (work / "labelstudio_export.json").write_text(json.dumps(exported, ensure_ascii=False, indent=1))
    values = [(t["data"]["text"], r["value"]) for t in exported for a in t["annotations"] for r in a["result"]]
    on_chars = all(text[v["start"]:v["end"]] == v["text"] for text, v in values)
    check(on_chars and len(values) == len(SPANS),
          f"Label Studio keeps {len(values)} regions, each on its characters counted in code points")
    kept = exported[0].get("meta", {}).get("annotator_reviewers")
    check(kept is not None and sorted(kept) == sorted({w for _, _, w, _ in SPANS}),
          f"Label Studio keeps the reviewers' names in task.meta ({sorted(kept or {})})")
    if page is not None:
        page_check(base, work, auth, page, pid, exported[0]["id"], ours)
    back = Store(work / "from-labelstudio.db")
    import_paths(back, [work / "labelstudio_export.json"], annotator="importer")
    got = spans_of(back)
    check(got == expected, f"its export imported here: {len(got)} spans, same texts, labels and reviewers")
    notes = [s.note for r in back.list_documents(limit=5) for s in back.spans(r.id) if s.note]
    check(notes == ["check the acronym"], f"region notes come back ({notes})")
    back.close()
    label_studio_relations(base, auth, work)
    label_studio_predictions(base, auth, work)


def linked_record():
    """The issue 14 example as a record: a commitment, its ACTOR (IOM, linked to the registry), its AMOUNT (value,
    unit), a figure marked approximate, the commitment's kind."""
    from annotator.formats.common import make_record
    from annotator.formats.links import Links

    def at(phrase):
        i = LINKED_TEXT.index(phrase)
        return i, i + len(phrase), phrase

    spans = [(*at("China will strengthen cooperation with IOM"), "COMMITMENT"), (*at("IOM"), "ORGANISATION"),
             (*at("US$7 billion"), "FIGURE"), (*at("more than 90 delegates"), "FIGURE")]
    rec = make_record(LINKED_TEXT, [(s, e, label, phrase, "alice", "") for s, e, phrase, label in spans])
    commitment, iom, money, delegates = rec.spans
    links = Links(rec)
    links.relation(commitment, iom, "ACTOR", "check")
    links.relation(commitment, money, "AMOUNT", "check")
    for span, name, value in ((iom, "entity", "IOM"), (money, "value", 7_000_000_000), (money, "unit", "USD"),
                              (delegates, "value", 90), (delegates, "approximate", True), (commitment, "kind", "pledge")):
        links.attribute(span, name, value, "check")
    return rec


LINKED_TEXT = "China will strengthen cooperation with IOM \U0001F600 and pledged US$7 billion; more than 90 delegates met."


def links_of(rec) -> tuple[list, list]:
    text = {s.id: (s.text, s.label) for s in rec.spans}
    return (sorted((text[r.head], r.type, text[r.child]) for r in rec.relations),
            sorted((text[a.span_id], a.name, a.value) for a in rec.attributes))


def label_studio_relations(base: str, auth: dict, work: Path) -> None:
    """Our Label Studio export of relations and per-region attributes, into a project whose config is the one
    'annotator relations --labelstudio-config' prints, and back."""
    from annotator.core.labels import default_labels
    from annotator.core.relation_scheme import default_attribute_defs, default_relation_types
    from annotator.formats import Options, labelstudio
    from annotator.formats.labelstudio_links import labeling_config

    rec = linked_record()
    ours = work / "ours-labelstudio-relations.json"
    with open(ours, "w", encoding="utf-8") as out:
        labelstudio.write([rec], out, Options())
    config = labeling_config(default_labels(), default_relation_types(), default_attribute_defs())
    status, project = http("POST", f"{base}/api/projects/", {"title": "relations", "label_config": config}, auth)
    if not check(status == 201, f"Label Studio takes our labeling config with relations and per-region controls "
                                f"({status}: {str(project)[:200]})"):
        return
    pid = project["id"]
    status, answer = http("POST", f"{base}/api/projects/{pid}/import", ours.read_bytes(),
                          dict(auth, **{"Content-Type": "application/json"}))
    check(status == 201 and answer.get("annotation_count") == 1,
          f"Label Studio imports our export with relations and attributes ({status}: {str(answer)[:200]})")
    status, exported = http("GET", f"{base}/api/projects/{pid}/export?exportType=JSON", headers=auth)
    if not check(status == 200 and isinstance(exported, list), f"Label Studio exports it ({status})"):
        return
    path = work / "labelstudio_relations_export.json"
    path.write_text(json.dumps(exported, ensure_ascii=False, indent=1))
    back = list(labelstudio.read(path, Options(annotator="importer")))
    got = links_of(back[0]) if back and not isinstance(back[0], Exception) else None
    check(got == links_of(rec), f"its export read here: relations and attributes as ours ({got})")




TAGGED_TEXT = "Harbour Watch patrolled the coast."
SUGGESTED_TEXT = "😀 𠀀 In Vienna Harbour Watch and UNODC said 350 Pakistani nationals were returned by IOM."


def label_studio_predictions(base: str, auth: dict, work: Path) -> None:
    """``annotator export --suggestions --format labelstudio`` (issue 13): the suggestions as pre-annotations, one
    prediction per source, into a project; Label Studio's own export of it gives the same regions on the same
    characters, with their sources and scores, and reads back here as spans of ``prediction:SOURCE``."""
    from annotator.formats import Options, labelstudio
    from annotator.suggest import Suggester
    from annotator.suggest.export import write

    store = Store(work / "suggested.db")
    store.ensure_labels({"ORGANISATION", "FIGURE", "COMMITMENT"})
    tagged = store.add_document(TAGGED_TEXT, title="tagged")[0].id
    store.add_span(tagged, 0, len("Harbour Watch"), "ORGANISATION", "alice")  # the corpus suggests it again
    doc = store.add_document(SUGGESTED_TEXT, title="to review")[0].id
    suggester = Suggester(store, ("corpus", "patterns"))
    found = suggester.for_document(doc)
    suggester.close()
    ours = work / "ours-labelstudio-predictions.json"
    with open(ours, "w", encoding="utf-8") as out:
        write([(doc, "to review", SUGGESTED_TEXT, found)], out, "labelstudio")
    store.close()
    wanted = sorted((s.text, s.label, s.source, s.score) for s in found)
    config = ('<View><Labels name="label" toName="text">' + "".join(
        f'<Label value="{l}"/>' for l in ("ORGANISATION", "FIGURE", "COMMITMENT")) + '</Labels><Text name="text" '
        'value="$text"/></View>')
    status, project = http("POST", f"{base}/api/projects/", {"title": "suggestions", "label_config": config}, auth)
    if not check(status == 201, f"Label Studio: project for our suggestions created ({status})"):
        return
    pid = project["id"]
    sources = {s.source for s in found}
    status, answer = http("POST", f"{base}/api/projects/{pid}/import", ours.read_bytes(),
                          dict(auth, **{"Content-Type": "application/json"}))
    check(status == 201 and isinstance(answer, dict) and answer.get("prediction_count") == len(sources),
          f"Label Studio imports our suggestions as predictions ({status}: {str(answer)[:200]}; "
          f"{len(found)} suggestions from {sorted(sources)})")
    status, exported = http("GET", f"{base}/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true",
                            headers=auth)  # a task with predictions only is not "annotated": asked for all
    if not check(status == 200 and isinstance(exported, list) and exported, f"Label Studio exports it ({status})"):
        return
    task = exported[0]
    # its JSON export names a task's predictions by id: each is read from its API, and put in the task
    full = []
    for p in task.get("predictions", []):
        if not isinstance(p, dict):
            status, p = http("GET", f"{base}/api/predictions/{p}/", headers=auth)
        full.append(p)
    task["predictions"] = full
    path = work / "labelstudio_predictions_export.json"
    path.write_text(json.dumps(exported, ensure_ascii=False, indent=1))
    got = sorted((r["value"]["text"], r["value"]["labels"][0], p["model_version"], r.get("score"))
                 for p in task.get("predictions", []) for r in p["result"])
    on_chars = all(task["data"]["text"][r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
                   for p in task.get("predictions", []) for r in p["result"])
    check(got == wanted and on_chars, f"its export: the same {len(got)} regions on their characters (code points), "
                                      f"each with its source as model_version and its score ({got[:3]}…)")
    back = [r for r in labelstudio.read(path, Options(annotator="importer")) if not isinstance(r, Exception)]
    spans = sorted((s.text, s.label, s.annotator) for r in back for s in r.spans)
    check(spans == sorted((s.text, s.label, f"prediction:{s.source}") for s in found),
          f"read back here as spans of prediction:SOURCE ({len(spans)})")


def page_check(base: str, work: Path, auth: dict, page: tuple[str, str], pid: int, tid: int, ours: Path) -> None:
    """Label Studio's page, in headless Chromium: where it draws our export's regions (code points), and where it
    draws the same regions in UTF-16 units, as our exports wrote them before for texts beyond U+FFFF."""
    python, chromium = page
    old = json.loads(ours.read_text())
    for task in old:
        text = task["data"]["text"]
        for a in task["annotations"]:
            for r in a["result"]:
                v = r["value"]
                v["start"], v["end"] = (len(text[:v["start"]].encode("utf-16-le")) // 2,
                                        len(text[:v["end"]].encode("utf-16-le")) // 2)
    status, project = http("POST", f"{base}/api/projects/", {"title": "utf-16 offsets", "label_config": LS_CONFIG},
                           auth)
    http("POST", f"{base}/api/projects/{project['id']}/import", json.dumps(old).encode(),
         dict(auth, **{"Content-Type": "application/json"}))
    status, tasks = http("GET", f"{base}/api/projects/{project['id']}/export?exportType=JSON", headers=auth)
    run = subprocess.run([python, str(Path(__file__).with_name("labelstudio_page_check.py")), base,
                          "checker@example.com", "check12345", chromium, f"{pid}:{tid}",
                          f"{project['id']}:{tasks[0]['id']}", f"{pid}:{tid}:Vienna:ORGANISATION"],
                         capture_output=True, text=True, timeout=600)
    lines = [json.loads(l) for l in run.stdout.splitlines() if l.startswith("{")]
    if not check(len(lines) == 3, f"Label Studio's page opened in headless Chromium ({run.stderr[-300:]})"):
        return
    phrases = {p for p, _, _, _ in SPANS}
    ours_drawn, old_drawn = lines[0]["highlighted"], lines[1]["highlighted"]
    check(ours_drawn and set(ours_drawn) <= phrases,
          f"its page draws our regions on their words: {ours_drawn}")
    check(old_drawn and not set(old_drawn) <= phrases,
          f"the previous export's UTF-16 offsets drawn off their words: {old_drawn}")
    status, after = http("GET", f"{base}/api/projects/{pid}/export?exportType=JSON", headers=auth)
    made = [r["value"] for t in after for a in t["annotations"] for r in a["result"] if r["value"]["text"] == "Vienna"]
    at = TEXT.index("Vienna")
    check(made and (made[0]["start"], made[0]["end"]) == (at, at + 6),
          f"a region made in its page on 'Vienna' is stored in code points: {[(v['start'], v['end']) for v in made]} "
          f"(code points {at}-{at + 6}, UTF-16 {len(TEXT[:at].encode('utf-16-le')) // 2}-"
          f"{len(TEXT[:at].encode('utf-16-le')) // 2 + 6})")


# -- doccano --------------------------------------------------------------------------------------------------

def doccano(venv: Path, work: Path, port: int, store: Store, expected: set, procs: list) -> None:
    backend = next((venv / "lib").glob("python3*/site-packages/backend"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{work / 'doccano.sqlite3'}")
    doccano_cli = str(venv / "bin" / "doccano")
    subprocess.run([doccano_cli, "init"], env=env, check=True, capture_output=True, timeout=600)
    subprocess.run([doccano_cli, "createuser", "--username", "checker", "--password", "check12345"], env=env,
                   capture_output=True, timeout=300)
    log = open(work / "doccano.log", "w")
    # doccano's own "webserver" command binds 0.0.0.0: run its WSGI app with gunicorn on loopback instead
    procs.append(subprocess.Popen([str(venv / "bin" / "gunicorn"), "--chdir", str(backend), "-b",
                                   f"127.0.0.1:{port}", "-w", "1", "config.wsgi"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True))
    procs.append(subprocess.Popen([str(venv / "bin" / "celery"), "--app=config", f"--workdir={backend}", "worker",
                                   "--concurrency=1", "--loglevel=warning"], cwd=backend, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True))
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/v1/health/", 300)
    status, login = http("POST", f"{base}/v1/auth/login/", {"username": "checker", "password": "check12345"})
    auth = {"Authorization": f"Token {login['key']}"}
    status, project = http("POST", f"{base}/v1/projects", {
        "name": "annotator check", "description": "issue 11", "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject", "allow_overlapping": True, "guideline": "",
        "collaborative_annotation": True}, auth)
    if not check(status == 201, f"doccano: project created ({status})"):
        return
    pid = project["id"]
    ours = work / "ours-doccano.jsonl"
    export_to(store, ours, fmt="doccano")
    result = doccano_upload(base, auth, pid, ours, "SequenceLabeling")
    check(result is not None and not (result.get("result") or {}).get("error"),
          f"doccano imports our doccano export ({str(result)[:120]})")
    status, examples = http("GET", f"{base}/v1/projects/{pid}/examples?limit=50", headers=auth)
    status, types = http("GET", f"{base}/v1/projects/{pid}/span-types", headers=auth)
    names = {t["id"]: t["text"] for t in types}
    example = examples["results"][0]
    status, spans = http("GET", f"{base}/v1/projects/{pid}/examples/{example['id']}/spans", headers=auth)
    got = {(example["text"][s["start_offset"]:s["end_offset"]], names[s["label"]]) for s in spans}
    check(got == {(p, l) for p, l, _, _ in SPANS},
          f"doccano keeps {len(spans)} spans on their characters counted in code points (its files' count)")
    # doccano's page sends UTF-16 offsets: make a span as it would, on "Vienna" after an emoji and 𠀀
    vienna = TEXT.index("Vienna")
    utf16 = len(TEXT[:vienna].encode("utf-16-le")) // 2
    label_id = next(i for i, n in names.items() if n == "ORGANISATION")
    status, made = http("POST", f"{base}/v1/projects/{pid}/examples/{example['id']}/spans",
                        {"start_offset": utf16, "end_offset": utf16 + 6, "label": label_id}, auth)
    check(status == 201, f"a span made as doccano's page makes it (UTF-16 {utf16}-{utf16 + 6}) ({status})")
    status, task = http("POST", f"{base}/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False},
                        auth)
    poll(f"{base}/v1/tasks/status/{task['task_id']}", auth)
    status, archive = http("GET", f"{base}/v1/projects/{pid}/download?taskId={task['task_id']}", headers=auth,
                           raw=True)
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        name = next(n for n in z.namelist() if n.endswith(".jsonl"))
        (work / "doccano_export.jsonl").write_bytes(z.read(name))
    back = Store(work / "from-doccano.db")
    report = import_paths(back, [work / "doccano_export.jsonl"], fmt="doccano", annotator="importer")
    got = {(t, l) for t, l, _ in spans_of(back)}
    want = {(p, l) for p, l, _, _ in SPANS} | {("Vienna", "ORGANISATION")}
    check(got == want, f"its export imported here: {sorted(got)}; report: {' / '.join(report.notes)[:160]}")
    back.close()
    doccano_relations(base, auth, work)


def doccano_relations(base: str, auth: dict, work: Path) -> None:
    """Our doccano export of relations (entities with ids, relations) into a sequence-labelling project with
    relations, as its 'Relation' import reads it, and its export read back here."""
    from annotator.formats import Options, doccano as doccano_format

    rec = linked_record()
    status, project = http("POST", f"{base}/v1/projects", {
        "name": "relations", "description": "issue 14", "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject", "allow_overlapping": True, "use_relation": True, "guideline": "",
        "collaborative_annotation": True}, auth)
    if not check(status == 201, f"doccano: project with relations created ({status})"):
        return
    pid = project["id"]
    ours = work / "ours-doccano-relations.jsonl"
    with open(ours, "w", encoding="utf-8") as out:
        doccano_format.write([rec], out, Options())
    result = doccano_upload(base, auth, pid, ours, "RelationExtraction")
    check(result is not None and not (result.get("result") or {}).get("error"),
          f"doccano imports our export with relations ({str(result)[:160]})")
    status, task = http("POST", f"{base}/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False},
                        auth)
    poll(f"{base}/v1/tasks/status/{task['task_id']}", auth)
    status, archive = http("GET", f"{base}/v1/projects/{pid}/download?taskId={task['task_id']}", headers=auth,
                           raw=True)
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            name = next(n for n in z.namelist() if n.endswith(".jsonl"))
            (work / "doccano_relations_export.jsonl").write_bytes(z.read(name))
    except (zipfile.BadZipFile, StopIteration, TypeError) as exc:
        check(False, f"doccano's export of the relations project ({exc})")
        return
    back = list(doccano_format.read(work / "doccano_relations_export.jsonl", Options(annotator="importer")))
    got = links_of(back[0])[0] if back and not isinstance(back[0], Exception) else back
    check(got == links_of(rec)[0], f"its export read here: the relations as ours ({got})")


def doccano_upload(base: str, auth: dict, pid: int, path: Path, task_name: str):
    """A JSONL file through doccano's upload API, as its import dialog sends it; the task's final status."""
    body, ctype = multipart("filepond", "ours.jsonl", path.read_bytes())
    status, upload = http("POST", f"{base}/v1/fp/process/", body, dict(auth, **{"Content-Type": ctype}))
    status, task = http("POST", f"{base}/v1/projects/{pid}/upload", {
        "uploadIds": [upload], "format": "JSONL", "task": task_name, "column_data": "text",
        "column_label": "label", "delimiter": "", "encoding": "utf_8"}, auth)
    return poll(f"{base}/v1/tasks/status/{task['task_id']}", auth)


def poll(url: str, auth: dict, seconds: int = 180):
    end = time.time() + seconds
    while time.time() < end:
        status, answer = http("GET", url, headers=auth)
        if isinstance(answer, dict) and answer.get("ready"):
            return answer
        time.sleep(1)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default="/tmp/peer-tools", type=Path)
    parser.add_argument("--ls-venv", default="/tmp/ls", type=Path)
    parser.add_argument("--dc-venv", default="/tmp/dc", type=Path)
    parser.add_argument("--ls-port", default=18089, type=int)
    parser.add_argument("--dc-port", default=18090, type=int)
    parser.add_argument("--only", choices=["labelstudio", "doccano"])
    parser.add_argument("--page-python", help="a Python with playwright, to look at Label Studio's page")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium playwright drives")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for stale in args.work.glob("*.db*"):
        stale.unlink()
    store, expected = sample_database(args.work / "source.db")
    procs: list[subprocess.Popen] = []
    try:
        if args.only in (None, "labelstudio"):
            ensure_venv(args.ls_venv, ["label-studio"])
            page = (args.page_python, args.chromium) if args.page_python else None
            label_studio(args.ls_venv, args.work, args.ls_port, store, expected, procs, page)
        if args.only in (None, "doccano"):
            ensure_venv(args.dc_venv, ["doccano", "marshmallow<4", "numpy<2"])
            doccano(args.dc_venv, args.work, args.dc_port, store, expected, procs)
    finally:
        for p in procs:  # each server in its own session: stop it and its workers
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        store.close()
    failed = [w for ok, w in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
