"""The review window's speed, offscreen, against a bare Qt text view measured in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--docs 100000]

1. A 1 MB article with 10,000 spans: open and paint it in the window, against a bare QPlainTextEdit showing the
   same text with the same highlights through a QSyntaxHighlighter; with the suggestion sources on (the default:
   corpus and patterns, computed in the suggestion process) and off, and the time until the suggestions are drawn.
2. Adding or removing one span in that article (store commit, repaint of the touched blocks, span list):
   the 95th percentile, at 1,000 and at 10,000 spans.
3. Starting the window on a database of 100,000 documents until it accepts input, and its resident memory
   (in a child process of its own).
4. Relations (issue 14): the same article with 10,000 spans and 5,000 relations between them: open and paint
   (against the bare QPlainTextEdit again), selecting a span (its related spans framed and named, the relations
   list, the attributes panel), adding a relation and undoing it, deleting a span with its relations and undoing
   it: the 95th percentile of each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ("ministers agreed to strengthen cooperation against migrant smuggling and human trafficking while UNODC "
         "IOM and the Bali Process reported 350 cases involving 2.4 million people and US$7 billion").split()
LABELS = ["ORGANISATION", "FIGURE", "COMMITMENT"]


def article(size: int, rng: random.Random) -> str:
    paragraphs, n = [], 0
    while n < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(40, 120))) + "."
        paragraphs.append(words)
        n += len(words) + 2
    return "\n\n".join(paragraphs)[:size].rstrip() + "."


def random_spans(text: str, n: int, rng: random.Random) -> list[tuple[int, int, str]]:
    out = []
    for i in range(n):
        start = rng.randrange(0, len(text) - 60)
        end = start + rng.randrange(3, 60)
        while text[start].isspace():
            start += 1
        while text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end, LABELS[i % 3]))
    return out


def paint(widget, app) -> None:
    widget.viewport().repaint()
    app.processEvents()


def bench_open(app, text: str, spans: list, store, doc_id: str) -> tuple[float, float, float | None, int]:
    from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.ui.main_window import MainWindow
    from PySide6.QtCore import QSettings

    # the baseline: a bare QPlainTextEdit and a QSyntaxHighlighter painting the same spans, blocks known up front
    class Plain(QSyntaxHighlighter):
        def __init__(self, doc, by_block):
            super().__init__(doc)
            self.by_block = by_block
            self.fmt = {l: QTextCharFormat() for l in LABELS}
            for l, c in zip(LABELS, ("#9cc3e0", "#f3d699", "#ebc6da")):
                self.fmt[l].setBackground(QColor(c))

        def highlightBlock(self, block_text):  # noqa: N802
            pos = self.currentBlock().position()
            for s, e, l in self.by_block.get(self.currentBlock().blockNumber(), ()):
                a, b = max(s - pos, 0), min(e - pos, len(block_text))
                self.setFormat(a, b - a, self.fmt[l])

    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    import bisect

    by_block: dict = {}
    for s, e, l in spans:
        for b in range(bisect.bisect_right(starts, s) - 1, bisect.bisect_right(starts, e - 1)):
            by_block.setdefault(b, []).append((s, e, l))

    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.resize(900, 800)
    bare.show()
    t = time.perf_counter()
    bare.setPlainText(text)
    Plain(bare.document(), by_block).rehighlight()
    paint(bare, app)
    baseline = time.perf_counter() - t
    bare.close()

    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.IniFormat)
    window = MainWindow(store, "bench", settings)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    t = time.perf_counter()
    window.open_document(doc_id)
    paint(window.view, app)
    ours = time.perf_counter() - t
    # then until the document's suggestions are drawn (None with the sources off)
    desk, drawn, found = window.suggestions, None, 0
    if desk.sources:
        while not (desk.doc_id == doc_id and desk.cache.fresh(doc_id)) and time.perf_counter() - t < 600:
            app.processEvents()
            time.sleep(0.005)
        drawn, found = time.perf_counter() - t, desk.total or len(desk.items)
    window.suggestions.stop()
    window.close()
    return ours, baseline, drawn, found


def bench_edits(app, store, doc_id: str, text: str, rng: random.Random, n: int = 200) -> float:
    from PySide6.QtCore import QSettings

    from annotator.core import commands as cmd
    from annotator.ui.main_window import MainWindow

    window = MainWindow(store, "bench", QSettings(tempfile.mktemp(suffix=".ini"), QSettings.IniFormat))
    window.resize(1400, 900)
    window.show()
    window.open_document(doc_id)
    window.view.highlighter.finish()  # the idle painting of off-screen blocks is not part of an edit
    paint(window.view, app)
    times = []
    for i in range(n):
        start = rng.randrange(0, len(text) - 40)
        end = start + rng.randrange(3, 30)
        t = time.perf_counter()
        window._run(cmd.AddSpan(doc_id, start, end, LABELS[i % 3], "bench"))
        paint(window.view, app)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        window.undo()
        paint(window.view, app)
        times.append(time.perf_counter() - t)
    window.close()
    return statistics.quantiles(times, n=20)[18]


def insert_spans(store, doc_id: str, text: str, spans: list, rng: random.Random) -> list[str]:
    ids = []
    with store.db.atomic():
        for s, e, l in spans:
            ids.append(f"b{s}-{e}-{l}-{rng.random()}")
            store.conn.execute(
                'INSERT INTO spans (id, doc_id, start, "end", label, text, annotator, created, updated) '
                "VALUES (?,?,?,?,?,?,?,?,?)", (ids[-1], doc_id, s, e, l, text[s:e], "bench", "t", "t"))
    return ids


def insert_relations(store, doc_id: str, spans: list, ids: list[str], n: int) -> int:
    """``n`` relations, each COMMITMENT to the next ORGANISATION (ACTOR) or FIGURE (AMOUNT) in reading order."""
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    made = 0
    with store.db.atomic():
        for k, i in enumerate(order):
            if spans[i][2] != "COMMITMENT":
                continue
            for j in order[k + 1:k + 6]:
                want = {"ORGANISATION": "ACTOR", "FIGURE": "AMOUNT"}.get(spans[j][2])
                if want and made < n:
                    store.conn.execute(
                        "INSERT INTO relations (id, doc_id, head, child, type, annotator, created, updated) "
                        "VALUES (?,?,?,?,?,?,?,?)", (f"r{made}", doc_id, ids[i], ids[j], want, "bench", "t", "t"))
                    made += 1
            if made >= n:
                break
    return made


def bench_relation_edits(app, store, doc_id: str, rng: random.Random, n: int = 100) -> dict[str, float]:
    from PySide6.QtCore import QSettings

    from annotator.core import commands as cmd
    from annotator.core.relation_commands import AddRelation
    from annotator.ui.main_window import MainWindow

    window = MainWindow(store, "bench", QSettings(tempfile.mktemp(suffix=".ini"), QSettings.IniFormat))
    window.resize(1400, 900)
    window.show()
    window.open_document(doc_id)
    window.view.highlighter.finish()
    paint(window.view, app)
    by_id = window.span_pane.model.by_id
    relations = window.relations.list.model.relations
    heads = sorted({r.head for r in relations})
    p95 = lambda times: statistics.quantiles(times, n=20)[18]  # noqa: E731
    select, relate, delete = [], [], []
    for _ in range(n):
        head = by_id[rng.choice(heads)]
        t = time.perf_counter()
        window.select_span(head)
        paint(window.view, app)
        select.append(time.perf_counter() - t)
        child = next(s for s in window.span_pane.spans[window.span_pane.model.row_of(head.id) + 1:]
                     if s.label == "ORGANISATION" and not any(r.child == s.id and r.head == head.id
                                                                for r in relations))
        for command, times in ((AddRelation(head, child, "PARTNER"), relate), (cmd.DeleteSpan(head), delete)):
            t = time.perf_counter()
            window._run(command)
            paint(window.view, app)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            window.undo()
            paint(window.view, app)
            times.append(time.perf_counter() - t)
    window.close()
    return {"select": p95(select), "relate": p95(relate), "delete": p95(delete)}


def startup_child(db: str, reopen_last: bool = False) -> None:
    t = time.perf_counter()
    from PySide6.QtCore import QSettings

    from annotator.store import Store
    from annotator.suggest import set_setting
    from annotator.ui.app import application
    from annotator.ui.main_window import MainWindow, last_document_key

    app = application()
    store = Store(db)
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.IniFormat)
    if reopen_last:  # the reviewer was last reading the final document of the list: it is reopened and selected
        settings.setValue(last_document_key(store.path), store.list_documents(store.document_count() - 1, 1)[0].id)
    window = MainWindow(store, "bench", settings)
    window.show()
    app.processEvents()
    ready = time.perf_counter() - t
    rows = window.doc_model.rowCount()
    window.indexer.stop()
    from benchmarks.synthetic import peak_rss_mb

    print(json.dumps({"seconds": ready, "rss_mb": peak_rss_mb(), "rows": rows,
                      "selected_row": window.doc_list.currentIndex().row()}))


def make_big_db(path: str, n: int) -> None:
    from annotator.core.model import Document
    from annotator.core.text import document_id, sha256
    from annotator.store import Store

    rng = random.Random(7)
    store = Store(path)
    with store.db.atomic():
        batch = []
        for i in range(n):
            text = f"Article {i}\n\n" + article(4000, rng)
            batch.append(Document(document_id(text), text, f"Article {i}", None, sha256(text), {}))
            if len(batch) == 5000:
                store.insert_documents(batch)
                batch = []
        store.insert_documents(batch)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--startup-child")
    parser.add_argument("--reopen-last", action="store_true")
    parser.add_argument("--skip-startup", action="store_true", help="leave out the 100,000-document start-up part")
    a = parser.parse_args()
    if a.startup_child:
        startup_child(a.startup_child, a.reopen_last)
        return

    from annotator.store import Store
    from annotator.suggest import set_setting
    from annotator.ui.app import application

    app = application()
    rng = random.Random(1)
    text = article(1_000_000, rng)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_spans in (1_000, 10_000):
            store = Store(Path(tmp) / f"one{n_spans}.db")
            doc = store.add_document(text)[0]
            spans = random_spans(text, n_spans, rng)
            with store.db.atomic():
                for s, e, l in spans:
                    store.conn.execute(
                        'INSERT INTO spans (id, doc_id, start, "end", label, text, annotator, created, updated) '
                        "VALUES (?,?,?,?,?,?,?,?,?)",
                        (f"b{s}-{e}-{l}-{rng.random()}", doc.id, s, e, l, text[s:e], "bench", "t", "t"),
                    )
            ours, base, drawn, found = bench_open(app, text, spans, store, doc.id)
            set_setting(store, "sources", [])
            off, base_off, _, _ = bench_open(app, text, spans, store, doc.id)
            set_setting(store, "sources", ["corpus", "patterns"])
            p95 = bench_edits(app, store, doc.id, text, rng)
            rows.append((n_spans, ours, off, min(base, base_off), p95, drawn, found))
            store.close()
        # relations: the 10,000-span article with 5,000 relations, the bare view measured again beside it
        store = Store(Path(tmp) / "relations.db")
        doc = store.add_document(text)[0]
        spans = random_spans(text, 10_000, rng)
        made = insert_relations(store, doc.id, spans, insert_spans(store, doc.id, text, spans, rng), 5_000)
        ours, base, _, _ = bench_open(app, text, spans, store, doc.id)
        relation_rows = (len(spans), made, ours, base, bench_relation_edits(app, store, doc.id, rng))
        store.close()
        big = str(Path(tmp) / "big.db")
        starts, made_s = [], 0.0
        if not a.skip_startup:
            t = time.perf_counter()
            make_big_db(big, a.docs)
            made_s = time.perf_counter() - t
            for extra in ([], ["--reopen-last"]):
                out = subprocess.run([sys.executable, __file__, "--startup-child", big, *extra],
                                     capture_output=True, text=True, check=True)
                starts.append(json.loads(out.stdout.strip().splitlines()[-1]))

    print(f"1 MB article ({len(text):,} characters), offscreen:")
    print(f"{'spans':>7} {'open+paint':>11} {'suggestions off':>16} {'bare QPlainTextEdit':>20} {'ratio':>6} "
          f"{'add/remove p95':>15}  suggestions drawn")
    for n_spans, ours, off, base, p95, drawn, found in rows:
        print(f"{n_spans:>7,} {ours * 1000:>9.0f}ms {off * 1000:>14.0f}ms {base * 1000:>18.0f}ms {ours / base:>6.2f} "
              f"{p95 * 1000:>13.1f}ms  {drawn:.1f} s after opening ({found:,} found)")
    for start, how in zip(starts, ("first start", "reopening the last document of the list")):
        print(f"start-up on {start['rows']:,} documents ({how}): {start['seconds']:.2f} s until it accepts input, "
              f"peak RSS {start['rss_mb']:.0f} MB, row {start['selected_row']:,} selected")
    if starts:
        print(f"(the {a.docs:,}-document database was made in {made_s:.0f} s)")
    n_spans, n_rel, ours, base, p95 = relation_rows
    print(f"{n_spans:,} spans and {n_rel:,} relations: open+paint {ours * 1000:.0f} ms, bare QPlainTextEdit "
          f"{base * 1000:.0f} ms, ratio {ours / base:.2f}; 95th percentile: select a related span "
          f"{p95['select'] * 1000:.1f} ms, add a relation or undo it {p95['relate'] * 1000:.1f} ms, delete a span "
          f"with its relations or undo it {p95['delete'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
