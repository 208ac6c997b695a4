#!/usr/bin/env bash
# The bundle's smoke test (make app runs it): from an empty folder, with no Python on the way, the bundled
# annotator prints its version, imports the bundled articles, exports JSONL, lists the scheme's labels from its
# own resources, writes the findings report with its charts, and keeps the window open on the offscreen platform for two seconds without an error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=$(cd "${1:-$ROOT/dist/annotator}" && pwd)/annotator
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export HOME=$WORK XDG_CONFIG_HOME=$WORK/.config QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
PATH=/usr/bin:/bin   # no venv's python on the way
fail() { echo "app smoke test FAILED: $*" >&2; exit 1; }

want=$(sed -n 's/^version = "\(.*\)"$/annotator, version \1/p' "$ROOT/pyproject.toml")
[ "$("$APP" --version)" = "$want" ] || fail "--version printed $("$APP" --version), not $want"
said=$("$APP" --db x.db import "$ROOT/documents" 2>&1) || fail "import: $said"
[[ $said == *"5 document(s) imported"* ]] || fail "import said: $said"
said=$("$APP" --db x.db export -o corpus.jsonl 2>&1) || fail "export: $said"
[ "$(wc -l < corpus.jsonl)" = 5 ] || fail "export wrote $(wc -l < corpus.jsonl) lines, not 5"
said=$("$APP" --db x.db suggest --source patterns -o suggestions.jsonl 2>&1) || fail "suggest: $said"
grep -q '"text": "UNODC", "source": "patterns"' suggestions.jsonl || fail "no UNODC suggested: $said"
labels=$("$APP" --db x.db labels 2>&1) || fail "labels: $labels"
[[ $labels == *ORGANISATION*FIGURE*COMMITMENT* ]] || fail "the scheme's labels are missing: $labels"
printf '%s\n' '{"text": "UNODC will fund 350 shelters. IOM agreed.", "meta": {"date": "2011-04-05"}, "spans": [{"start": 0, "end": 28, "label": "COMMITMENT"}, {"start": 0, "end": 5, "label": "ORGANISATION"}]}' > tagged.jsonl
said=$("$APP" --db x.db import tagged.jsonl 2>&1) || fail "import of a tagged article: $said"
said=$("$APP" --db x.db findings --format html -o report.html 2>&1) || fail "findings: $said"
[[ $said == *"1 commitment(s)"* ]] || fail "findings said: $said"
grep -q "<svg" report.html || fail "the findings report has no chart (matplotlib missing from the bundle?)"

"$APP" --db x.db gui --annotator alice > gui.out 2> gui.err &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "the window ended within two seconds: $(cat gui.err)"
# the window's suggestions are computed in a child process: in the bundle a "spawn" child that is the executable
# itself (freeze_support), which must start and stay up rather than open a second window or die
for _ in $(seq 30); do pgrep -P "$pid" -f multiprocessing-fork >/dev/null && break; sleep 0.5; done
child=$(pgrep -P "$pid" -f multiprocessing-fork | head -1) || fail "no suggestion process started: $(cat gui.err)"
sleep 1
kill -0 "$child" 2>/dev/null || fail "the suggestion process ended: $(cat gui.err)"
kill "$pid"; wait "$pid" 2>/dev/null || true
! grep -q "Traceback" gui.err || fail "the window wrote a traceback: $(cat gui.err)"
echo "app smoke test passed: $APP (--version, import, export, suggest, labels, findings report, window for 2 s with its suggestion process)"
