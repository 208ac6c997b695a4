"""A synthetic corpus: N articles of about 4 KB, 10 spans each, written as canonical JSONL."""
from __future__ import annotations

import json
import random
import uuid

from annotator.core.text import document_id, sha256

WORDS = (
    "the ministers agreed to strengthen cooperation against migrant smuggling and human trafficking across the "
    "region while officials of UNODC IOM and the Bali Process reported 350 cases involving 2.4 million people "
    "and US$7 billion in profits said the deputy director general of the department"
).split()
LABELS = ["ORGANISATION", "FIGURE", "COMMITMENT"]


def article(rng: random.Random, i: int, size: int = 4000) -> str:
    words = [f"Article {i}:"]
    n = len(words[0])
    while n < size:
        w = rng.choice(WORDS)
        words.append(w)
        n += len(w) + 1
    return " ".join(words)


def write_corpus(path, n: int, spans_per_doc: int = 10, seed: int = 1, relations: bool = False) -> None:
    """With ``relations``: 10 relations a document (COMMITMENT -> ORGANISATION or FIGURE, ACTOR or AMOUNT) and a
    unit on each FIGURE span; the texts and spans are the same as without."""
    rng = random.Random(seed)
    ids = random.Random(seed + 1)  # relation ids drawn apart, so the texts and spans are the same with or without
    stamp = "2026-01-01T00:00:00.000000+00:00"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            text = article(rng, i)
            spans = []
            for k in range(spans_per_doc):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randrange(3, 40)
                spans.append({
                    "id": str(uuid.UUID(int=rng.getrandbits(128))), "start": start, "end": end,
                    "label": LABELS[k % 3], "text": text[start:end], "annotator": "bench", "note": "",
                    "created": stamp, "updated": stamp,
                })
            spans.sort(key=lambda s: (s["start"], -s["end"], s["label"], s["annotator"], s["id"]))
            rec = {"id": document_id(text), "text": text,
                   "meta": {"sha256": sha256(text), "source": None, "title": f"Article {i}:"},
                   "spans": spans, "reviews": []}
            if relations:
                heads = [s for s in spans if s["label"] == "COMMITMENT"]
                pairs = [(h, c) for h in heads for c in spans if c["label"] != "COMMITMENT"][:10]
                rec["relations"] = [
                    {"id": str(uuid.UUID(int=ids.getrandbits(128))), "head": h["id"], "child": c["id"],
                     "type": "ACTOR" if c["label"] == "ORGANISATION" else "AMOUNT", "annotator": "bench",
                     "created": stamp, "updated": stamp} for h, c in pairs]
                for s in spans:
                    if s["label"] == "FIGURE":
                        s["attributes"] = {"unit": {"value": "USD", "proposed": False, "updated": stamp}}
            out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


def peak_rss_mb() -> float:
    """Peak resident memory of this process alone (VmHWM starts afresh at exec, unlike ru_maxrss)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")
