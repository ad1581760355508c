import Foundation
import StagecraftHistory
import StagecraftSyntax

/// The history options of CLI.md, shared by every subcommand that reads an event log:
/// add `group` to the command's spec, then `options(from:)` and `readLog`.
public enum HistoryCLIOptions {
    /// The options, under their own heading in `--help`. `--timestamp-column` is another
    /// name for `--end-column`.
    static let group = OptionGroup(title: "History options", options: [
        OptionSpec("history-format", .value("F"), "csv, xes or jsonl (default: by extension; .gz is read too)"),
        OptionSpec("case-column", .value("NAME"), "column (CSV) or key (JSONL) of the case id"),
        OptionSpec("activity-column", .value("NAME"), "column or key of the activity"),
        OptionSpec("start-column", .value("NAME"), "column or key of the start time"),
        OptionSpec("end-column", .value("NAME"), "the completion time"),
        OptionSpec("timestamp-column", .value("NAME"), "another name for --end-column"),
        OptionSpec("resource-column", .value("NAME"), "column or key of the resource"),
        OptionSpec("lifecycle-column", .value("NAME"), "column or key of the lifecycle transition"),
        OptionSpec("delimiter", .value("C"), "CSV delimiter: one character, or 'tab' (default: sniffed)"),
        OptionSpec("timezone", .value("ZONE"), default: "UTC", "IANA zone for timestamps without an offset"),
        OptionSpec("timestamp-format", .value("F"),
                   "strftime-style layout of every timestamp, e.g. '%d/%m/%Y %H:%M' (default: ISO 8601 forms, detected)"),
        OptionSpec("skip-bad-rows", .flag, "skip and count malformed rows instead of stopping at the first"),
        OptionSpec("dedupe", .flag, "drop exact duplicate rows"),
    ])

    /// `--history LOG` of the commands that need a log (`replay`, `backtest`, `status`).
    static let log = OptionSpec("history", .value("LOG"),
                                "the event log (CSV, XES or JSON Lines, optionally .gz; - for standard input)")

    /// The history options; a command whose `--history` is optional calls it with
    /// `requireLog`, so that a history option without `--history` is a usage error.
    static func options(from args: ParsedArguments, requireLog: Bool) throws -> HistoryOptions {
        if requireLog, args.value("history") == nil,
           let stray = group.options.first(where: { args.has($0.name) || args.value($0.name) != nil })?.name {
            throw UsageError("--\(stray) applies to --history, which is not given")
        }
        return try options(from: args)
    }

    /// The `HistoryOptions` the parsed arguments ask for; a bad value is a `UsageError`.
    public static func options(from args: ParsedArguments) throws -> HistoryOptions {
        var options = HistoryOptions()
        if let f = args.value("history-format") {
            guard let format = HistoryFormat(rawValue: f.lowercased()) else {
                throw UsageError("unknown history format '\(f)'", help: "use csv, xes or jsonl")
            }
            options.format = format
        }
        let columnOptions: [(option: String, field: HistoryField)] = [
            ("case-column", .caseID), ("activity-column", .activity), ("start-column", .start),
            ("timestamp-column", .end), ("end-column", .end), ("resource-column", .resource),
            ("lifecycle-column", .lifecycle),
        ]
        for (option, field) in columnOptions {
            guard let name = args.value(option) else { continue }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError("--\(option) needs a column name")
            }
            if let other = options.columns[field], other != name {
                throw UsageError("--end-column '\(name)' and --timestamp-column '\(other)' name different columns",
                                 help: "--timestamp-column is another name for --end-column; give one")
            }
            options.columns[field] = name
        }
        if let d = args.value("delimiter") {
            guard let byte = HistoryOptions.delimiter(named: d) else {
                throw UsageError("--delimiter takes one ASCII character or 'tab', not '\(d)'")
            }
            guard byte != 10 && byte != 13 && byte != 34 else {
                throw UsageError("--delimiter cannot be a newline or a double quote")
            }
            options.delimiter = byte
        }
        if let z = args.value("timezone") {
            guard TimeZone(identifier: z) != nil else {
                throw UsageError("unknown time zone '\(z)'", help: "use an IANA name such as UTC or Europe/Amsterdam")
            }
            options.timeZone = z
        }
        if let f = args.value("timestamp-format") {
            do {
                options.timestampFormat = try TimestampFormat(f)
            } catch {
                throw UsageError(error.message, help: error.help)
            }
        }
        options.skipBadRows = args.has("skip-bad-rows")
        options.dedupe = args.has("dedupe")
        return options
    }

    /// Event logs at least this large (bytes on disk) show a "reading…" line on a terminal.
    static let progressBytes = 8_000_000

    /// Reads the log at `path` (`-` is standard input); a `HistoryError` becomes an
    /// `InputError` (exit 2). Large files say "reading LOG…" on a terminal's stderr.
    public static func readLog(_ path: String, options: HistoryOptions, environment: CommandEnvironment)
        throws -> EventLog
    {
        do {
            if path == "-" && !environment.standardInputIsProcess {
                return try HistoryReader.read(bytes: environment.readStandardInput(), name: "-", options: options)
            }
            let file = try HistoryReader.open(path)
            defer { file.close() }
            if environment.stderrIsTerminal, path != "-", let size = file.regularSize, size >= progressBytes {
                environment.progress("reading \(path)…")
            }
            return try HistoryReader.read(file, name: path, options: options)
        } catch let e as HistoryError {
            throw InputError(e.description)
        }
    }

}
