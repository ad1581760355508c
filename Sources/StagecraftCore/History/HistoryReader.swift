import Foundation

/// Reads recorded event logs (CSV, XES, JSON Lines, each optionally gzip-compressed).
///
/// All readers stream over the bytes in place, intern activity, resource and case names, and
/// parse timestamps from bytes. The result groups occurrences by case, pairs lifecycle
/// start/complete events first-in-first-out per (case, activity), and reports duplicates,
/// skipped rows and how columns were detected.
public enum HistoryReader {
    /// Reads the log at `path` (`-` reads standard input).
    ///
    /// The format comes from `options.format`, else from the extension (`.csv`, `.xes`,
    /// `.jsonl`, `.ndjson`, each optionally `.gz`), else from the content. Gzip is detected from
    /// the magic bytes, whatever the name.
    public static func read(path: String, options: HistoryOptions = HistoryOptions()) throws -> EventLog {
        let bytes: [UInt8]
        if path == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HistoryError(file: path, message: "cannot read file")
            }
            bytes = [UInt8](data)
        }
        return try read(bytes: bytes, name: path, options: options)
    }

    /// Reads a log from bytes; `name` is used for format detection and in error messages.
    public static func read(bytes input: [UInt8], name: String, options: HistoryOptions = HistoryOptions()) throws
        -> EventLog
    {
        let compressed = Gzip.isGzip(input)
        let bytes = compressed ? try Gzip.inflate(input, name: name) : input
        let format = options.format ?? formatFromName(name) ?? sniffFormat(bytes)
        var builder = try LogBuilder(file: name, options: options)
        let detection: HistoryDetection = try bytes.withUnsafeBufferPointer { buf in
            var one: UInt8 = 0
            return try withUnsafePointer(to: &one) { dummy in
                let p = buf.baseAddress ?? dummy
                let n = buf.baseAddress == nil ? 0 : buf.count
                switch format {
                case .csv: return try CSVReader.read(p, n, builder: &builder, compressed: compressed)
                case .xes: return try XESReader.read(p, n, builder: &builder, compressed: compressed)
                case .jsonl: return try JSONLReader.read(p, n, builder: &builder, compressed: compressed)
                }
            }
        }
        return builder.finish(detection: detection)
    }

    /// The format implied by a file name, ignoring a trailing `.gz`; nil when unknown.
    public static func formatFromName(_ name: String) -> HistoryFormat? {
        var lower = name.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
        if lower.hasSuffix(".xes") || lower.hasSuffix(".xml") { return .xes }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }

    /// Guesses the format from the first non-blank byte: `<` XES, `{` JSON Lines, else CSV.
    static func sniffFormat(_ bytes: [UInt8]) -> HistoryFormat {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        guard i < bytes.count else { return .csv }
        if bytes[i] == 60 { return .xes }
        if bytes[i] == 123 { return .jsonl }
        return .csv
    }
}
