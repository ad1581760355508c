#!/usr/bin/env bash
# Real-browser check of `stagecraft report`: renders the launch example (with its example
# history when one exists in examples/launch/) to HTML, opens it in headless Chromium,
# and checks that
#   - the HTML is self-contained (no <script>, no external URLs) and deterministic
#     (two runs give the same bytes);
#   - every <svg> in the HTML parses as XML on its own;
#   - the browser's DOM has the expected charts (CSS classes chart-graph, chart-gantt and,
#     with history/forecast, chart-bottlenecks, chart-sla, chart-leadtime, chart-forecast,
#     chart-cdf) and as many <svg> elements as the HTML;
#   - the screenshot is not blank (decoded with zlib: many colours, enough ink);
#   - printing to PDF (A4) works.
# Then the same for the status dashboard of examples/portfolio (`stagecraft status
# --format html`): self-contained, deterministic, every <svg> parses, the DOM has the summary,
# the portfolio table with a risk colour per case, the what-remains Gantt (chart-status-gantt,
# P50/P85 markers) and the owner queue chart (chart-owner-queue); screenshot not blank; A4 PDF.
# Outputs stay in $OUT (default: a new /tmp/stagecraft-report-check.XXXXXX, printed at the
# end, so runs at the same time cannot delete each other's files) for a human to look at:
# report.html, report.png, report.pdf, dom.html, and status.html, status.png, status.pdf,
# status-dom.html.
#
# Installs Debian's chromium with apt-get when no Chromium is on the PATH (needs root and
# network; fails with a clear message otherwise). Exit 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/stagecraft-report-check.XXXXXX)}
FLOW=${FLOW:-examples/launch/launch.flow}
START=${START:-2026-12-07}
mkdir -p "$OUT"
rm -f "$OUT"/report.html "$OUT"/report2.html "$OUT"/report.png "$OUT"/report.pdf "$OUT"/dom.html \
      "$OUT"/status.html "$OUT"/status2.html "$OUT"/status.png "$OUT"/status.pdf "$OUT"/status-dom.html

fail() { echo "check-report: FAIL: $*" >&2; exit 1; }

find_chromium() {
  local c
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}

if ! CHROME=$(find_chromium); then
  echo "check-report: no Chromium on the PATH; installing Debian's chromium (apt-get)" >&2
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >"$OUT/apt.log" 2>&1; then
    echo "check-report: FAIL: could not install chromium with apt-get (no network, no root, or no apt?)." >&2
    echo "check-report: the apt-get log is in $OUT/apt.log; install Chromium and run again." >&2
    exit 3
  fi
  CHROME=$(find_chromium) || { echo "check-report: FAIL: chromium installed but not on the PATH" >&2; exit 3; }
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed for the checks"

# BIN=path uses a binary already built (e.g. .build/debug/stagecraft) instead of building.
if [ -z "${BIN:-}" ]; then
  echo "check-report: building the release binary" >&2
  swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft >/dev/null
  BIN=.build/release/stagecraft
fi

