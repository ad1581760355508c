import StagecraftAnalysis
import StagecraftOutput

/// `stagecraft replay FILE --history LOG [--format text|json|markdown] [history options]`.
enum ReplayCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft replay FILE --history LOG [--format text|json|markdown] [history options]

        Run the process definition in FILE against recorded history (an event log of past runs):
        per stage occurrences, processing, waiting and sojourn times (mean, median, p85, p95), SLA
        breaches and rework; per case lead time and conformance; per owner and resource load; and
        the bottlenecks ranked by their share of lead time. Activities that match no stage are
        listed with their counts.
        """,
        options: [
            HistoryCLIOptions.log,
            .format(["text", "json", "markdown"]),
        ],
        groups: [HistoryCLIOptions.group],
        epilogue: """
        Exit codes: 0 success; 1 FILE has errors, or no activity of LOG matches a node; 2 usage
        error, unreadable file or malformed log row.
        """)

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let (file, logPath) = try args.fileAndHistory(of: "replay")
        let historyOptions = try HistoryCLIOptions.options(from: args)
        guard let (_, model) = try WorkflowInput.load(file, verb: "replaying it", environment: environment,
                                                       output: &output) else { return }
        guard let log = try WorkflowInput.readMatchingLog(logPath, options: historyOptions, model: model, file: file,
                                                          environment: environment, output: &output) else { return }
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
