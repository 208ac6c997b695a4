"""The readers' fuzz test at release strength: thousands of mutated files a format instead of the suite's 250.

    python scripts/fuzz_readers.py                       # 3,000 examples for each format
    python scripts/fuzz_readers.py --examples 20000 --format labelstudio --format spacy

The same property as tests/formats/test_fuzz_readers.py (see tests/formats/fuzz.py): each mutated export imports
with every span on its text or is refused with our one-line message naming the file and the database unchanged,
within a deadline. Prints what happened how often; a failure stops with hypothesis's smallest failing example and
exit status 1. Run it before a release, and after adding a reader or touching one.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from hypothesis import HealthCheck, given, settings

    from annotator.store import Store
    from tests.formats import fuzz

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=3000, help="mutated files per format")
    parser.add_argument("--format", dest="formats", action="append", choices=fuzz.FORMATS,
                        help="only this format (repeatable); all of them by default")
    parser.add_argument("--deadline", type=float, default=10, help="seconds an import may take")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        exports = fuzz.exported(tmp)
        for fmt in args.formats or fuzz.FORMATS:
            store = Store(tmp / f"{fmt}.db")
            folder = tmp / f"in-{fmt}"
            folder.mkdir()
            seen: collections.Counter = collections.Counter()
            started = time.perf_counter()

            @given(fuzz.mutated(fmt, exports[fmt]))
            @settings(max_examples=args.examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(files):
                outcome = fuzz.import_mutated(store, folder, fmt, files, args.deadline)
                seen["imported" if outcome == "imported" else "refused: " + outcome.split(": ", 1)[-1][:60]] += 1

            try:
                check()
            except Exception:
                print(f"{fmt}: FAILED after {sum(seen.values())} examples", flush=True)
                raise
            finally:
                store.close()
            total = sum(seen.values())
            print(f"{fmt}: {total} examples in {time.perf_counter() - started:.1f} s, {seen['imported']} imported,"
                  f" {total - seen['imported']} refused; most frequent:")
            for what, n in seen.most_common(6):
                print(f"    {n:6}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