# HISTORY=LOG (with FLOW=FILE) checks another process, e.g. a 20+ node draft:
#   stagecraft history draft ../shared/data/PurchasingExample.csv -o /tmp/p.flow
#   FLOW=/tmp/p.flow HISTORY=../shared/data/PurchasingExample.csv scripts/check-report.sh
HISTORY=${HISTORY:-}
[ -n "$HISTORY" ] || for candidate in examples/launch/history.csv examples/launch/*.csv examples/launch/*.jsonl examples/launch/*.xes \
                 examples/launch/*.csv.gz examples/launch/*.xes.gz; do
  if [ -f "$candidate" ]; then HISTORY=$candidate; break; fi
done

args=(report "$FLOW" --start "$START")
if [ -n "$HISTORY" ]; then
  args+=(--history "$HISTORY")
  echo "check-report: rendering $FLOW with history $HISTORY" >&2
else
  echo "check-report: rendering $FLOW (no example history in examples/launch/)" >&2
fi
"$BIN" "${args[@]}" -o "$OUT/report.html"
"$BIN" "${args[@]}" -o "$OUT/report2.html"
cmp -s "$OUT/report.html" "$OUT/report2.html" || fail "two runs gave different HTML (not deterministic)"

URL="file://$(cd "$OUT" && pwd)/report.html"
CHROME_FLAGS=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check
              --disable-dev-shm-usage --disable-extensions --user-data-dir="$OUT/chromium-profile")
trap 'rm -rf "$OUT/chromium-profile"' EXIT
run_chrome() { timeout 180 "$CHROME" "${CHROME_FLAGS[@]}" "$@" 2>>"$OUT/chromium.log"; }
: >"$OUT/chromium.log"
# Chromium exits 0 even when the page fails to load, so check what it wrote too.
run_chrome --screenshot="$OUT/report.png" --window-size=1280,2400 "$URL" >/dev/null || fail "chromium --screenshot failed (see $OUT/chromium.log)"
[ -s "$OUT/report.png" ] || fail "chromium wrote no screenshot (see $OUT/chromium.log)"
run_chrome --print-to-pdf="$OUT/report.pdf" --no-pdf-header-footer "$URL" >/dev/null || fail "chromium --print-to-pdf failed (see $OUT/chromium.log)"
[ -s "$OUT/report.pdf" ] || fail "chromium wrote no PDF (see $OUT/chromium.log)"
run_chrome --dump-dom "$URL" >"$OUT/dom.html" || fail "chromium --dump-dom failed (see $OUT/chromium.log)"
grep -q "chart-graph" "$OUT/dom.html" || fail "chromium's DOM dump has no process graph (see $OUT/chromium.log)"

check_page() {
python3 - "$OUT" "$1" <<'PY'
import re, struct, sys, zlib
import xml.etree.ElementTree as ET

out = sys.argv[1]
page = sys.argv[2]
name = "report" if page == "report" else page
problems = []
html = open(f"{out}/{name}.html", encoding="utf-8").read()
dom = open(f"{out}/{'dom' if page == 'report' else page + '-dom'}.html", encoding="utf-8").read()

# Self-contained: no scripts, nothing fetched.
if re.search(r"<script", html, re.I):
    problems.append("the HTML has a <script>")
external = re.findall(r"""(?:src|href)\s*=\s*["'](?!#)([^"']+)""", html, re.I)
external += re.findall(r"url\(\s*['\"]?(?!data:)([^)'\"]+)", html, re.I)
if external:
    problems.append(f"the HTML refers to external resources: {external[:5]}")

# Every <svg> parses as XML on its own.
svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
if not svgs:
    problems.append("the HTML has no <svg>")
for i, svg in enumerate(svgs):
    try:
        root = ET.fromstring(svg)
        if root.find("{http://www.w3.org/2000/svg}title") is None:
            problems.append(f"svg #{i + 1} has no <title>")
        if root.get("role") != "img" or not root.get("viewBox"):
            problems.append(f"svg #{i + 1} lacks role=img or a viewBox")
    except ET.ParseError as e:
        problems.append(f"svg #{i + 1} does not parse as XML: {e}")

# The browser's DOM has the expected charts.
if page == "report":
    expected = ["chart-graph", "chart-gantt"]
    if 'id="history"' in html:
        expected += ["chart-bottlenecks", "chart-sla", "chart-leadtime"]
    if 'id="forecast"' in html:
        expected += ["chart-forecast", "chart-cdf"]
    sections = ["process", "plan"]
else:
    expected = ["chart-status-gantt", "chart-owner-queue"]
    sections = ["portfolio", "owners", "cases"]
    if 'id="summary"' not in dom:
        problems.append("the DOM has no summary sentence")
    rows = re.findall(r'<tr class="risk-([a-z-]+)"', dom)
    pills = re.findall(r'<span class="risk risk-([a-z-]+)"', dom)
    if not rows or len(pills) < len(rows):
        problems.append(f"the portfolio table has {len(rows)} rows with a risk colour and {len(pills)} risk labels")
    for marker in ["marker-p50", "marker-p85", "remaining-p50", "as-of-line"]:
        if f'class="{marker}"' not in dom:
            problems.append(f"the status Gantt has no {marker}")
dom_classes = re.findall(r'<svg\b[^>]*\bclass="([^"]*)"', dom)
for cls in expected:
    if not any(cls in c.split() for c in dom_classes):
        problems.append(f"the DOM has no <svg class=\"… {cls}\">")
if len(dom_classes) != len(svgs):
    problems.append(f"the DOM has {len(dom_classes)} <svg> elements, the HTML {len(svgs)}")
for section in sections:
    if f'id="{section}"' not in dom:
        problems.append(f"the DOM has no section #{section}")

# The screenshot is not blank: decode the PNG and look at its colours.
def decode_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows

try:
    w, h, bpp, rows = decode_png(f"{out}/{name}.png")
    counts, total = {}, 0
    for y in range(0, h, 2):
        row = rows[y]
        for x in range(0, w, 2):
            px = row[x * bpp:x * bpp + 3]
            counts[px] = counts.get(px, 0) + 1
            total += 1
    # Ink: pixels in neither of the two commonest colours (the page and the sheet behind it).
    background = sorted(counts.values(), reverse=True)[:2]
    ink = (total - sum(background)) / total
    print(f"check-report: screenshot {w}x{h}, {len(counts)} colours sampled, {100 * ink:.1f}% ink")
    if len(counts) < 16:
        problems.append(f"the screenshot looks blank ({len(counts)} colours)")
    if ink < 0.03:
        problems.append(f"the screenshot has almost no ink ({100 * ink:.2f}%)")
except Exception as e:
    problems.append(f"cannot read the screenshot: {e}")

pdf = open(f"{out}/{name}.pdf", "rb").read()
pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf))
print(f"check-report: PDF {len(pdf)} bytes, {pages or 'unknown number of'} pages, media boxes {sorted(boxes)}")
if not pdf.startswith(b"%PDF") or len(pdf) < 10_000:
    problems.append("the PDF is missing or too small")
# A4 is 595 x 842 points; Chromium writes it as 594.96 x 841.92.
if not boxes or any(abs(float(w) - 595.3) > 2 or abs(float(h) - 841.9) > 2 for w, h in boxes):
    problems.append(f"the PDF pages are not A4: {sorted(boxes)}")

print(f"check-report: {len(svgs)} charts; DOM classes: {', '.join(sorted(set(c for cl in dom_classes for c in cl.split()) - {'chart'}))}")
if problems:
    for p in problems:
        print(f"check-report: FAIL: {p}", file=sys.stderr)
    sys.exit(1)
print(f"check-report: OK ({out}/{name}.html, {name}.png, {name}.pdf)")
PY
}
check_page report

# The status dashboard of the portfolio example.
echo "check-report: rendering the status dashboard of examples/portfolio" >&2
sargs=(status examples/portfolio/portfolio.flow --history examples/portfolio/history.csv --format html)
"$BIN" "${sargs[@]}" >"$OUT/status.html"
"$BIN" "${sargs[@]}" >"$OUT/status2.html"
cmp -s "$OUT/status.html" "$OUT/status2.html" || fail "two runs of status gave different HTML (not deterministic)"
SURL="file://$(cd "$OUT" && pwd)/status.html"
run_chrome --screenshot="$OUT/status.png" --window-size=1280,2400 "$SURL" >/dev/null || fail "chromium --screenshot of the status page failed"
[ -s "$OUT/status.png" ] || fail "chromium wrote no screenshot of the status page (see $OUT/chromium.log)"
run_chrome --print-to-pdf="$OUT/status.pdf" --no-pdf-header-footer "$SURL" >/dev/null || fail "chromium --print-to-pdf of the status page failed"
[ -s "$OUT/status.pdf" ] || fail "chromium wrote no PDF of the status page (see $OUT/chromium.log)"
run_chrome --dump-dom "$SURL" >"$OUT/status-dom.html" || fail "chromium --dump-dom of the status page failed"
grep -q "chart-status-gantt" "$OUT/status-dom.html" || fail "chromium's DOM dump of the status page has no Gantt (see $OUT/chromium.log)"
check_page status
