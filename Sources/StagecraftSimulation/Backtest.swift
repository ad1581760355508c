import StagecraftLanguage
import StagecraftHistory

/// `stagecraft backtest`: how well the forecast would have predicted what really happened.
///
/// Cases are ordered by their first event; the first part calibrates the model, and the
/// rest are forecast: simulated arriving at their recorded starts, sharing owners, and cut
/// off at the log's last instant exactly as the real cases are (a case still running then
/// counts with the time it had run). The forecast is compared with the real lead times and
/// with two naive forecasts built from the calibration part.
public enum Backtest {
    /// How to split and simulate.
    public struct Options: Hashable, Sendable {
        /// Share of cases (by first event) that calibrate, when `cutoff` is nil.
        public var split: Double = 0.7
        /// Cases starting before this instant calibrate; the rest are forecast.
        public var cutoff: Double?
        public var runs: Int = 100
        public var seed: UInt64 = SimulationOptions.defaultSeed

        public init() {}
    }

    /// Real against simulated figures of one node, over the forecast cases.
    public struct NodeComparison: Hashable, Sendable {
        public var id: String
        public var realRunsPerCase: Double
        public var forecastRunsPerCase: Double
        public var realWaitingMean: Double?
        public var forecastWaitingMean: Double?
        public var realProcessingMean: Double?
        public var forecastProcessingMean: Double?
        /// Recorded waits the calibration drew from (fewer than 10 is a thin sample).
        public var calibrationSamples: Int
    }

    /// A naive forecast's distance from the real lead times.
    public struct Baseline: Hashable, Sendable {
        public var name: String
        public var distanceHours: Double
        public var coverage: Coverage
    }

    /// Share of real cases finishing within their forecast's percentiles.
    public struct Coverage: Hashable, Sendable {
        public var p50: Double
        public var p85: Double
        public var p95: Double
    }

    public struct Result: Sendable {
        public var calibrationCases: Int
        public var forecastCases: Int
        /// The first forecast case's start, and the log's last instant (the cut-off).
        public var splitInstant: Double
        public var logEnd: Double
        public var real: LeadTimeSummary
        /// Pooled over all runs of all forecast cases.
        public var forecast: LeadTimeSummary
        public var relativeErrorMean: Double
        public var distanceHours: Double
        public var coverage: Coverage
        public var naive: [Baseline]
        public var nodes: [NodeComparison]
        public var built: BuiltPlan
        public var runs: Int
        public var seed: UInt64
        /// The forecast cases' IDs and recorded starts, in start order.
        public var caseIDs: [String]
        public var caseStarts: [Double]
    }

    public enum Failure: Error, CustomStringConvertible {
        case tooFewCases(Int)
        case emptyPart(String)
        case simulation(SimulationError)

        public var description: String {
            switch self {
            case .tooFewCases(let n): return "the log has \(n) case\(n == 1 ? "" : "s") with events; a backtest needs at least 2"
            case .emptyPart(let s): return s
            case .simulation(let e): return "cannot simulate: \(e.description)"
            }
        }
    }

