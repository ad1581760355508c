import StagecraftSyntax
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput

/// `stagecraft status FILE --history LOG …`: where every case in flight stands and when it
/// will finish.
enum StatusCommand {
    static let runs = SimulationCLIOptions.Runs(standard: Status.Options().runs, max: 100_000)

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft status FILE --history LOG [--as-of INSTANT] [--arrival DURATION] [--runs N] [--seed S]
                                 [--set NAME=VALUE]... [--format text|json|markdown|html]
                                 [--backtest [--cut INSTANT]] [history options]

        Where every case in flight stands, who holds it up, and when it will finish. A case is
        in flight when none of its final nodes is done by --as-of (default: the log's last
        instant). Per case: nodes done, running (since when, by whom), ready (waiting since
        when, for which owner), not yet ready or skipped; overdue SLAs; the forecast of its
        remaining time simulated from its current state (a running node continues with the
        rest of its duration given the time already spent) with every case in flight sharing
        the owners, calibrated on the cases finished by then; P50/P85 completion and the
        chance of meeting the case's deadline: its `deadline` column (a date or an instant),
        else the workflow's deadline counted from its first event. A column named like a
        workflow param sets that param for the case (CSV column, JSON Lines key or XES trace
        attribute; `case:` prefix allowed).

        With --backtest: cut the log at --cut (default: the instant by which 70% of cases have
        started), forecast every case in flight there, and compare with when each really
        finished: mean absolute error of the remaining time against a naive forecast (the
        calibration cases' mean lead time minus the time already spent), P50/P85 coverage.
        """,
        options: [
            HistoryCLIOptions.log,
            OptionSpec("as-of", .value("INSTANT"), "look from this instant (YYYY-MM-DD or ISO 8601)"),
            OptionSpec("arrival", .value("DURATION"), """
                new launches arrive every DURATION after --as-of (30m, 4h, 2d, 1w or 3bd) and compete for \
                the same owners, so the cases in flight are forecast with the work still to come; the new \
                launches themselves are not listed
                """),
            runs.spec,
            SimulationCLIOptions.seed,
            SimulationCLIOptions.set("it then does not vary"),
            OptionSpec("backtest", .flag, "measure the forecast against the log's own future"),
            OptionSpec("cut", .value("INSTANT"), "with --backtest: where to cut the log"),
            .format(["text", "json", "markdown", "html"], """
                html is a one-page dashboard: the cases by risk, what remains of each on a calendar, \
                owner queues; self-contained, prints on A4
                """),
        ],
        groups: [HistoryCLIOptions.group],
        epilogue: "Exit codes: 0 success; 1 FILE has errors; 2 usage error, unreadable file or malformed log row.")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let (file, logPath) = try args.fileAndHistory(of: "status")
        let asOf = try args.instant("as-of")
        let cut = try args.instant("cut")
        let backtest = args.has("backtest")
        if cut != nil && !backtest { throw UsageError("--cut goes with --backtest") }
        if backtest && format == "html" { throw UsageError("--backtest prints text, json or markdown, not html") }
        if backtest && asOf != nil { throw UsageError("give --cut with --backtest, not --as-of") }
        var arrival: Duration?
        if let a = args.value("arrival") {
            guard let d = ParsedArguments.duration(a), d.seconds > 0 else {
                throw UsageError("--arrival takes a duration above zero such as 30m, 4h, 2d, 1w or 3bd, not '\(a)'",
                                 help: "--arrival 2d: a new launch every two days")
            }
            if backtest { throw UsageError("--arrival goes without --backtest") }
            arrival = d
        }
        let runs = try Self.runs.value(in: args)
        let seed = try args.seed()
        let historyOptions = try HistoryCLIOptions.options(from: args)
        guard let (_, model) = try WorkflowInput.load(file, verb: "forecasting it", environment: environment,
                                                       output: &output, nodesTo: "forecast") else { return }
        let sets = try ParamOverrides.parse(args.values("set"), model: model)
        // Keep only the case attributes status reads: a deadline and the workflow's params.
        var readOptions = historyOptions
        readOptions.caseAttributes = Status.caseAttributeNames(model)
        guard let log = try WorkflowInput.readMatchingLog(logPath, options: readOptions, model: model, file: file,
                                                          environment: environment, output: &output) else { return }
        let values = model.paramValues(overrides: sets)
        if backtest {
            let result: StatusBacktest.Result
            do {
                result = try StatusBacktest.run(model: model, log: log, values: values, pinned: Set(sets.keys),
                                                cut: cut, runs: runs, seed: seed)
            } catch {
                if case .located = error { throw InputError(error.description) }
                throw InputError("\(logPath): \(error.description)")
            }
            output.stdout += StatusFormatter.backtest(result, file: file, log: logPath, format: format)
            return
        }
        let result: Status.Result
        do {
            result = try Status.run(model: model, log: log, values: values, pinned: Set(sets.keys),
                                    options: Status.Options(asOf: asOf, runs: runs, seed: seed, arrival: arrival))
        } catch {
            if case .located = error { throw InputError(error.description) }
            throw InputError("\(logPath): \(error.description)")
        }
        output.stdout += StatusFormatter.render(result, file: file, log: logPath,
                                                title: model.workflow.title?.value ?? "Workflow", format: format)
        output.stderr += result.warnings.map { "stagecraft: warning: \($0)\n" }.joined()
    }
}
