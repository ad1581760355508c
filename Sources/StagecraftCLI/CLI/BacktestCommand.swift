import StagecraftSyntax
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput

/// `stagecraft backtest FILE --history LOG …`: calibrate on the first part of a log,
/// forecast the rest, and compare with what really happened.
enum BacktestCommand {
    static let runs = SimulationCLIOptions.Runs(standard: Backtest.Options().runs, max: 100_000,
                                                about: "simulated runs of the forecast cases")

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft backtest FILE --history LOG [--split 70% | --cutoff INSTANT] [--runs N]
                                   [--seed S] [--set NAME=VALUE]... [--emit-log FILE]
                                   [--format text|json|markdown] [history options]

        How well would the forecast have predicted what really happened? Cases are ordered by
        their first event; the first part calibrates the model (waiting, processing, chance,
        rework, per node), the rest are forecast: simulated arriving at their recorded starts,
        sharing owners, and cut off at the log's last instant exactly as the real cases are.
        Prints real against forecast lead times, the cycle-time distance (1-D Wasserstein, in
        hours), coverage of the forecast P50/P85/P95 (a calibrated forecast gives about
        50/85/95%), the same distance for two naive forecasts (every case takes the calibration
        part's mean lead time; lead times resampled from the calibration part), and per node
        real against simulated runs per case, waiting and processing.
        """,
        options: [
            HistoryCLIOptions.log,
            OptionSpec("split", .value("P"), default: "70%", "share of cases that calibrate, 1% to 99%"),
            OptionSpec("cutoff", .value("INSTANT"),
                       "instead: cases starting before INSTANT (YYYY-MM-DD or ISO 8601) calibrate"),
            runs.spec,
            SimulationCLIOptions.seed,
            SimulationCLIOptions.set("it then does not vary"),
            OptionSpec("emit-log", .value("FILE"), "write one simulated run of the forecast cases as CSV"),
            .format(["text", "json", "markdown"]),
        ],
        groups: [HistoryCLIOptions.group],
        epilogue: "Exit codes: 0 success; 1 FILE has errors; 2 usage error, unreadable file or malformed log row.")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let (file, logPath) = try args.fileAndHistory(of: "backtest")
        var options = Backtest.Options()
        if args.value("split") != nil && args.value("cutoff") != nil {
            throw UsageError("give --split or --cutoff, not both")
        }
        if let s = args.value("split") {
            let text = s.hasSuffix("%") ? String(s.dropLast()) : s
            guard let p = Double(text), p.isFinite, p >= 1, p <= 99 else {
                throw UsageError("--split takes a share of cases from 1% to 99%, not '\(s)'")
            }
            options.split = p / 100
        }
        options.cutoff = try args.instant("cutoff")
        options.runs = try runs.value(in: args)
        options.seed = try args.seed()
        if let e = args.value("emit-log"), e.isEmpty { throw UsageError("--emit-log needs a file name") }
        let historyOptions = try HistoryCLIOptions.options(from: args)
        guard let (_, model) = try WorkflowInput.load(file, verb: "backtesting it", environment: environment,
                                                       output: &output, nodesTo: "forecast") else { return }
        let sets = try ParamOverrides.parse(args.values("set"), model: model)
        guard let log = try WorkflowInput.readMatchingLog(logPath, options: historyOptions, model: model, file: file,
                                                          environment: environment, output: &output) else { return }
        if log.eventCount >= 100_000 { environment.progress("backtesting over \(log.cases.count) cases…") }
        let result: Backtest.Result
        do {
            result = try Backtest.run(model: model, log: log, values: model.paramValues(overrides: sets),
                                  pinned: Set(sets.keys), options: options)
        } catch {
            throw InputError("\(logPath): \(error.description)")
        }
        if let path = args.value("emit-log") {
            let simulated = try WorkflowInput.simulating {
                try Simulator.eventLog(
                    result.built.plan, options: SimulationOptions(runs: 1, seed: options.seed, start: result.caseStarts.first),
                    portfolio: PortfolioOptions(cases: result.forecastCases, arrivals: .instants(result.caseStarts)),
                    run: 0, caseIDs: result.caseIDs, activities: PlanBuilder.activityNames(model: model))
            }
            try Files.write(Array(simulated.csv.utf8), to: path)
        }
        output.stdout += BacktestFormatter.render(result, file: file, log: logPath, format: format)
        output.stderr += result.built.warnings.map { "stagecraft: warning: \($0)\n" }.joined()
    }
}