    /// Splits `log`, calibrates `model` on the first part and forecasts the rest.
    public static func run(model: WorkflowModel, log: EventLog, values: [String: Value], pinned: Set<String> = [],
                           options: Options) throws(Failure) -> Result {
        // Cases with events, by first instant (ties: log order).
        var timed: [(index: Int, start: Double, end: Double)] = []
        for (i, c) in log.cases.enumerated() {
            guard let s = c.occurrences.map({ $0.start ?? $0.end }).min(), let e = c.occurrences.map(\.end).max() else { continue }
            timed.append((i, s, e))
        }
        guard timed.count >= 2 else { throw .tooFewCases(timed.count) }
        timed.sort { $0.start != $1.start ? $0.start < $1.start : $0.index < $1.index }
        let logEnd = timed.map(\.end).max() ?? 0
        let first: Int
        if let cut = options.cutoff {
            first = timed.firstIndex { $0.start >= cut } ?? timed.count
        } else {
            first = Int((Double(timed.count) * options.split).rounded())
        }
        guard first >= 1 else { throw .emptyPart("no case starts before the cut-off: nothing to calibrate on") }
        guard first < timed.count else { throw .emptyPart("every case starts before the cut-off: nothing to forecast") }

        var calibrationLog = log
        calibrationLog.cases = timed[..<first].map { log.cases[$0.index] }
        var forecastLog = log
        forecastLog.cases = timed[first...].map { log.cases[$0.index] }
        let calibration = HistoryCalibration(log: calibrationLog, model: model)
        let measured = HistoryCalibration(log: forecastLog, model: model)
        let built = PlanBuilder.build(model: model, values: values, calibration: calibration, pinned: pinned)

        let starts = timed[first...].map(\.start)
        let real = timed[first...].map { $0.end - $0.start }
        let cases = starts.count
        let horizon = starts.map { logEnd - $0 }

        // Simulate every forecast case in every run, sharing owners.
        let sim: CaseSimulation
        do {
            sim = try CaseSimulation(plan: built.plan, arrivals: starts, runs: options.runs, seed: options.seed,
                                     horizon: logEnd)
        } catch {
            throw .simulation(error)
        }
        var perCase = [[Double]](repeating: [], count: cases)
        var pooled: [Double] = []
        pooled.reserveCapacity(cases * options.runs)
        for c in 0..<cases {
            for r in 0..<options.runs {
                // Observed as the real cases are: up to the last completion within the log.
                let lead = max(0, sim.lastObserved[r * cases + c] - starts[c])
                perCase[c].append(lead)
                pooled.append(lead)
            }
        }
        let coverage = Backtest.coverage(real: real, forecasts: perCase)
        let distance = wasserstein(real, pooled) / 3600

        // Naive forecasts from the calibration part, cut off the same way.
        let history = calibration.leadTimes
        let mean = SimulationStatistics.mean(history)
        let meanForecast = (0..<cases).map { [min(mean, horizon[$0])] }
        var rng = SeededGenerator(seed: options.seed ^ 0x6e61_6976_65, stream: 0)
        var resampled = [[Double]](repeating: [], count: cases)
        for c in 0..<cases {
            for _ in 0..<options.runs {
                resampled[c].append(min(history[rng.nextIndex(below: history.count)], horizon[c]))
            }
        }
        let naive = [("calibration mean", meanForecast), ("calibration resample", resampled)].map { name, forecasts in
            Baseline(name: name, distanceHours: wasserstein(real, forecasts.flatMap { $0 }) / 3600,
                     coverage: Backtest.coverage(real: real, forecasts: forecasts))
        }

        var nodes: [NodeComparison] = []
        let n = model.nodes.count
        for v in 0..<n {
            let w = measured.waitingTimes[v], p = measured.processingTimes[v], t = sim.nodes[v]
            nodes.append(NodeComparison(
                id: model.nodes[v].id.name,
                realRunsPerCase: Double(w.count) / Double(cases),
                forecastRunsPerCase: Double(t.executions) / Double(cases * options.runs),
                realWaitingMean: w.isEmpty ? nil : SimulationStatistics.mean(w),
                forecastWaitingMean: t.executions > 0 ? t.waiting / Double(t.executions) : nil,
                realProcessingMean: p.isEmpty ? nil : SimulationStatistics.mean(p),
                forecastProcessingMean: t.executions > 0 ? t.processing / Double(t.executions) : nil,
                calibrationSamples: calibration.waitingTimes[v].count))
        }
        let realSummary = LeadTimeSummary(sorted: real.sorted())
        let forecastSummary = LeadTimeSummary(sorted: pooled.sorted())
        return Result(
            calibrationCases: first, forecastCases: cases, splitInstant: starts[0], logEnd: logEnd,
            real: realSummary, forecast: forecastSummary,
            relativeErrorMean: realSummary.mean > 0 ? (forecastSummary.mean - realSummary.mean) / realSummary.mean : 0,
            distanceHours: distance, coverage: coverage, naive: naive, nodes: nodes, built: built,
            runs: options.runs, seed: options.seed,
            caseIDs: timed[first...].map { log.cases[$0.index].id }, caseStarts: starts)
    }

    /// The recorded cases simulated at their recorded starts with the model calibrated on
    /// them, cut off at the log's end: the mean lead time recorded and simulated. A model
    /// that cannot reproduce its own history is missing something. Nil without cases.
    public static func inSample(plan: SimulationPlan, calibration: HistoryCalibration, runs: Int = 10,
                                seed: UInt64 = SimulationOptions.defaultSeed) -> (recorded: Double, simulated: Double)? {
        let starts = calibration.caseStarts
        guard starts.count >= 2, !calibration.leadTimes.isEmpty,
              let sim = try? CaseSimulation(plan: plan, arrivals: starts, runs: runs, seed: seed) else { return nil }
        var sum = 0.0
        for (k, f) in sim.finish.enumerated() {
            let start = starts[k % starts.count]
            sum += min(f, calibration.lastInstant) - start
        }
        return (SimulationStatistics.mean(calibration.leadTimes), sum / Double(sim.finish.count))
    }

