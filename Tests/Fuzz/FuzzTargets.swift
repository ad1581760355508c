// libFuzzer entry points, compiled by scripts/fuzz.sh with every library target's sources
// into one module (not a SwiftPM target). One binary holds every target;
// STAGECRAFT_FUZZ_TARGET picks one:
//   flow   .flow bytes through lex, parse, every rule, diagnostics, fmt, and the parse of
//          the formatted text (which must parse to the same tree and be a fixed point);
//   csv, xes, jsonl   the history readers, with and without --skip-bad-rows;
//   gzip   gzip bytes through the streaming inflater and the reader behind it;
//   lsp    a byte stream through the LSP framer and the language server, which has a
//          document open, so edits, hovers and renames reach the language features.
// A finding is a crash (trap, sanitizer report) or a violated property (trap below).
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The target named by STAGECRAFT_FUZZ_TARGET, read once.
private let fuzzTarget: String = getenv("STAGECRAFT_FUZZ_TARGET").map { String(cString: $0) } ?? "flow"

@_cdecl("LLVMFuzzerTestOneInput")
public func stagecraftFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch fuzzTarget {
    case "flow": fuzzFlow(bytes)
    case "csv": fuzzHistory(bytes, name: "fuzz.csv", format: .csv)
    case "xes": fuzzHistory(bytes, name: "fuzz.xes", format: .xes)
    case "jsonl": fuzzHistory(bytes, name: "fuzz.jsonl", format: .jsonl)
    case "gzip": fuzzGzip(bytes)
    case "lsp": fuzzLSP(bytes)
    default:
        fputs("unknown STAGECRAFT_FUZZ_TARGET '\(fuzzTarget)': flow, csv, xes, jsonl, gzip or lsp\n", stderr)
        exit(2)
    }
    return 0
}

/// Stops the run with a message libFuzzer records with the input.
private func violated(_ what: String, _ detail: String) -> Never {
    fputs("FUZZ PROPERTY VIOLATED: \(what)\n\(detail.prefix(2000))\n", stderr)
    abort()
}

func fuzzFlow(_ bytes: [UInt8]) {
    let source = SourceFile(path: "fuzz.flow", bytes: bytes)
    let checked = Checker.check(source)
    _ = DiagnosticFormatter.text([checked], color: false)
    _ = DiagnosticFormatter.json([checked])
    let result = FlowFormatter.format(source)
    guard let formatted = result.formatted else { return }
    let again = Parser.parse(SourceFile(path: "fuzz.flow", text: formatted))
    if again.hasErrors {
        violated("fmt output does not parse", formatted)
    }
    if FormatDump.dump(again.tree) != FormatDump.dump(result.parsed.tree) {
        violated("fmt output parses to another tree", formatted)
    }
    if again.comments.count != result.parsed.comments.count {
        violated("fmt lost a comment", formatted)
    }
    guard let twice = FlowFormatter.format(SourceFile(path: "fuzz.flow", text: formatted)).formatted else {
        violated("fmt output cannot be formatted", formatted)
    }
    if twice != formatted {
        violated("fmt is not idempotent", "first:\n\(formatted)\nsecond:\n\(twice)")
    }
}

func fuzzHistory(_ bytes: [UInt8], name: String, format: HistoryFormat?) {
    // An input whose first line is `#fmt:LAYOUT` is read with --timestamp-format LAYOUT.
    var bytes = bytes
    var layout: TimestampFormat?
    if bytes.starts(with: Array("#fmt:".utf8)) {
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        layout = try? TimestampFormat(String(decoding: bytes[5..<end], as: UTF8.self))
        bytes = Array(bytes[min(end + 1, bytes.count)...])
    }
    for skip in [false, true] {
        var options = HistoryOptions(format: format, skipBadRows: skip)
        options.timestampFormat = layout
        // Read in place and again in 7-byte blocks, as a file is: the two must agree.
        let whole = Result { try HistoryReader.read(bytes: bytes, name: name, options: options) }
        let blocked = Result { try HistoryReader.read(bytes: bytes, name: name, options: options, blockSize: 7) }
        switch (whole, blocked) {
        case (.success(let a), .success(let b)):
            if a.cases != b.cases || a.activities != b.activities || a.eventCount != b.eventCount
                || a.skipped != b.skipped || a.duplicates != b.duplicates || a.identicalDuplicateRows != b.identicalDuplicateRows
            {
                violated("reading in blocks gives another log", String(decoding: bytes.prefix(2000), as: UTF8.self))
            }
        case (.failure(let a), .failure(let b)):
            if "\(a)" != "\(b)" {
                violated("reading in blocks gives another error: \(a) / \(b)", String(decoding: bytes.prefix(2000), as: UTF8.self))
            }
        default:
            violated("reading in blocks succeeds where reading in place fails, or the reverse",
                     String(decoding: bytes.prefix(2000), as: UTF8.self))
        }
        guard case .success(let log) = whole else { continue }
        _ = HistoryDraft.draft(log: log, name: name)
    }
}

func fuzzGzip(_ bytes: [UInt8]) {
    // A low size cap keeps each input cheap; what inflates goes on to the reader the
    // content names (as a `.gz` of unknown kind is read).
    guard let inflated = try? Gzip.inflate(bytes, name: "fuzz.gz", maxOutput: 1 << 22) else { return }
    fuzzHistory(inflated, name: "fuzz.gz", format: nil)
}

/// The document the LSP target opens before the fuzzed stream, so requests on
/// `file:///fuzz.flow` reach hover, completion, rename and formatting.
private let lspSeedDocument = """
workflow "Fuzz" {
  owner pm { capacity 1 }
  stage prd { owner pm  sla 2d }
  gate ok { after prd  owner pm }
}
"""

func fuzzLSP(_ bytes: [UInt8]) {
    var server = LanguageServer(currentDirectory: "/nonexistent-fuzz-dir")
    func send(_ body: String) { _ = server.handle(Array(body.utf8)) }
    send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#)
    let open = JSON.object([("jsonrpc", .string("2.0")), ("method", .string("textDocument/didOpen")),
                            ("params", .object([("textDocument", .object([
                                ("uri", .string("file:///fuzz.flow")), ("version", .int(1)),
                                ("text", .string(lspSeedDocument))]))]))])
    send(open.serialized())
    // The input is a framed stream when it starts like one, else one message body.
    var framer = MessageFramer(maxMessageSize: 1 << 20)
    let events: [MessageFramer.Event] = bytes.starts(with: Array("Content-Length".utf8))
        ? framer.append(bytes) : [.message(bytes)]
    for event in events {
        guard case .message(let body) = event else { continue }
        for reply in server.handle(body) { _ = reply.serialized() }
        if server.exitCode != nil { return }
    }
}
