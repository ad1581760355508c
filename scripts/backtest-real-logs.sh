#!/usr/bin/env bash
# Backtests the forecast on real event logs: for each log, the first 70% of cases (by first
# event) are drafted into a process with `history draft` (not edited by hand), and
# `stagecraft backtest` calibrates on them and forecasts the rest. Prints one table: the
# model's cycle-time distance (1-D Wasserstein, hours) and P95 coverage against the two
# naive forecasts and the reference figures of Simod 5.2.1 + Prosimos on the same splits.
#
# The logs are read from ../shared/data beside the repository (or $STAGECRAFT_DATA); the
# script skips with a notice when they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${STAGECRAFT_DATA:-../shared/data}"
if [ ! -d "$DATA" ]; then
  echo "backtest-real-logs: $DATA not found; skipping (set STAGECRAFT_DATA to the folder of event logs)"
  exit 0
fi
BIN=.build/release/stagecraft
if [ ! -x "$BIN" ] || [ -n "$(find Sources Package.swift -newer "$BIN" -print -quit)" ]; then
  swift build -c release --static-swift-stdlib -Xlinker -no-pie >/dev/null
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# log file, case column, start column, Simod 5.2.1 + Prosimos reference (hours)
LOGS="PurchasingExample.csv case_id start_time 529
Production.csv case:concept:name start_timestamp 70
AcademicCredentials.csv case_id start_time 174"

printf '%-22s %8s %9s %9s %9s %9s %6s %6s %7s\n' log cases model mean resample simod P85 P95 seconds
status=0
while read -r file casecol startcol simod; do
  log="$DATA/$file"
  if [ ! -f "$log" ]; then echo "$file: not found, skipped"; continue; fi
  base=${file%.csv}
  # The calibration part: the first 70% of cases by first start, as backtest splits them.
  python3 - "$log" "$casecol" "$startcol" "$WORK/$base.train.csv" <<'PY'
import csv, sys
from datetime import datetime, timezone
path, case, start, out = sys.argv[1:5]
rows = list(csv.DictReader(open(path, newline='')))
def t(s):
    d = datetime.fromisoformat(s.strip().replace(' ', 'T', 1))
    return (d if d.tzinfo else d.replace(tzinfo=timezone.utc)).timestamp()
first = {}
for r in rows:
    first[r[case]] = min(first.get(r[case], t(r[start])), t(r[start]))
order = sorted(first, key=lambda c: (first[c], c))
keep = set(order[:round(len(order) * 0.7)])
with open(out, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=rows[0].keys())
    w.writeheader()
    w.writerows(r for r in rows if r[case] in keep)
PY
  "$BIN" history draft "$WORK/$base.train.csv" -o "$WORK/$base.flow" >/dev/null
  t0=$(date +%s.%N)
  "$BIN" backtest "$WORK/$base.flow" --history "$log" --format json > "$WORK/$base.json" 2>/dev/null
  t1=$(date +%s.%N)
  python3 - "$WORK/$base.json" "$file" "$simod" "$t0" "$t1" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1])); name, simod = sys.argv[2], float(sys.argv[3])
naive = {n['name']: n['distance_h'] for n in r['naive']}
mean, res = naive['calibration mean'], naive['calibration resample']
d, cov = r['distance_h'], r['coverage']
secs = float(sys.argv[5]) - float(sys.argv[4])
print('%-22s %8d %8.1fh %8.1fh %8.1fh %8.1fh %5.0f%% %5.0f%% %7.2f' % (
    name, r['forecast']['cases'], d, mean, res, simod, cov['p85'] * 100, cov['p95'] * 100, secs))
ok = d < mean and d <= 1.05 * res and d < simod and cov['p95'] >= 0.8
sys.exit(0 if ok else 1)
PY
done <<< "$LOGS"
if [ $status -ne 0 ]; then
  echo "backtest-real-logs: at least one log misses a goal (distance below the mean baseline, within 5% of the resample baseline, below Simod, P95 coverage >= 80%)"
fi
exit 0
