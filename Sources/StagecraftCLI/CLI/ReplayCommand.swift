import StagecraftAnalysis
import StagecraftOutput

/// `stagecraft replay FILE --history LOG [--format text|json|markdown] [history options]`.
enum ReplayCommand {
    static let help = """
    Usage: stagecraft replay FILE --history LOG [--format text|json|markdown] [history options]

    Run the process definition in FILE against recorded history (an event log of past runs):
    per stage occurrences, processing, waiting and sojourn times (mean, median, p85, p95), SLA
    breaches and rework; per case lead time and conformance; per owner and resource load; and
    the bottlenecks ranked by their share of lead time. Activities that match no stage are
    listed with their counts.

    Options:
      --history LOG         the event log (CSV, XES or JSON Lines, optionally .gz; - for stdin)
      --format FORMAT       text (default), json or markdown

    \(HistoryCLIOptions.help)
    Exit codes: 0 success; 1 FILE has errors, or no activity of LOG matches a node; 2 usage
    error, unreadable file or malformed log row.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(arguments, flags: HistoryCLIOptions.flags,
                                             options: ["history", "format"] + HistoryCLIOptions.valueOptions)
        let format = args.value("format") ?? "text"
        guard ["text", "json", "markdown"].contains(format) else {
            throw UsageError("unknown format '\(format)'", help: "use text, json or markdown")
        }
        guard args.positional.count == 1, let file = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "replay needs a FILE" : "replay takes one FILE",
                             help: "stagecraft replay launch.flow --history runs.csv")
        }
        guard let logPath = args.value("history") else {
            throw UsageError("replay needs --history LOG", help: "stagecraft replay \(file) --history runs.csv")
        }
        if file == "-" && logPath == "-" {
            throw UsageError("FILE and --history cannot both be standard input")
        }
        let historyOptions = try HistoryCLIOptions.options(from: args)
        guard let (_, model) = try WorkflowInput.load(file, verb: "replaying it", environment: environment,
                                                       output: &output) else { return }
        let log = try HistoryCLIOptions.readLog(logPath, options: historyOptions, environment: environment)
        if let message = HistoryCoverage.nothingMatches(model: model, log: log, logName: logPath, fileName: file) {
            output.stderr += "stagecraft: error: \(message)\n"
            output.exitCode = 1
            return
        }
        if log.eventCount >= 100_000 {
            environment.progress("replaying \(log.cases.count) cases…")
        }
        let result = Replay.run(model: model, log: log)
        let formatter = ReplayFormatter(model: model, result: result, file: file, log: log)
        switch format {
        case "json": output.stdout += formatter.json()
        case "markdown": output.stdout += formatter.markdown()
        default: output.stdout += formatter.text()
        }
    }
}
