/// `stagecraft status FILE --history LOG …`: where every case in flight stands and when it
/// will finish.
enum StatusCommand {
    static let help = """
    Usage: stagecraft status FILE --history LOG [--as-of INSTANT] [--runs N] [--seed S]
                             [--set NAME=VALUE]... [--format text|json|markdown]
                             [--backtest [--cut INSTANT]] [history options]

    Where every case in flight stands, who holds it up, and when it will finish. A case is
    in flight when none of its final nodes is done by --as-of (default: the log's last
    instant). Per case: nodes done, running (since when, by whom), ready (waiting since
    when, for which owner), not yet ready or skipped; overdue SLAs; the forecast of its
    remaining time simulated from its current state (a running node continues with the
    rest of its duration given the time already spent) with every case in flight sharing
    the owners, calibrated on the cases finished by then; P50/P85 completion and the
    chance of meeting the workflow's deadline (counted from the case's first event).

    With --backtest: cut the log at --cut (default: the instant by which 70% of cases have
    started), forecast every case in flight there, and compare with when each really
    finished: mean absolute error of the remaining time against a naive forecast (the
    calibration cases' mean lead time minus the time already spent), P50/P85 coverage.

    Options:
      --history LOG         the event log (CSV, XES or JSON Lines, optionally .gz)
      --as-of INSTANT       look from this instant (YYYY-MM-DD or ISO 8601)
      --runs N              simulated runs, 1 to 100000 (default 100)
      --seed S              random seed (default 1)
      --set NAME=VALUE      give a param a value (repeatable); it then does not vary
      --backtest            measure the forecast against the log's own future
      --cut INSTANT         with --backtest: where to cut the log
      --format FORMAT       text (default), json or markdown

    \(HistoryCLIOptions.help)
    Exit codes: 0 success; 1 FILE has errors; 2 usage error, unreadable file or malformed log row.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(
            arguments, flags: HistoryCLIOptions.flags + ["backtest"],
            options: ["history", "format", "as-of", "cut", "runs", "seed", "set"] + HistoryCLIOptions.valueOptions)
        let format = args.value("format") ?? "text"
        guard ["text", "json", "markdown"].contains(format) else {
            throw UsageError("unknown format '\(format)'", help: "use text, json or markdown")
        }
        guard args.positional.count == 1, let file = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "status needs a FILE" : "status takes one FILE",
                             help: "stagecraft status launch.flow --history runs.csv")
        }
        guard let logPath = args.value("history") else {
            throw UsageError("status needs --history LOG", help: "stagecraft status \(file) --history runs.csv")
        }
        if file == "-" && logPath == "-" { throw UsageError("FILE and --history cannot both be standard input") }
        func instant(_ name: String) throws -> Double? {
            guard let s = args.value(name) else { return nil }
            guard let t = BacktestCommand.parseInstant(s) else {
                throw UsageError("--\(name) takes a date (YYYY-MM-DD) or an ISO 8601 instant, not '\(s)'")
            }
            return t
        }
        let asOf = try instant("as-of")
        let cut = try instant("cut")
        let backtest = args.has("backtest")
        if cut != nil && !backtest { throw UsageError("--cut goes with --backtest") }
        if backtest && asOf != nil { throw UsageError("give --cut with --backtest, not --as-of") }
        let runs = try args.int("runs", default: 100, range: 1...100_000)
        let seed = try args.seed()
        let historyOptions = try HistoryCLIOptions.options(from: args)
        guard let (_, model) = try WorkflowInput.load(file, verb: "forecasting it", environment: environment,
                                                       output: &output) else { return }
        guard !model.nodes.isEmpty else { throw InputError("\(file): the workflow has no stages or gates to forecast") }
        let sets = try ParamOverrides.parse(args.values("set"), model: model)
        let log = try HistoryCLIOptions.readLog(logPath, options: historyOptions, environment: environment)
        let values = model.paramValues(overrides: sets)
        if backtest {
            let result: StatusBacktest.Result
            do {
                result = try StatusBacktest.run(model: model, log: log, values: values, pinned: Set(sets.keys),
                                                cut: cut, runs: runs, seed: seed)
            } catch {
                throw InputError("\(logPath): \(error.description)")
            }
            output.stdout += StatusFormatter.backtest(result, file: file, log: logPath, format: format)
            return
        }
        let result: Status.Result
        do {
            result = try Status.run(model: model, log: log, values: values, pinned: Set(sets.keys),
                                    options: Status.Options(asOf: asOf, runs: runs, seed: seed))
        } catch {
            throw InputError("\(logPath): \(error.description)")
        }
        let formatter = StatusFormatter(result: result, file: file, log: logPath)
        switch format {
        case "json": output.stdout += formatter.json()
        case "markdown": output.stdout += formatter.markdown()
        default: output.stdout += formatter.text()
        }
        output.stderr += result.warnings.map { "stagecraft: warning: \($0)\n" }.joined()
    }
}
