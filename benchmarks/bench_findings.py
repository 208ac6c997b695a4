"""The findings of a whole corpus, against raw sqlite3 counting the same things with plain GROUP BYs.

    python benchmarks/bench_findings.py --n 100000

The corpus: N articles of about 4 KB in sentences, dated over 2000-2024 by five publishers, each with
--spans spans (COMMITMENT, ORGANISATION, FIGURE in turn; organisations from a list of 12) and, where the database
has relations, --relations ACTOR/PARTNER/AMOUNT relations from its commitments; made once with plain inserts and
kept in the temporary folder for the next run (--fresh makes it again).

Each phase runs in a fresh child process, so its peak resident memory is its own:
  ours:      findings.files.write: the five tables as CSV (one streaming pass, commitments and figures written as made;
             from files.SPLIT_AT documents on, the second half by a second process: CPU time is both processes')
  ours_one:  the same in one process
  html:      findings.report.write: the HTML report (the first 2,000 rows of each long table, the charts)
  compute:   findings.compute alone, rows handed to nobody (what the window's Findings panel waits for)
  panel:     Review > Findings offscreen: time until the dialog is shown, and until its tables are filled
  baseline:  raw sqlite3: commitments per year (json_extract of the date), organisation mentions and documents,
             figures per document, statuses per reviewer: GROUP BYs, nothing else (no sentences, no quotations)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORGS = ["UNODC", "IOM", "UNHCR", "ILO", "Interpol", "Europol", "ASEAN", "the Bali Process", "the European Union",
        "the Ministry of Foreign Affairs", "the Federal Investigation Agency", "the Consular Department"]
FIGURES = ["350 Pakistani nationals", "US$7 billion", "2.4 million people", "more than 90 delegates", "nearly 60 delegates"]
PUBLISHERS = ["China Daily", "Dawn", "BTA", "UNODC", "People's Daily Online (Xinhua)"]


def peak_mb() -> float:
    from benchmarks.synthetic import peak_rss_mb

    return peak_rss_mb()


def article(rng: random.Random, i: int, spans: int) -> tuple[str, list[tuple[int, int, str]]]:
    """About 4 KB of sentences; the spans' (start, end, label), a commitment and its organisation and figure in
    one sentence, as reviewers tag them."""
    from benchmarks.synthetic import WORDS

    parts, tags, n = [f"Article {i}."], [], len(f"Article {i}.")
    k = 0
    while n < 4000 or k < spans:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 20))).capitalize()
        if k < spans:
            label = ("COMMITMENT", "ORGANISATION", "FIGURE")[k % 3]
            what = {"COMMITMENT": "will strengthen cooperation against migrant smuggling",
                    "ORGANISATION": rng.choice(ORGS), "FIGURE": rng.choice(FIGURES)}[label]
            at = n + 1 + len(sentence) + 1
            tags.append((at, at + len(what), label))
            sentence += " " + what
            k += 1
        parts.append(sentence + ".")
        n += 1 + len(sentence) + 1
    return " ".join(parts), tags


def phase_build(db: str, n: int, spans: int, relations: int) -> None:
    import sqlite3
    import uuid

    from annotator.core.text import document_id, sha256
    from annotator.store import Store

    Store(db).close()  # the schema, made empty
    conn = sqlite3.connect(db)
    has_relations = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'relations'").fetchone() is not None
    rng = random.Random(1)
    stamp = "2026-01-01T00:00:00+00:00"
    t = time.perf_counter()
    docs, rows, rels, attrs, made = [], [], [], [], 0
    entity_of = {name: name.replace("the ", "").upper().replace(" ", "-")[:30] for name in ORGS}
    if has_relations:  # the registry, and each organisation linked to its entity, each figure given a value
        with conn:
            conn.executemany("INSERT INTO entities (id, name, kind, country, created, updated) VALUES (?,?,?,?,?,?)",
                             [(e, name, "organisation", "", stamp, stamp) for name, e in entity_of.items()])
    for i in range(n):
        text, tags = article(rng, i, spans)
        doc = document_id(text)
        meta = {"date": f"{rng.randrange(1, 29)}/{rng.randrange(1, 13):02d}/{rng.randrange(2000, 2025)}",
                "publisher": rng.choice(PUBLISHERS)}
        docs.append((doc, f"Article {i}", text, None, sha256(text), json.dumps(meta), stamp))
        ids = []
        for start, end, label in tags:
            sid = str(uuid.UUID(int=rng.getrandbits(128)))
            ids.append((sid, label))
            rows.append((sid, doc, start, end, label, text[start:end], "bench", "", stamp, stamp, None))
            if has_relations and label == "ORGANISATION":
                attrs.append((sid, doc, "entity", json.dumps(entity_of[text[start:end]]), "bench", 0, stamp, None))
            elif has_relations and label == "FIGURE":
                attrs.append((sid, doc, "value", "350", "bench", 1, stamp, None))
                attrs.append((sid, doc, "unit", '"people"', "bench", 1, stamp, None))
        if has_relations:
            heads = [s for s, label in ids if label == "COMMITMENT"]
            for r in range(relations):
                head = heads[r % len(heads)]
                child_label = "ORGANISATION" if r % 3 != 2 else "FIGURE"
                children = [s for s, label in ids if label == child_label]
                rtype = ("ACTOR", "PARTNER", "AMOUNT")[r % 3]
                rels.append((str(uuid.UUID(int=rng.getrandbits(128))), doc, head, rng.choice(children), rtype, "bench",
                             stamp, stamp, None))
        if len(docs) >= 2000 or i == n - 1:
            with conn:
                conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?)", docs)
                conn.executemany("INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
                if rels:
                    conn.executemany("INSERT INTO relations (id, doc_id, head, child, type, annotator, created, "
                                     "updated, deleted) VALUES (?,?,?,?,?,?,?,?,?)", rels)
                    conn.executemany("INSERT INTO span_attributes (span_id, doc_id, name, value, annotator, proposed, "
                                     "updated, deleted) VALUES (?,?,?,?,?,?,?,?)", attrs)
            made += len(rows) + len(rels)
            docs, rows, rels, attrs = [], [], [], []
    conn.execute("ANALYZE")
    conn.close()
    print(json.dumps({"seconds": time.perf_counter() - t, "spans_and_relations": made,
                      "relations": has_relations}))


def children_cpu() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def phase_ours(db: str, one_process: bool = False) -> None:
    import resource

    from annotator.findings import files
    from annotator.store import Store

    if one_process:
        files.SPLIT_AT = 1 << 62
    store = Store(db, readonly=True)
    with tempfile.TemporaryDirectory() as out:
        t, cpu, theirs = time.perf_counter(), time.process_time(), children_cpu()
        found, written = files.write(store, out, "csv")
        elapsed = time.perf_counter() - t
        cpu, theirs = time.process_time() - cpu, children_cpu() - theirs
        size = sum(p.stat().st_size for p in written)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "cpu": cpu + theirs, "peak_mb": peak_mb(), "child_peak_mb": child_mb,
                      "processes": found.processes, "commitments": found.commitment_count,
                      "by_relation": found.with_relations, "figures": found.figure_count, "csv_mb": size / 1e6}))


def phase_html(db: str) -> None:
    from annotator.findings import report
    from annotator.store import Store

    store = Store(db, readonly=True)
    with tempfile.TemporaryDirectory() as out:
        t, cpu = time.perf_counter(), time.process_time()
        found = report.write(store, Path(out) / "report.html")
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        size = (Path(out) / "report.html").stat().st_size
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": peak_mb(), "html_mb": size / 1e6,
                      "commitments": found.commitment_count}))


def phase_compute(db: str) -> None:
    from annotator.findings import compute
    from annotator.store import Store

    store = Store(db, readonly=True)
    t, cpu = time.perf_counter(), time.process_time()
    found = compute(store, keep=1000)
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu, "peak_mb": peak_mb(),
                      "organisations": len(found.organisations)}))


def phase_panel(db: str) -> None:
    """Review > Findings on the corpus, offscreen: how long until the dialog is on screen (the work goes to a
    background job), and until its tables are filled."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator.store import Store
    from annotator.ui.app import application
    from annotator.ui.findings_panel import FindingsDialog

    app = application()
    store = Store(db)
    t = time.perf_counter()
    dialog = FindingsDialog(store)
    dialog.show()
    app.processEvents()
    shown = time.perf_counter() - t
    while dialog.job is not None:
        app.processEvents()
        time.sleep(0.01)
    filled = time.perf_counter() - t
    rows = dialog.models["commitments"].rowCount()
    print(json.dumps({"shown": shown, "filled": filled, "rows": rows, "peak_mb": peak_mb()}))


