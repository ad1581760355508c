import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput

/// `stagecraft simulate FILE …`: Monte Carlo forecast of one launch, what-if scenarios, a
/// portfolio of launches sharing owners, and the simulated event log.
enum SimulateCommand {
    static let runs = SimulationCLIOptions.Runs(standard: SimulationOptions().runs, max: 1_000_000, portfolio: 100)

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft simulate FILE [--runs N] [--seed S] [--start DATE] [--format text|json]
                                   [--set NAME=VALUE]... [--capacity OWNER=N]...
                                   [--compare "SCENARIO" "SCENARIO"]
                                   [--cases N --arrival DURATION] [--emit-log FILE]
                                   [--history LOG [history options]]

        Forecast when the process finishes by Monte Carlo simulation: lead time and completion
        date at P50/P85/P95, the chance of meeting the deadline, how often each node is on the
        critical path, and how long work waits for each owner.
        """,
        options: [
            runs.spec,
            SimulationCLIOptions.seed,
            SimulationCLIOptions.start("""
                kickoff at 09:00 UTC on DATE (YYYY-MM-DD); completion dates are shown only with a start. \
                Without it, runs start at 09:00 on a Monday with no holidays
                """),
            .format(["text", "json"]),
            SimulationCLIOptions.set(),
            OptionSpec("capacity", .repeatable("OWNER=N"), "what-if: let OWNER work on N nodes at once"),
            OptionSpec("compare", .value("\"A\" \"B\""), """
                forecast two scenarios side by side. Each is a space-separated list of settings: NAME=VALUE \
                sets a param, capacity:OWNER=N sets a capacity; "" is the plan as given. Both apply on top \
                of --set and --capacity and use the same random streams
                """),
            OptionSpec("cases", .value("N"), "portfolio: N launches sharing the owners (needs --arrival)"),
            OptionSpec("arrival", .value("DURATION"), """
                time between launches: 30m, 4h, 2d, 1w or 3bd; exp(DURATION) for random gaps of that \
                mean; history for the recorded ones (with --history)
                """),
            OptionSpec("emit-log", .value("FILE"),
                       "write the events of the first run as CSV (case_id,activity,resource,start_time,end_time)"),
            OptionSpec("history", .value("LOG"), """
                calibrate from recorded history: each node's duration is drawn from its recorded processing \
                times, each gate rejects at its recorded rework share; nodes without history use estimates
                """),
        ],
        groups: [HistoryCLIOptions.group],
        epilogue: """
        Durations per node: history, else estimate (LOW..HIGH uniform, OPT LIKELY PESS PERT),
        else the SLA as a fixed duration (warned), else zero (warned).

