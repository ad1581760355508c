import StagecraftSyntax

/// Reads recorded event logs (CSV, XES, JSON Lines, each optionally gzip-compressed) into
/// cases of paired occurrences. CSV and JSON Lines stream, so a log costs its events, not its
/// bytes; XES is read whole (docs/benchmarks.md).
public enum HistoryReader {
    /// Reads the log at `path` (`-` reads standard input).
    ///
    /// The format comes from `options.format`, else from the extension (`.csv`, `.xes`,
    /// `.jsonl`, `.ndjson`, each optionally `.gz`), else from the content. Gzip is detected from
    /// the magic bytes, whatever the name.
    public static func read(path: String, options: HistoryOptions = HistoryOptions()) throws -> EventLog {
        let file = try open(path)
        defer { file.close() }
        return try read(file, name: path, options: options)
    }

    /// Opens the log at `path` (`-`: standard input) through `FileInput`; a `HistoryError`
    /// ("cannot open file: …") when it cannot be opened or is a directory.
    package static func open(_ path: String) throws -> FileInput {
        do {
            return try FileInput.open(path)
        } catch {
            throw HistoryError(file: path, message: "cannot open file: \(error.reason)")
        }
    }

    /// Reads a log from an open file, in blocks; `name` is used for format detection and in
    /// error messages.
    package static func read(_ file: FileInput, name: String, options: HistoryOptions = HistoryOptions()) throws
        -> EventLog
    {
        try read(.file(file), name: name, options: options)
    }

    /// Reads a log from bytes; `name` is used for format detection and in error messages.
    public static func read(bytes: [UInt8], name: String, options: HistoryOptions = HistoryOptions()) throws
        -> EventLog
    {
        try bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else {
                var one: UInt8 = 0
                return try withUnsafePointer(to: &one) { try read(.memory($0, 0), name: name, options: options) }
            }
            return try read(.memory(base, buf.count), name: name, options: options)
        }
    }

    /// Reads `bytes` as a file is read, `blockSize` bytes at a time: tests and the fuzzer put
    /// block ends everywhere with it. The log must equal what `read(bytes:)` gives.
    static func read(bytes: [UInt8], name: String, options: HistoryOptions, blockSize: Int) throws -> EventLog {
        try bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else {
                var one: UInt8 = 0
                return try withUnsafePointer(to: &one) {
                    try read(.blocks($0, 0, position: 0), name: name, options: options, blockSize: blockSize)
                }
            }
            return try read(.blocks(base, buf.count, position: 0), name: name, options: options, blockSize: blockSize)
        }
    }

    /// Opens the input (inflating gzip), refuses binary files, picks the format, and runs
    /// the reader.
    static func read(_ raw: RawInput, name: String, options: HistoryOptions,
                     blockSize: Int = InputWindow.blockSize) throws -> EventLog {
        var window = try InputWindow(raw, name: name, blockSize: blockSize)
        defer { window.close() }
        try window.ensure(binaryKindBytes, keeping: 0)
        if let kind = binaryKind(window.p, window.end) {
            throw HistoryError(file: name, message: "this looks like \(kind.what), not an event log"
                + (kind.advice.map { "; \($0)" } ?? ""))
        }
        var format = options.format ?? formatFromName(name)
        while format == nil {
            format = sniffFormat(window.p, window.end, complete: window.atEnd)
            if format == nil { try window.more(keeping: 0) }
        }
        var builder = try LogBuilder(file: name, options: options)
        let detection: HistoryDetection
        switch format ?? .csv {
        case .csv: detection = try CSVReader.read(&window, builder: &builder)
        case .xes:
            try window.readAll(keeping: 0)
            detection = try XESReader.read(window.p, window.end, builder: &builder, compressed: window.compressed)
        case .jsonl: detection = try JSONLReader.read(&window, builder: &builder)
        }
        // Names whose bytes differ only where they are not UTF-8 read as the same text (each bad
        // byte is U+FFFD): one activity, as the matcher and every report would show them.
        return builder.finish(detection: detection).mergingActivities(by: { $0 }).log
    }

    /// How many first bytes `binaryKind` looks at.
    static let binaryKindBytes = 4096

    /// The format implied by a file name, ignoring a trailing `.gz`; nil when unknown.
    public static func formatFromName(_ name: String) -> HistoryFormat? {
        var lower = name.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
        if lower.hasSuffix(".xes") || lower.hasSuffix(".xml") { return .xes }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }

    /// What a file that is no text log looks like, with what to do about it, from its first
    /// bytes: workbooks, archives, other compressors and databases are named; anything
    /// else with NUL bytes near the start is "a binary file". Nil for text.
    static func binaryKind(_ p: UnsafePointer<UInt8>, _ n: Int) -> (what: String, advice: String?)? {
        func starts(_ magic: [UInt8]) -> Bool {
            n >= magic.count && magic.indices.allSatisfy { p[$0] == magic[$0] }
        }
        func contains(_ needle: String, within limit: Int) -> Bool {
            let bytes = Array(needle.utf8)
            let end = min(n, limit) - bytes.count
            guard end >= 0 else { return false }
            for i in 0...end where p[i] == bytes[0] {
                if bytes.indices.allSatisfy({ p[i + $0] == bytes[$0] }) { return true }
            }
            return false
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            if contains("xl/", within: 4096) { return ("an XLSX workbook", "export it as CSV") }
            if contains("content.xml", within: 4096) || contains("opendocument.spreadsheet", within: 4096) {
                return ("an OpenDocument spreadsheet", "export it as CSV")
            }
            return ("a ZIP archive", "extract the log from it")
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return ("an Excel 97-2003 workbook (XLS)", "export it as CSV")
        }
        if starts(Array("BZh".utf8)) && n > 3 && (0x31...0x39).contains(p[3]) {
            return ("bzip2-compressed data", "decompress it (bunzip2) or recompress it with gzip")
        }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return ("xz-compressed data", "decompress it (unxz) or recompress it with gzip") }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return ("zstd-compressed data", "decompress it (unzstd) or recompress it with gzip") }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return ("a 7-Zip archive", "extract the log from it") }
        if starts(Array("Rar!".utf8)) { return ("a RAR archive", "extract the log from it") }
        if starts(Array("%PDF".utf8)) { return ("a PDF document", nil) }
        if starts(Array("PAR1".utf8)) { return ("a Parquet file", "export it as CSV") }
        if starts(Array("SQLite format 3".utf8) + [0]) { return ("an SQLite database", "export the events as CSV") }
        // UTF-16 text (a BOM) is text, but not one the readers take.
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) { return ("UTF-16 text", "save it as UTF-8") }
        for i in 0..<min(n, binaryKindBytes) where p[i] == 0 { return ("a binary file (it holds NUL bytes)", nil) }
        return nil
    }

    /// Guesses the format from the first non-blank byte: `<` XES, `{` JSON Lines, else CSV.
    /// Nil when the first `n` bytes are blank and more may follow (`complete` false).
    static func sniffFormat(_ bytes: UnsafePointer<UInt8>, _ n: Int, complete: Bool = true) -> HistoryFormat? {
        var i = 0
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < n, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        guard i < n else { return complete ? .csv : nil }
        if bytes[i] == 60 { return .xes }
        if bytes[i] == 123 { return .jsonl }
        return .csv
    }
}
