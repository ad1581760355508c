#!/usr/bin/env bash
# Drafts a .flow from each of the ten real logs and checks the draft: `check --strict`,
# `fmt --check`, and conformance of the draft replayed against its own log.
# Prints: log, nodes, conformance, seconds (drafting), check, fmt.
# Data: $STAGECRAFT_DATA, else <repo>/../shared/data; skips with a notice when absent.
# Binary: $STAGECRAFT_BIN, else the release build (built when missing).
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${STAGECRAFT_DATA:-$root/../shared/data}"
if [ ! -d "$data" ]; then
    echo "draft-real-logs: $data not found; skipping (set STAGECRAFT_DATA)"
    exit 0
fi
bin="${STAGECRAFT_BIN:-$root/.build/release/stagecraft}"
if [ ! -x "$bin" ]; then
    (cd "$root" && swift build -c release --product stagecraft >/dev/null) || exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-28s %5s %12s %8s %-8s %-5s\n' log nodes conformance seconds check fmt
for f in AcademicCredentials.csv BPIC_2012_W.csv BPIC_2017_W.csv.gz Production.csv PurchasingExample.csv \
         03_repairExample.xes 06_bpic2013_closed.xes 08_receipt.xes bpic2012.xes.gz sepsis.csv; do
    log="$data/$f"
    if [ ! -f "$log" ]; then printf '%-28s missing\n' "$f"; continue; fi
    flow="$out/${f%%.*}.flow"
    t0=$(date +%s.%N)
    "$bin" history draft "$log" -o "$flow" 2>"$out/err" >/dev/null
    rc=$?
    t1=$(date +%s.%N)
    if [ $rc -ne 0 ]; then printf '%-28s draft failed: %s\n' "$f" "$(tail -1 "$out/err")"; continue; fi
    nodes=$(grep -cE '^  (stage|gate) ' "$flow")
    conf=$(sed -n 's/.*conforms for \([0-9<]*%\).*/\1/p' "$flow")
    if "$bin" check --strict "$flow" >/dev/null 2>&1; then chk=ok; else chk=FAIL; fi
    if "$bin" fmt --check "$flow" >/dev/null 2>&1; then fmt=ok; else fmt=FAIL; fi
    printf '%-28s %5s %12s %8.2f %-8s %-5s\n' "$f" "$nodes" "$conf" "$(echo "$t1 - $t0" | bc)" "$chk" "$fmt"
    if [ -n "${KEEP_DRAFTS:-}" ]; then mkdir -p "$KEEP_DRAFTS" && cp "$flow" "$KEEP_DRAFTS/"; fi
done
