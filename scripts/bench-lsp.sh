#!/usr/bin/env bash
# Benchmark `stagecraft lsp` (release build) as an editor sees it:
#   initialize  from starting the server to its answer to `initialize` (goal < 50 ms);
#   re-check    from sending an incremental didChange of a 300-line file to receiving its
#               diagnostics (goal < 10 ms).
# Reports medians (RUNS server starts, CHANGES edits). Needs python3 for the client.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
CHANGES=${CHANGES:-200}
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: skipping the language server benchmark"
  exit 0
fi
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft >/dev/null
BIN=.build/release/stagecraft

python3 - "$BIN" "$RUNS" "$CHANGES" <<'PY'
import json, os, statistics, subprocess, sys, time

binary, runs, changes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def start():
    return subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def send(p, obj):
    body = json.dumps(obj).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()

def receive(p):
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        byte = p.stdout.read(1)
        if not byte:
            raise SystemExit("the server closed its output")
        header += byte
    length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
    return json.loads(p.stdout.read(length))

def stop(p):
    send(p, {"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
    receive(p)
    send(p, {"jsonrpc": "2.0", "method": "exit"})
    p.wait()

# A 300-line workflow: owners, then a chain of stages of six lines each.
lines = ['workflow "Benchmark" {', '  deadline 60bd', '  owner pm "Product"', '  owner eng "Engineering" { capacity 3 }', '']
i = 0
while len(lines) < 293:
    after = f"    after s{i - 1}\n" if i else ""
    lines += [f'  stage s{i} "Step {i}" {{'] + ([f"    after s{i - 1}"] if i else []) + [
        "    owner " + ("pm" if i % 2 else "eng"), "    sla 2bd", "    estimate 1bd..2bd", "  }"]
    i += 1
lines += ['  gate done {', f'    after s{i - 1}', '    approvers pm', '    sla 1bd', '  }', '}']
text = "\n".join(lines) + "\n"
uri = "file:///tmp/benchmark.flow"

initialize = []
for _ in range(runs):
    t = time.perf_counter()
    p = start()
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
    receive(p)
    initialize.append((time.perf_counter() - t) * 1000)
    stop(p)

p = start()
send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
receive(p)
send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "stagecraft", "version": 1, "text": text}}})
opened = receive(p)
problems = len(opened["params"]["diagnostics"])
# Each edit types or deletes one character in a stage title (line 6), as typing does.
recheck = []
for k in range(changes):
    change = {"range": {"start": {"line": 5, "character": 15}, "end": {"line": 5, "character": 15 if k % 2 == 0 else 16}},
              "text": "x" if k % 2 == 0 else ""}
    t = time.perf_counter()
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange",
             "params": {"textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [change]}})
    reply = receive(p)
    recheck.append((time.perf_counter() - t) * 1000)
    assert reply["params"]["version"] == k + 2
stop(p)

print(f"file: {text.count(chr(10))} lines, {len(text)} bytes, {problems} diagnostics")
print(f"initialize (start to answer): median {statistics.median(initialize):.1f} ms, max {max(initialize):.1f} ms over {runs} starts (goal < 50 ms)")
print(f"re-check per change:          median {statistics.median(recheck):.2f} ms, p90 {sorted(recheck)[int(len(recheck) * 0.9)]:.2f} ms over {changes} edits (goal < 10 ms)")
PY
