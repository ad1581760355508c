#!/usr/bin/env bash
# Compares `stagecraft replay --format json` with PM4Py on three interval logs of ../shared/data
# (Production.csv, PurchasingExample.csv, BPIC_2012_W.csv): per-activity service time (mean,
# median), case lead time (mean, median) and rework cases per activity must agree to 1 ms.
#
# Not run in CI: it needs the shared data and PyPI. Makes a venv under /tmp (reused across runs),
# installs pm4py and pandas, drafts a .flow for each log with `stagecraft history draft` (one stage
# per frequent activity, `matches` set to the activity) and replays it.
#
# PM4Py side: pm4py.get_service_time (mean and median of end − start per activity),
# pm4py.get_rework_cases_per_activity, and case lead time with pandas as max(end) − min(start)
# per case (pm4py.get_all_case_durations measures between completion timestamps only).
# Naive timestamps are read as UTC on both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-}
for d in ../shared/data /work/shared/data; do
  if [ -z "$DATA" ] && [ -f "$d/INVENTORY.md" ]; then DATA=$(cd "$d" && pwd); fi
done
[ -n "$DATA" ] || { echo "shared/data not found; set DATA=/path/to/data" >&2; exit 2; }
VENV=${VENV:-/tmp/stagecraft-pm4py-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pm4py pandas
fi
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft >/dev/null 2>&1 || swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft
BIN=$PWD/.build/release/stagecraft
WORK=$(mktemp -d /tmp/stagecraft-pm4py.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# name|file|case column|activity column|start column|end column
LOGS=(
  "Production|Production.csv|case:concept:name|concept:name|start_timestamp|time:timestamp"
  "PurchasingExample|PurchasingExample.csv|case_id|activity|start_time|end_time"
  "BPIC_2012_W|BPIC_2012_W.csv|case_id|activity|start_time|end_time"
)
for entry in "${LOGS[@]}"; do
  IFS='|' read -r name file _ <<< "$entry"
  "$BIN" history draft "$DATA/$file" -o "$WORK/$name.flow" 2>/dev/null
  "$BIN" check "$WORK/$name.flow" >/dev/null
  "$BIN" replay "$WORK/$name.flow" --history "$DATA/$file" --format json > "$WORK/$name.json"
done

PYTHONWARNINGS=ignore "$VENV/bin/python" - "$DATA" "$WORK" "${LOGS[@]}" <<'PY' 2>&1 | grep -v -e '^\s*$' -e 'PM4Py' -e '====' -e 'Docs & Examples' -e 'processintelligence' -e 'License' -e 'open-sourcing'
import json, sys
import pandas as pd
import pm4py

data, work = sys.argv[1], sys.argv[2]
TOLERANCE = 0.001  # seconds
worst = 0.0
failures = []
for entry in sys.argv[3:]:
    name, file, case, act, start, end = entry.split("|")
    df = pd.read_csv(f"{data}/{file}", dtype={case: str, act: str})
    for col in (start, end):
        df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
    df = df.rename(columns={case: "case:concept:name", act: "concept:name"})
    df = df.rename(columns={start: "start_timestamp", end: "time:timestamp"})
    df = pm4py.format_dataframe(df, case_id="case:concept:name", activity_key="concept:name",
                                timestamp_key="time:timestamp", start_timestamp_key="start_timestamp")
    service_mean = pm4py.get_service_time(df, aggregation_measure="mean", start_timestamp_key="start_timestamp")
    service_median = pm4py.get_service_time(df, aggregation_measure="median", start_timestamp_key="start_timestamp")
    rework = pm4py.get_rework_cases_per_activity(df)
    per_case = df.groupby("case:concept:name").agg(first=("start_timestamp", "min"), last=("time:timestamp", "max"))
    lead = (per_case["last"] - per_case["first"]).dt.total_seconds()

    with open(f"{work}/{name}.json") as f:
        replay = json.load(f)
    rows = []
    def compare(what, ours, theirs):
        global worst
        diff = abs(float(ours) - float(theirs))
        worst = max(worst, diff)
        rows.append(diff)
        if diff > TOLERANCE:
            failures.append(f"{name}: {what}: stagecraft {ours} vs pm4py {theirs}")
    compared = 0
    for stage in replay["stages"]:
        if len(stage["activities"]) != 1:
            continue
        activity = stage["activities"][0]
        compared += 1
        compare(f"{activity} service mean", stage["processing"]["mean_s"], service_mean[activity])
        compare(f"{activity} service median", stage["processing"]["median_s"], service_median[activity])
        compare(f"{activity} rework cases", stage["rework_cases"], rework.get(activity, 0))
    compare("lead time mean", replay["cases"]["lead_time"]["mean_s"], lead.mean())
    compare("lead time median", replay["cases"]["lead_time"]["median_s"], lead.median())
    if replay["history"]["cases"] != len(per_case):
        failures.append(f"{name}: {replay['history']['cases']} cases vs {len(per_case)}")
    print(f"{name}: {len(per_case)} cases, {len(df)} events, {compared} stages compared, "
          f"{len(rows)} figures, largest difference {max(rows):.6f} s; "
          f"lead time mean {lead.mean():.3f} s, median {lead.median():.3f} s")
for f in failures:
    print("MISMATCH", f)
print(f"largest difference over all figures: {worst:.6f} s (tolerance {TOLERANCE} s)")
print("RESULT:", "agree" if not failures else f"{len(failures)} mismatches")
sys.exit(1 if failures else 0)
PY
exit "${PIPESTATUS[0]}"