    /// The share of real values at or below each case's forecast P50, P85 and P95.
    static func coverage(real: [Double], forecasts: [[Double]]) -> Coverage {
        var hits = (0, 0, 0)
        for (c, xs) in forecasts.enumerated() {
            let sorted = xs.sorted()
            let slack = 1e-6 * max(1, abs(real[c]))
            if real[c] <= SimulationStatistics.percentile(sorted: sorted, 0.50) + slack { hits.0 += 1 }
            if real[c] <= SimulationStatistics.percentile(sorted: sorted, 0.85) + slack { hits.1 += 1 }
            if real[c] <= SimulationStatistics.percentile(sorted: sorted, 0.95) + slack { hits.2 += 1 }
        }
        let n = Double(max(real.count, 1))
        return Coverage(p50: Double(hits.0) / n, p85: Double(hits.1) / n, p95: Double(hits.2) / n)
    }

    /// The 1-D Wasserstein distance between two samples: the area between their empirical
    /// distribution functions.
    public static func wasserstein(_ a: [Double], _ b: [Double]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0
        var total = 0.0
        var last = min(x[0], y[0])
        let nx = Double(x.count), ny = Double(y.count)
        while i < x.count || j < y.count {
            let next: Double
            if j >= y.count || (i < x.count && x[i] <= y[j]) { next = x[i] } else { next = y[j] }
            total += abs(Double(i) / nx - Double(j) / ny) * (next - last)
            last = next
            while i < x.count && x[i] == next { i += 1 }
            while j < y.count && y[j] == next { j += 1 }
        }
        return total
    }
}

/// Every case of a portfolio simulated `runs` times at fixed arrival instants, keeping each
/// case's finish per run and per-node totals: what a backtest and simulate's in-sample check read.
struct CaseSimulation: Sendable {
    /// `finish[run · cases + case]`: when the case finished, or +∞ when it was abandoned.
    var finish: [Double] = []
    /// `lastObserved[run · cases + case]`: the case's last completion at or before the
    /// horizon (its arrival when none): what a log cut at the horizon would record.
    var lastObserved: [Double] = []
    /// Per node, over every run.
    var nodes: [NodeTotals]

    init(plan: SimulationPlan, arrivals: [Double], runs: Int, seed: UInt64,
         horizon: Double = .infinity) throws(SimulationError) {
        let options = SimulationOptions(runs: runs, seed: seed, start: arrivals.first)
        try Simulator.validate(options)
        let portfolio = PortfolioOptions(cases: arrivals.count, arrivals: .instants(arrivals))
        try Simulator.validate(portfolio, nodes: plan.nodes.count)
        let (compiled, kickoff) = try Simulator.prepare(plan, options: options)
        let n = compiled.nodeCount
        // One run to a block, so the per-node sums add up run by run.
        let parts = Simulator.portfolioRuns(
            compiled, kickoff: kickoff, cases: arrivals.count, options: options, blockRuns: 1,
            arrivals: { _ in arrivals }, newBlock: { CaseSimulation(nodes: n) },
            record: { part, engine in part.record(&engine, arrivals: arrivals, horizon: horizon) })
        self.init(nodes: n)
        finish.reserveCapacity(runs * arrivals.count)
        lastObserved.reserveCapacity(runs * arrivals.count)
        for p in parts {
            finish += p.finish
            lastObserved += p.lastObserved
            for v in 0..<n { nodes[v].merge(p.nodes[v]) }
        }
    }

    private init(nodes n: Int) {
        nodes = [NodeTotals](repeating: NodeTotals(), count: n)
    }

    /// Adds one run of the engine.
    private mutating func record(_ engine: inout SimulationEngine, arrivals: [Double], horizon: Double) {
        let n = nodes.count
        for c in arrivals.indices {
            finish.append(engine.caseStatus[c] == SimulationEngine.finished ? engine.caseFinish[c] : .infinity)
        }
        var observed = arrivals
        for e in 0..<engine.execNode.count where engine.execCompleted[e] {
            let c = engine.execNode[e] / max(n, 1)
            let end = engine.execFinish[e]
            if end <= horizon, end > observed[c] { observed[c] = end }
            nodes[engine.execNode[e] % max(n, 1)].add(engine, e)
        }
        lastObserved += observed
    }
}