def phase_baseline(db: str) -> None:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    t, cpu = time.perf_counter(), time.process_time()
    q = conn.execute
    per_year = q("""SELECT substr(json_extract(d.meta, '$.date'), -4), count(*) FROM spans s
                    JOIN documents d ON d.id = s.doc_id WHERE s.deleted IS NULL AND s.label = 'COMMITMENT'
                    GROUP BY 1""").fetchall()
    orgs = q("""SELECT text, count(*), count(DISTINCT doc_id) FROM spans WHERE deleted IS NULL
                AND label = 'ORGANISATION' GROUP BY text""").fetchall()
    figures = q("SELECT doc_id, count(*) FROM spans WHERE deleted IS NULL AND label = 'FIGURE' GROUP BY doc_id").fetchall()
    reviewers = q("SELECT annotator, label, count(*) FROM spans WHERE deleted IS NULL GROUP BY 1, 2").fetchall()
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu, "peak_mb": peak_mb(),
                      "years": len(per_year),
                      "organisations": len(orgs), "documents_with_figures": len(figures), "rows": len(reviewers)}))


def child(phase: str, *args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *map(str, args)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(f"phase {phase} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--spans", type=int, default=7, help="spans per document")
    ap.add_argument("--relations", type=int, default=3, help="relations per document (where the schema has them)")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--phase")
    ap.add_argument("rest", nargs="*")
    a = ap.parse_args()
    if a.phase:
        {"build": lambda: phase_build(a.rest[0], int(a.rest[1]), int(a.rest[2]), int(a.rest[3])),
         "ours": lambda: phase_ours(a.rest[0]), "ours_one": lambda: phase_ours(a.rest[0], True),
         "compute": lambda: phase_compute(a.rest[0]), "html": lambda: phase_html(a.rest[0]),
         "baseline": lambda: phase_baseline(a.rest[0]), "panel": lambda: phase_panel(a.rest[0])}[a.phase]()
        return
    db = Path(tempfile.gettempdir()) / f"bench_findings_{a.n}_{a.spans}_{a.relations}.db"
    if a.fresh or not db.exists():
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        built = child("build", db, a.n, a.spans, a.relations)
        print(f"corpus: {a.n:,} documents, {built['spans_and_relations']:,} spans and relations "
              f"(relations: {'yes' if built['relations'] else 'none, the schema has no relations table'}), "
              f"made in {built['seconds']:.1f} s -> {db}")
    else:
        from annotator.store import Store

        Store(db).close()  # a corpus made by an earlier version gets the schema's newer migrations
        print(f"corpus: {db} (made by an earlier run; --fresh to make it again)")
    base = child("baseline", db)
    comp = child("compute", db)
    page = child("html", db)
    one = child("ours_one", db)
    ours = child("ours", db)
    panel = child("panel", db)
    print(f"baseline (raw sqlite3 GROUP BYs): {base['seconds']:.2f} s (CPU {base['cpu']:.2f} s), "
          f"peak {base['peak_mb']:.0f} MB")
    print(f"findings computed (no files):     {comp['seconds']:.2f} s (CPU {comp['cpu']:.2f} s), peak {comp['peak_mb']:.0f} MB "
          f"({comp['organisations']} organisations)")
    print(f"findings as the HTML report:      {page['seconds']:.2f} s (CPU {page['cpu']:.2f} s), peak "
          f"{page['peak_mb']:.0f} MB ({page['html_mb']:.1f} MB: 2,000 rows a long table)")
    print(f"findings as CSV tables, one process: {one['seconds']:.2f} s (CPU {one['cpu']:.2f} s), "
          f"peak {one['peak_mb']:.0f} MB")
    second = (f" and {ours['child_peak_mb']:.0f} MB in the second process" if ours["processes"] == 2 else
              " (one process: under files.SPLIT_AT documents)")
    print(f"findings as CSV tables:           {ours['seconds']:.2f} s (CPU {ours['cpu']:.2f} s, every process), peak "
          f"{ours['peak_mb']:.0f} MB{second} ({ours['commitments']:,} commitments, {ours['by_relation']:,} by relation, {ours['figures']:,} figures, "
          f"{ours['csv_mb']:.0f} MB of CSV)")
    print(f"ratio (CSV tables / baseline): {ours['seconds'] / base['seconds']:.1f}x wall, "
          f"{ours['cpu'] / base['cpu']:.1f}x CPU; target: under 10 s (the machine's load, shared by others, shows as "
          "wall time over CPU time)")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"Review > Findings: on screen in {panel['shown']:.2f} s (target 1 s), tables filled in "
          f"{panel['filled']:.1f} s ({panel['rows']:,} commitment rows held), peak {panel['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