        Exit codes: 0 forecast printed; 1 the file has errors, or no activity of the --history log
        matches a node; 2 usage, I/O or unreadable input.
        """)

    /// Everything the command line asked for, validated.
    struct Request {
        var file: String
        var format: String
        var runs: Int
        var seed: UInt64
        var start: Double?
        var sets: [String]
        var capacities: [String]
        var compare: (String, String)?
        var portfolio: PortfolioOptions?
        var emitLog: String?
        var history: String?
        var historyOptions: HistoryOptions
    }

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        var request = try parse(arguments)

        // Read and check the file: errors stop here, with the diagnostics on stderr.
        guard let (_, model) = try WorkflowInput.load(request.file, verb: "simulating it", environment: environment,
                                                       output: &output, nodesTo: "simulate") else { return }
        let baseSets = try ParamOverrides.parse(request.sets, model: model)
        let baseCapacities = try parseCapacities(request.capacities, model: model)

        var calibration: HistoryCalibration?
        var historyNotes: [String] = []
        if let path = request.history {
            guard let log = try WorkflowInput.readMatchingLog(path, options: request.historyOptions, model: model,
                                                              file: request.file, environment: environment,
                                                              output: &output) else { return }
            let c = HistoryCalibration(log: log, model: model)
            calibration = c
            if log.skipped.count > 0 {
                historyNotes.append("history: skipped \(log.skipped.count) malformed row\(log.skipped.count == 1 ? "" : "s") of \(path)")
            }
            if !c.unmapped.isEmpty {
                let total = c.unmapped.reduce(0) { $0 + $1.occurrences }
                let names = c.unmapped.prefix(5).map { "'\($0.activity)'" }.joined(separator: ", ")
                historyNotes.append("history: \(total) occurrence\(total == 1 ? "" : "s") of \(c.unmapped.count) activit\(c.unmapped.count == 1 ? "y" : "ies") match no node (\(names)\(c.unmapped.count > 5 ? ", …" : "")); add them to a node's 'matches' to use them")
            }
        }

        let kickoff = request.start ?? SimulationOptions.defaultKickoff
        let options = SimulationOptions(runs: request.runs, seed: request.seed, start: request.start)
        try checkSize(runs: request.portfolio.map { portfolioRuns(requested: request.runs, cases: $0.cases).runs } ?? request.runs,
                      cases: request.portfolio?.cases ?? 1, nodes: model.nodes.count)
        var context: ForecastContext = (
            file: request.file, workflowTitle: model.workflow.title?.value ?? "", runs: request.runs,
            seed: request.seed, kickoff: kickoff, startGiven: request.start != nil, warnings: [],
            history: request.history, calibration: calibration)

        if let (a, b) = request.compare {
            let specA = try parseScenario(a, model: model)
            let specB = try parseScenario(b, model: model)
            var builtA = PlanBuilder.build(model: model, values: model.paramValues(overrides: baseSets.merging(specA.sets) { $1 }),
                                           capacities: baseCapacities.merging(specA.capacities) { $1 }, calibration: calibration)
            let builtB = PlanBuilder.build(model: model, values: model.paramValues(overrides: baseSets.merging(specB.sets) { $1 }),
                                           capacities: baseCapacities.merging(specB.capacities) { $1 }, calibration: calibration)
            for w in builtB.warnings where !builtA.warnings.contains(w) { builtA.warnings.append(w) }
            context.warnings = historyNotes + builtA.warnings
            let ra = try WorkflowInput.simulating { try Simulator.simulate(builtA.plan, options: options) }
            let rb = try WorkflowInput.simulating { try Simulator.simulate(builtB.plan, options: options) }
            let (scenarioA, scenarioB): (Scenario, Scenario) = ((a, builtA, ra), (b, builtB, rb))
            output.stdout += request.format == "json"
                ? SimulationFormatter.json(scenarioA, scenarioB, context: context)
                : SimulationFormatter.text(scenarioA, scenarioB, context: context)
            output.stderr += context.warnings.map { "stagecraft: warning: \($0)\n" }.joined()
            return
        }

        let built = PlanBuilder.build(model: model, values: model.paramValues(overrides: baseSets),
                                      capacities: baseCapacities, calibration: calibration, pinned: Set(baseSets.keys))
        context.warnings = historyNotes + built.warnings
        if let c = calibration, let (recorded, simulated) = Backtest.inSample(plan: built.plan, calibration: c, seed: request.seed),
           recorded > 0, abs(simulated - recorded) / recorded > 0.25 {
            let off = Int((abs(simulated - recorded) / recorded * 100).rounded())
            context.warnings.append("the recorded cases, simulated at their recorded starts with this calibration, take \(SimulationFormatter.human(simulated)) on average against \(SimulationFormatter.human(recorded)) recorded (\(off)% \(simulated < recorded ? "shorter" : "longer")): the model is missing something the history shows (choices, loops or waiting it does not describe); `stagecraft backtest` shows where")
        }
        let thin = built.provenance.filter { $0.duration == .history && $0.samples < 10 }.map(\.id)
        if !thin.isEmpty {
            context.warnings.append("fewer than 10 recorded samples for \(thin.joined(separator: ", ")): their spread rests on very few cases")
        }
        if var p = request.portfolio, case .resampled(let gaps) = p.arrivals, gaps.isEmpty {
            guard let c = calibration, c.caseStarts.count >= 2 else {
                throw UsageError("--arrival history needs --history with at least two recorded cases")
            }
            p.arrivals = .resampled(zip(c.caseStarts.dropFirst(), c.caseStarts).map { $0 - $1 })
            request.portfolio = p
        }

        var emitted: EmittedLog?
        if let path = request.emitLog {
            let log = try WorkflowInput.simulating {
                try Simulator.eventLog(built.plan, options: options, portfolio: request.portfolio, run: 0)
            }
            // Activities named so that replay maps them back to their nodes.
            let names = PlanBuilder.activityNames(model: model)
            var byID: [String: String] = [:]
            for (i, n) in model.nodes.enumerated() { byID[n.id.name] = names[i] }
            var renamed = log
            for k in renamed.rows.indices { renamed.rows[k].activity = byID[renamed.rows[k].activity] ?? renamed.rows[k].activity }
            try Files.write(Array(renamed.csv.utf8), to: path)
            emitted = SimulationFormatter.emittedLog(path: path, log: log, plan: built.plan, activities: names,
                                                     cases: request.portfolio?.cases ?? 1)
        }

        // Long simulations (roughly a second or more) say so on a terminal; never in the output.
        let work = options.runs * max(1, request.portfolio?.cases ?? 1) * max(1, built.plan.nodes.count)
        if work >= 5_000_000 {
            let launches = request.portfolio.map { " of \($0.cases) launches" } ?? ""
            environment.progress("simulating \(options.runs) runs\(launches)…")
        }
        if let portfolio = request.portfolio {
            let (runs, note) = portfolioRuns(requested: request.runs, cases: portfolio.cases)
            if let note { context.warnings.append(note) }
            context.runs = runs
            var o = options
            o.runs = runs
            let result: PortfolioResult
            do {
                result = try Simulator.simulatePortfolio(built.plan, portfolio: portfolio, options: o)
            } catch {
                throw UsageError("cannot simulate the portfolio: \(error.description)")
            }
            output.stdout += request.format == "json"
                ? SimulationFormatter.json(result, built: built, context: context, requestedRuns: request.runs, emitted: emitted)
                : SimulationFormatter.text(result, built: built, context: context, requestedRuns: request.runs, emitted: emitted)
        } else {
            let result = try WorkflowInput.simulating { try Simulator.simulate(built.plan, options: options) }
            output.stdout += request.format == "json"
                ? SimulationFormatter.json(result, built: built, context: context, emitted: emitted)
                : SimulationFormatter.text(result, built: built, context: context, emitted: emitted)
        }
        output.stderr += context.warnings.map { "stagecraft: warning: \($0)\n" }.joined()
    }

    /// The most node simulations (runs × launches × stages and gates) one command takes on:
    /// the simulator keeps figures for each (about `bytesPerNodeSimulation`), so beyond
    /// this a run would take gigabytes and many minutes before printing anything.
    static let maxNodeSimulations = 25_000_000
    /// What one node simulation costs in memory, for the message.
    static let bytesPerNodeSimulation = 40

    /// Refuses, up front and with the figures, a simulation too big to keep in memory.
    static func checkSize(runs: Int, cases: Int, nodes: Int) throws {
        let (perRun, o1) = cases.multipliedReportingOverflow(by: max(nodes, 1))
        let (total, o2) = perRun.multipliedReportingOverflow(by: max(runs, 1))
        guard o1 || o2 || total > maxNodeSimulations else { return }
        let shown = o1 || o2 ? "more than \(Int.max)" : "\(total)"
        let launches = cases > 1 ? " × \(cases) launches" : ""
        let tenths = o1 || o2 ? 0 : Int((Double(total) * Double(bytesPerNodeSimulation) / 1e8).rounded())
        let gigabytes = o1 || o2 ? "" : " (about \(tenths / 10).\(tenths % 10) GB)"
        throw UsageError("\(runs) runs\(launches) × \(nodes) stages and gates = \(shown) node simulations\(gigabytes), "
                         + "beyond the \(maxNodeSimulations) that simulate keeps in memory",
                         help: cases > 1 ? "simulate fewer launches (--cases) or fewer portfolios (--runs)" : "use fewer --runs")
    }

    /// Runs for a portfolio: the requested number, reduced so that runs × cases stays within
    /// `Simulator.maxPortfolioCaseRuns`, with a note saying so when it is.
    static func portfolioRuns(requested: Int, cases: Int) -> (runs: Int, note: String?) {
        let cap = max(1, Simulator.maxPortfolioCaseRuns / max(cases, 1))
        guard requested > cap else { return (requested, nil) }
        return (cap, "\(cases) launches × \(requested) runs exceeds \(Simulator.maxPortfolioCaseRuns) simulated launches: using \(cap) run\(cap == 1 ? "" : "s")")
    }

    // MARK: - Arguments

    /// Parses and validates the arguments (everything but the file's content).
    static func parse(_ arguments: [String]) throws -> Request {
        // `--compare A B` takes two values: lift them out before the generic parser.
        var rest: [String] = []
        var compare: (String, String)?
        var i = 0
        var afterDashes = false
        while i < arguments.count {
            let arg = arguments[i]
            if !afterDashes && arg == "--" { afterDashes = true }
            if !afterDashes && (arg == "--compare" || arg.hasPrefix("--compare=")) {
                guard compare == nil else { throw UsageError("--compare may be given once") }
                guard arg == "--compare", i + 2 < arguments.count else {
                    throw UsageError("--compare needs two scenarios", help: "stagecraft simulate FILE --compare \"\" \"capacity:sec=2\"")
                }
                compare = (arguments[i + 1], arguments[i + 2])
                i += 3
                continue
            }
            rest.append(arg)
            i += 1
        }
        let args = try spec.parse(rest)
        let file = try args.file(of: "simulate", example: "stagecraft simulate workflows/ga-launch.flow --start 2026-12-01")
        let format = try args.choice("format")
        let runs = try Self.runs.value(in: args, portfolio: args.value("cases") != nil)
        let seed = try args.seed()
        let start = try SimulationCLIOptions.start(in: args).map(SimulationCLIOptions.kickoff)
        let history = try args.history(file: file)
        var portfolio: PortfolioOptions?
        switch (args.value("cases"), args.value("arrival") ?? (args.value("history") != nil ? "history" : nil)) {
        case (nil, nil):
            break
        case (_?, nil):
            throw UsageError("--cases needs --arrival (or --history, whose case starts set it)",
                             help: "--cases 20 --arrival 2d starts a launch every two days")
        case (nil, _?):
            if args.value("arrival") != nil {
                throw UsageError("--arrival needs --cases", help: "--cases 20 --arrival 2d starts a launch every two days")
            }
        case (_?, let a?):
            let cases = try args.int("cases", default: 1, range: 1...1_000_000)
            guard let arrivals = parseArrival(a) else {
                throw UsageError("--arrival takes history, exp(DURATION) or a duration such as 30m, 4h, 2d, 1w or 3bd, not '\(a)'")
            }
            if case .resampled = arrivals, args.value("history") == nil {
                throw UsageError("--arrival history needs --history LOG")
            }
            portfolio = PortfolioOptions(cases: cases, arrivals: arrivals)
        }
        if compare != nil && portfolio != nil {
            throw UsageError("--compare forecasts one launch per scenario; it cannot be combined with --cases")
        }
        if compare != nil && args.value("emit-log") != nil {
            throw UsageError("--emit-log cannot be combined with --compare; run each scenario with --set/--capacity instead")
        }
        if let e = args.value("emit-log"), e.isEmpty {
            throw UsageError("--emit-log needs a file name")
        }
        return Request(
            file: file, format: format, runs: runs, seed: seed, start: start, sets: args.values("set"),
            capacities: args.values("capacity"), compare: compare, portfolio: portfolio,
            emitLog: args.value("emit-log"), history: history,
            historyOptions: try HistoryCLIOptions.options(from: args, requireLog: true))
    }

    /// `--capacity OWNER=N` values by owner.
    static func parseCapacities(_ items: [String], model: WorkflowModel) throws -> [String: Int] {
        try Dictionary(items.map { try parseCapacity($0, model: model, flag: "--capacity") }, uniquingKeysWith: { $1 })
    }

    static func parseCapacity(_ s: String, model: WorkflowModel, flag: String) throws -> (String, Int) {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
            throw UsageError("\(flag) takes OWNER=N, not '\(s)'")
        }
        let name = String(s[..<eq]), text = String(s[s.index(after: eq)...])
        guard model.ownerIndex[name] != nil else {
            let names = model.owners.map(\.id.name)
            throw UsageError("unknown owner '\(name)'",
                             help: didYouMean(name, in: names) ?? "owners: \(names.joined(separator: ", "))")
        }
        guard let n = Int(text), n >= 1, n <= 1_000_000 else {
            throw UsageError("capacity of '\(name)' must be a whole number from 1 to 1000000, not '\(text)'")
        }
        return (name, n)
    }

    /// One `--compare` scenario: space-separated `NAME=VALUE` and `capacity:OWNER=N`.
    static func parseScenario(_ text: String, model: WorkflowModel) throws -> (sets: [String: Value], capacities: [String: Int]) {
        var sets: [String] = []
        var caps: [String: Int] = [:]
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            if token.hasPrefix("capacity:") {
                let (o, n) = try parseCapacity(String(token.dropFirst("capacity:".count)), model: model, flag: "capacity:")
                caps[o] = n
            } else {
                sets.append(token)
            }
        }
        return (try ParamOverrides.parse(sets, model: model), caps)
    }

    /// `history` (recorded inter-arrival times, filled in once the log is read), `exp(D)` or
    /// a fixed duration.
    static func parseArrival(_ text: String) -> ArrivalModel? {
        if text == "history" { return .resampled([]) }
        if text.hasPrefix("exp("), text.hasSuffix(")") {
            return ParsedArguments.duration(String(text.dropFirst(4).dropLast())).flatMap { $0.seconds > 0 ? .exponential(mean: $0) : nil }
        }
        return ParsedArguments.duration(text).map { .every($0) }
    }
}
