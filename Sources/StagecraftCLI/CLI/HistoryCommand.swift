import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftOutput

/// `stagecraft history inspect LOG` and `stagecraft history draft LOG [-o FILE]`.
enum HistoryCommand {
    /// The options only `draft` takes.
    static let draftOptions: [OptionSpec] = [
        OptionSpec("output", short: "o", .value("FILE"), "draft: where to write the .flow file (- for standard output)"),
        OptionSpec("min-case-share", .value("P"), default: "1%", "draft: least share of cases for a node or an edge"),
        OptionSpec("max-disorder", .value("P"), default: "5%",
                   "draft: most cases breaking an `after` edge, of those holding both nodes"),
        OptionSpec("sla-percentile", .value("P"), default: "p85", "draft: the sojourn percentile drafted as SLA"),
        OptionSpec("max-nodes", .value("N"), default: "40", "draft: most nodes"),
    ]

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft history inspect LOG [history options]
               stagecraft history draft LOG [-o FILE] [history options]

        inspect  Read an event log and report how it was read: format, columns chosen, timestamp
                 layouts, cases, events, occurrences, resources, lifecycle values, duplicates,
                 skipped rows, and the activities with their event counts.
        draft    Write a starting .flow file from the log with the precedence miner
                 (docs/discovery.md): one node per activity in enough cases, `after` edges the
                 cases keep, optional nodes with `chance`, exclusive branches as a param that
                 varies per case, repeats as gates with `on reject`, `wait`/`estimate` from the
                 log, SLAs at a percentile of sojourn, owners from the resources (capacity: the
                 peak concurrency seen). In fmt layout; written to FILE (see "Writing files"
                 in docs/cli.md), or to standard output without -o or with -o -.

        LOG is a CSV, XES or JSON Lines file (optionally .gz), or - for standard input.
        """,
        options: draftOptions,
        groups: [HistoryCLIOptions.group],
        epilogue: """
        Exit codes: 0 success; 1 the draft did not pass check; 2 usage error, unreadable file or
        malformed log row.
        """)

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        guard let action = arguments.first else {
            throw UsageError("history needs an action: inspect or draft", help: "stagecraft history inspect runs.csv")
        }
        guard action == "inspect" || action == "draft" else {
            throw UsageError("unknown history action '\(action)'",
                             help: didYouMean(action, in: ["inspect", "draft"]) ?? "use inspect or draft")
        }
        let args = try ParsedArguments.parse(Array(arguments.dropFirst()),
                                             spec: (action == "draft" ? draftOptions : []) + HistoryCLIOptions.group.options)
        let path = try args.file(of: "history \(action)", "LOG", example: nil)
        let options = try HistoryCLIOptions.options(from: args)
        let log = try HistoryCLIOptions.readLog(path, options: options, environment: environment)
        if action == "inspect" {
            output.stdout += inspect(log).render() + "\n"
            return
        }
        guard log.occurrenceCount > 0 else {
            throw InputError("\(path): no completed events to draft from")
        }
        let draftOptions = try self.draftOptions(args)
        let text = HistoryDraft.draft(log: log, name: path == "-" ? "standard input" : path, options: draftOptions)
        let target = args.value("output")
        let checked = Checker.check(SourceFile(path: target.flatMap { $0 == "-" ? nil : $0 } ?? "<draft>", text: text))
        if checked.errorCount > 0 {
            // Never write a draft that does not check; show what went wrong.
            output.stderr += DiagnosticFormatter.text([checked], color: false)
            output.stderr += "stagecraft: error: the drafted file does not pass check (please report this)\n"
            output.exitCode = 1
            return
        }
        if let target, target != "-" {
            try Files.write(Array(text.utf8), to: target)
            output.stderr += "wrote \(target): \(checked.model?.nodes.count ?? 0) stages from \(log.cases.count) cases\n"
        } else {
            output.stdout += text
        }
    }

    /// The thresholds given on the command line: shares as `5%`, `0.05` or (percentile) `p85`.
    static func draftOptions(_ args: ParsedArguments) throws -> DraftOptions {
        var o = DraftOptions()
        func share(_ name: String, allowP: Bool = false) throws -> Double? {
            guard let raw = args.value(name) else { return nil }
            var text = raw.trimmingCharacters(in: .whitespaces)
            var scale = 1.0
            if allowP, text.lowercased().hasPrefix("p") { text.removeFirst(); scale = 100 }
            if text.hasSuffix("%") { text.removeLast(); scale = 100 }
            guard let x = Double(text), x.isFinite, x >= 0, x / scale <= 1, !(allowP && x == 0) else {
                throw UsageError("--\(name) needs a share such as 5% or 0.05\(allowP ? " (or p85)" : ""), not '\(raw)'")
            }
            return x / scale
        }
        if let x = try share("min-case-share") { o.minCaseShare = x }
        if let x = try share("max-disorder") { o.maxDisorder = x }
        if let x = try share("sla-percentile", allowP: true) { o.slaPercentile = x }
        if let raw = args.value("max-nodes") {
            guard let k = Int(raw), k >= 1 else { throw UsageError("--max-nodes needs a whole number of at least 1, not '\(raw)'") }
            o.maxNodes = k
        }
        return o
    }
}
