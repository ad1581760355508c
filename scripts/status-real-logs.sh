#!/usr/bin/env bash
# Backtests `stagecraft status` on real event logs: each log is cut at the instant by which
# 70% of its cases have started; the process is drafted with `history draft` (not edited by
# hand) from the cases finished by the cut; `status --backtest` calibrates on those cases,
# forecasts the remaining time of every case in flight at the cut and compares it with when
# each really finished. Prints one table: remaining-time MAE of the forecast (P50) and of
# the naive forecast (calibration mean lead time minus time already spent, floored at 0),
# P50/P85 coverage, and the time of one `status` over the whole log.
#
# The logs are read from ../shared/data beside the repository (or $STAGECRAFT_DATA); the
# script skips with a notice when they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${STAGECRAFT_DATA:-../shared/data}"
if [ ! -d "$DATA" ]; then
  echo "status-real-logs: $DATA not found; skipping (set STAGECRAFT_DATA to the folder of event logs)"
  exit 0
fi
BIN=.build/release/stagecraft
if [ ! -x "$BIN" ] || [ -n "$(find Sources Package.swift -newer "$BIN" -print -quit)" ]; then
  swift build -c release --static-swift-stdlib -Xlinker -no-pie >/dev/null
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# log file, case column, start column, end column
LOGS="PurchasingExample.csv case_id start_time end_time
Production.csv case:concept:name start_timestamp time:timestamp
BPIC_2017_W.csv.gz case_id start_time end_time"

printf '%-22s %6s %10s %10s %6s %6s %6s %9s\n' log cases MAE naive gain P50 P85 status_s
status=0
while read -r file casecol startcol endcol; do
  log="$DATA/$file"
  if [ ! -f "$log" ]; then echo "$file: not found, skipped"; continue; fi
  base=${file%%.*}
  # The cases finished by the cut (every event by then), cut where 70% of cases have started.
  python3 - "$log" "$casecol" "$startcol" "$endcol" "$WORK/$base.train.csv" "$WORK/$base.cut" <<'PY'
import csv, gzip, sys, math
from datetime import datetime, timezone
path, case, start, end, out, cutfile = sys.argv[1:7]
f = gzip.open(path, 'rt', newline='') if path.endswith('.gz') else open(path, newline='')
rows = list(csv.DictReader(f))
def t(s):
    d = datetime.fromisoformat(s.strip().replace(' ', 'T', 1))
    return (d if d.tzinfo else d.replace(tzinfo=timezone.utc)).timestamp()
first, last = {}, {}
for r in rows:
    c = r[case]
    s = t(r[start]) if r[start].strip() else t(r[end])
    e = t(r[end]) if r[end].strip() else s
    first[c] = min(first.get(c, s), s)
    last[c] = max(last.get(c, e), e)
starts = sorted(first.values())
cut = starts[max(0, math.ceil(0.7 * len(starts)) - 1)]
keep = {c for c in first if last[c] <= cut}
with open(out, 'w', newline='') as g:
    w = csv.DictWriter(g, fieldnames=rows[0].keys())
    w.writeheader()
    w.writerows(r for r in rows if r[case] in keep)
open(cutfile, 'w').write(datetime.fromtimestamp(cut, timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
PY
  "$BIN" history draft "$WORK/$base.train.csv" -o "$WORK/$base.flow" >/dev/null
  "$BIN" status "$WORK/$base.flow" --history "$log" --backtest --cut "$(cat "$WORK/$base.cut")" --format json \
    > "$WORK/$base.json" 2>/dev/null
  t0=$(date +%s.%N)
  "$BIN" status "$WORK/$base.flow" --history "$log" --format json > /dev/null 2>&1
  t1=$(date +%s.%N)
  python3 - "$WORK/$base.json" "$file" "$t0" "$t1" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1])); name = sys.argv[2]
secs = float(sys.argv[4]) - float(sys.argv[3])
mae, naive = r['mae_s'] / 3600, r['naive_mae_s'] / 3600
gain = 1 - mae / naive if naive > 0 else 0
p50, p85 = r['coverage']['p50'], r['coverage']['p85']
print(f"{name:22s} {r['cases_in_flight']:6d} {mae:9.1f}h {naive:9.1f}h {gain*100:5.0f}% {p50*100:5.0f}% {p85*100:5.0f}% {secs:9.2f}")
sys.exit(0 if gain >= 0.2 and 0.75 <= p85 <= 0.95 else 1)
PY
done <<< "$LOGS"
exit $status
