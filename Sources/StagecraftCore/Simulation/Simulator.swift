import Foundation

/// Monte Carlo simulation of a `SimulationPlan`: the engine behind `stagecraft simulate`.
///
/// Runs are grouped into blocks of a fixed size; blocks may execute on several threads,
/// but run `r` always draws from stream `r` of the seed and blocks are merged in order,
/// so results are identical whatever the thread count.
public enum Simulator {
    /// Runs per block in a plain simulation (independent of the thread count).
    static let plainBlockRuns = 256
    /// Upper bound on runs × cases in a portfolio (the pooled lead-time sample is kept).
    public static let maxPortfolioCaseRuns = 20_000_000

    // MARK: - Plain simulation

    /// Forecasts one launch of `plan` over `options.runs` runs.
    public static func simulate(_ plan: SimulationPlan, options: SimulationOptions = SimulationOptions())
        throws(SimulationError) -> SimulationResult
    {
        try validate(options)
        let (compiled, kickoff) = try prepare(plan, options: options)
        let n = compiled.nodeCount
        let owners = compiled.ownerCount
        let runs = options.runs
        let blocks = (runs + plainBlockRuns - 1) / plainBlockRuns
        let seed = options.seed

        let parts: [PlainBlock] = forEachBlock(blocks: blocks, threads: threadCount(options)) {
            SimulationEngine(plan: compiled, cases: 1, tableStart: kickoff)
        } work: { engine, b in
            var block = PlainBlock(nodes: n, owners: owners)
            let lo = b * plainBlockRuns
            let hi = min(runs, lo + plainBlockRuns)
            let arrivals = [kickoff]
            for r in lo..<hi {
                engine.run(seed: seed, index: r, arrivals: arrivals)
                block.record(&engine, kickoff: kickoff)
            }
            return block
        }

        // Merge in block order.
        var finished = 0, unfinished = 0, deadlineMet = 0
        var leads: [Double] = []
        leads.reserveCapacity(runs)
        var critical = [Int](repeating: 0, count: n)
        var breach = [Int](repeating: 0, count: n)
        var execs = [Int](repeating: 0, count: n)
        var delay = [Double](repeating: 0, count: n)
        var ownerDelays = [[Double]](repeating: [], count: owners)
        var ownerBusy = [Double](repeating: 0, count: owners)
        for p in parts {
            finished += p.finished
            unfinished += p.unfinished
            deadlineMet += p.deadlineMet
            leads += p.leadTimes
            for v in 0..<n {
                critical[v] += p.critical[v]
                breach[v] += p.breach[v]
                execs[v] += p.execs[v]
                delay[v] += p.delaySum[v]
            }
            for o in 0..<owners {
                ownerDelays[o] += p.ownerDelays[o]
                ownerBusy[o] += p.ownerBusy[o]
            }
        }
        var leadSum = 0.0
        for x in leads { leadSum += x }
        leads.sort()
        let summary = LeadTimeSummary(sorted: leads)
        let f = Double(finished)

        var nodes: [NodeForecast] = []
        nodes.reserveCapacity(n)
        for v in 0..<n {
            nodes.append(NodeForecast(
                id: compiled.ids[v], title: compiled.titles[v],
                criticality: finished > 0 ? Double(critical[v]) / f : 0,
                capacityDelayMean: execs[v] > 0 ? delay[v] / Double(execs[v]) : 0,
                slaBreachProbability: finished > 0 ? Double(breach[v]) / f : 0,
                executionsMean: finished > 0 ? Double(execs[v]) / f : 0))
        }
        let ownerStats = ownerForecasts(compiled, delays: ownerDelays, busy: ownerBusy,
                                        spanSum: leadSum, runs: finished)
        let given = options.start != nil && finished > 0
        return SimulationResult(
            runs: runs, seed: seed, finishedRuns: finished, unfinishedRuns: unfinished,
            kickoff: kickoff, startGiven: options.start != nil, leadTime: summary,
            completionP50: given ? kickoff + summary.p50 : nil,
            completionP85: given ? kickoff + summary.p85 : nil,
            completionP95: given ? kickoff + summary.p95 : nil,
            deadline: compiled.deadline,
            deadlineProbability: compiled.deadline == nil ? nil : Double(deadlineMet) / Double(runs),
            nodes: nodes, owners: ownerStats, leadTimeSamples: leads)
    }

    // MARK: - Portfolio

    /// Forecasts `portfolio.cases` launches of `plan`, case `i` starting at kickoff +
    /// i · `portfolio.arrival` (business time for `bd`), all sharing the plan's owners in
    /// one event simulation per run. Each of `options.runs` runs simulates all cases; keep
    /// runs × cases within `maxPortfolioCaseRuns`.
    public static func simulatePortfolio(
        _ plan: SimulationPlan, portfolio: PortfolioOptions, options: SimulationOptions = SimulationOptions()
    ) throws(SimulationError) -> PortfolioResult {
        try validate(options)
        try validate(portfolio, nodes: plan.nodes.count)
        guard options.runs <= maxPortfolioCaseRuns / portfolio.cases else {
            throw .invalidOption("\(portfolio.cases) cases × \(options.runs) runs exceeds \(maxPortfolioCaseRuns) simulated launches; use fewer runs")
        }
        let (compiled, kickoff) = try prepare(plan, options: options)
        let cases = portfolio.cases
        let owners = compiled.ownerCount
        let arrivals = caseArrivals(compiled, kickoff: kickoff, portfolio: portfolio)
        let runs = options.runs
        let blockRuns = max(1, plainBlockRuns / cases)
        let blocks = (runs + blockRuns - 1) / blockRuns
        let seed = options.seed

        let parts: [PortfolioBlock] = forEachBlock(blocks: blocks, threads: threadCount(options)) {
            SimulationEngine(plan: compiled, cases: cases, tableStart: kickoff)
        } work: { engine, b in
            var block = PortfolioBlock(cases: cases, owners: owners)
            let lo = b * blockRuns
            let hi = min(runs, lo + blockRuns)
            for r in lo..<hi {
                engine.run(seed: seed, index: r, arrivals: arrivals)
                block.record(&engine, kickoff: kickoff)
            }
            return block
        }

        var finished = 0, unfinished = 0
        var caseSum = [Double](repeating: 0, count: cases)
        var caseRuns = [Int](repeating: 0, count: cases)
        var leads: [Double] = []
        var spans: [Double] = []
        var ownerDelays = [[Double]](repeating: [], count: owners)
        var ownerBusy = [Double](repeating: 0, count: owners)
        for p in parts {
            finished += p.finishedCases
            unfinished += p.unfinishedCases
            for c in 0..<cases {
                caseSum[c] += p.caseLeadSum[c]
                caseRuns[c] += p.caseFinished[c]
            }
            leads += p.leadTimes
            spans += p.makespans
            for o in 0..<owners {
                ownerDelays[o] += p.ownerDelays[o]
                ownerBusy[o] += p.ownerBusy[o]
            }
        }
        var spanSum = 0.0
        for x in spans { spanSum += x }
        leads.sort()
        spans.sort()
        var caseMeans: [Double] = []
        caseMeans.reserveCapacity(cases)
        for c in 0..<cases { caseMeans.append(caseRuns[c] > 0 ? caseSum[c] / Double(caseRuns[c]) : 0) }
        return PortfolioResult(
            runs: runs, seed: seed, cases: cases, arrival: portfolio.arrival, kickoff: kickoff,
            startGiven: options.start != nil, caseArrivals: arrivals, finishedCases: finished,
            unfinishedCases: unfinished, caseLeadTimeMean: caseMeans, caseFinishedRuns: caseRuns,
            leadTime: LeadTimeSummary(sorted: leads), makespan: LeadTimeSummary(sorted: spans),
            owners: ownerForecasts(compiled, delays: ownerDelays, busy: ownerBusy,
                                   spanSum: spanSum, runs: spans.count))
    }

    // MARK: - Event log

    /// The simulated events of run `run` (0-based; the same run the forecast with this
    /// seed simulates as its run `run`), one row per execution and owner, ordered by start
    /// (ties: case, node declaration, execution order). Without `portfolio`, one case.
    /// Rows of an abandoned run stop where it was abandoned.
    public static func eventLog(
        _ plan: SimulationPlan, options: SimulationOptions = SimulationOptions(),
        portfolio: PortfolioOptions? = nil, run: Int = 0
    ) throws(SimulationError) -> SimulatedEventLog {
        try validate(options)
        guard run >= 0 else { throw .invalidOption("run index must be non-negative") }
        let pf = portfolio ?? PortfolioOptions(cases: 1, arrival: Duration(amount: 0, unit: .days))
        try validate(pf, nodes: plan.nodes.count)
        let (compiled, kickoff) = try prepare(plan, options: options)
        let arrivals = caseArrivals(compiled, kickoff: kickoff, portfolio: pf)
        var engine = SimulationEngine(plan: compiled, cases: pf.cases, tableStart: kickoff)
        engine.run(seed: options.seed, index: run, arrivals: arrivals)

        let n = max(compiled.nodeCount, 1)
        var order: [Int] = []
        for e in 0..<engine.execNode.count where engine.execCompleted[e] { order.append(e) }
        order.sort { a, b in
            let sa = engine.execStart[a], sb = engine.execStart[b]
            if sa != sb { return sa < sb }
            let ga = engine.execNode[a], gb = engine.execNode[b]
            if ga != gb { return ga < gb }
            return a < b
        }
        let width = String(pf.cases).count
        var caseIDs: [String] = []
        caseIDs.reserveCapacity(pf.cases)
        for c in 0..<pf.cases {
            let s = String(c + 1)
            caseIDs.append("case-" + String(repeating: "0", count: width - s.count) + s)
        }
        var rows: [SimulatedEvent] = []
        rows.reserveCapacity(order.count)
        for e in order {
            let g = engine.execNode[e]
            let c = g / n, v = g % n
            for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
                rows.append(SimulatedEvent(
                    caseID: caseIDs[c], activity: compiled.ids[v], resource: compiled.ownerIDs[engine.execOwn[k]],
                    start: engine.execStart[e], end: engine.execFinish[e]))
            }
        }
        return SimulatedEventLog(rows: rows)
    }

    // MARK: - Helpers

    static func validate(_ options: SimulationOptions) throws(SimulationError) {
        guard options.runs >= 1, options.runs <= 100_000_000 else {
            throw .invalidOption("runs must be between 1 and 100000000")
        }
        if let s = options.start {
            guard s.isFinite, abs(s) <= 1e13 else { throw .invalidOption("start instant is out of range") }
        }
        if let t = options.threads, t < 1 { throw .invalidOption("threads must be at least 1") }
    }

    static func validate(_ p: PortfolioOptions, nodes: Int) throws(SimulationError) {
        guard p.cases >= 1, p.cases <= 10_000_000 else { throw .invalidOption("cases must be between 1 and 10000000") }
        guard p.cases <= 50_000_000 / max(nodes, 1) else {
            throw .invalidOption("\(p.cases) cases of \(nodes) nodes is too large to simulate at once")
        }
        let s = p.arrival.seconds
        guard s.isFinite, s >= 0, s <= CompiledPlan.maxSeconds else {
            throw .invalidOption("arrival must be a finite, non-negative duration")
        }
    }

    /// Compiles the plan and picks the kickoff: the given start, or Monday 2024-01-01
    /// 09:00 UTC on the plan's calendar without its holidays.
    static func prepare(_ plan: SimulationPlan, options: SimulationOptions)
        throws(SimulationError) -> (CompiledPlan, Double)
    {
        var p = plan
        if options.start == nil { p.calendar.holidays = [:] }
        return (try CompiledPlan(p), options.start ?? SimulationOptions.defaultKickoff)
    }

    /// Case `i` arrives at kickoff + i · arrival. For a `bd` arrival each case arrives one
    /// `arrival` of business time after the previous one (the same instants when the
    /// kickoff is in business time, and linear rather than quadratic to compute).
    static func caseArrivals(_ plan: CompiledPlan, kickoff: Double, portfolio: PortfolioOptions) -> [Double] {
        var table = BusinessDayTable(calendar: plan.calendar, from: kickoff)
        var out: [Double] = [kickoff]
        out.reserveCapacity(portfolio.cases)
        var t = kickoff
        let step = portfolio.arrival.seconds
        for i in 1..<max(portfolio.cases, 1) {
            t = portfolio.arrival.isBusiness ? table.advance(t, byBusinessSeconds: step) : kickoff + Double(i) * step
            out.append(t)
        }
        return out
    }

    static func threadCount(_ options: SimulationOptions) -> Int {
        max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    static func ownerForecasts(_ plan: CompiledPlan, delays: [[Double]], busy: [Double],
                               spanSum: Double, runs: Int) -> [OwnerForecast] {
        var out: [OwnerForecast] = []
        for o in 0..<plan.ownerCount {
            let mean = SimulationStatistics.mean(delays[o])
            let sorted = delays[o].sorted()
            let denominator = Double(plan.capacity[o]) * spanSum
            out.append(OwnerForecast(
                id: plan.ownerIDs[o], capacity: plan.capacity[o], queueDelayMean: mean,
                queueDelayP95: SimulationStatistics.percentile(sorted: sorted, 0.95),
                utilisation: denominator > 0 ? busy[o] / denominator : 0,
                itemsMean: runs > 0 ? Double(delays[o].count) / Double(runs) : 0))
        }
        return out
    }

    /// Runs `work` for blocks 0..<blocks, on up to `threads` threads with one engine per
    /// thread, and returns the results in block order.
    static func forEachBlock<T: Sendable>(
        blocks: Int, threads: Int, makeEngine: @escaping @Sendable () -> SimulationEngine,
        work: @escaping @Sendable (inout SimulationEngine, Int) -> T
    ) -> [T] {
        let workers = min(threads, blocks)
        if workers <= 1 {
            var engine = makeEngine()
            var out: [T] = []
            out.reserveCapacity(blocks)
            for b in 0..<blocks { out.append(work(&engine, b)) }
            return out
        }
        let slots = BlockSlots<T>(count: blocks)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var engine = makeEngine()
            var b = w
            while b < blocks {
                slots.set(b, work(&engine, b))
                b += workers
            }
        }
        return slots.collect()
    }
}

/// Results of blocks computed on several threads, stored under a lock.
private final class BlockSlots<T: Sendable>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()

    init(count: Int) { items = [T?](repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        items[i] = value
        lock.unlock()
    }

    func collect() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return items.compactMap { $0 }
    }
}

/// Statistics of one block of plain runs.
struct PlainBlock: Sendable {
    var finished = 0
    var unfinished = 0
    var deadlineMet = 0
    var leadTimes: [Double] = []
    var critical: [Int]
    var breach: [Int]
    var execs: [Int]
    var delaySum: [Double]
    var ownerDelays: [[Double]]
    var ownerBusy: [Double]
    private var criticalFlag: [Bool]
    private var breachFlag: [Bool]

    init(nodes: Int, owners: Int) {
        critical = [Int](repeating: 0, count: nodes)
        breach = [Int](repeating: 0, count: nodes)
        execs = [Int](repeating: 0, count: nodes)
        delaySum = [Double](repeating: 0, count: nodes)
        ownerDelays = [[Double]](repeating: [], count: owners)
        ownerBusy = [Double](repeating: 0, count: owners)
        criticalFlag = [Bool](repeating: false, count: nodes)
        breachFlag = [Bool](repeating: false, count: nodes)
    }

    mutating func record(_ engine: inout SimulationEngine, kickoff: Double) {
        guard engine.caseStatus[0] == SimulationEngine.finished else {
            unfinished += 1
            return
        }
        finished += 1
        let finish = engine.caseFinish[0]
        let lead = finish - kickoff
        leadTimes.append(lead)
        if let d = engine.plan.deadline {
            let spent = d.isBusiness ? engine.table.businessDuration(from: kickoff, to: finish) : lead
            if spent <= d.seconds { deadlineMet += 1 }
        }
        for v in 0..<criticalFlag.count {
            criticalFlag[v] = false
            breachFlag[v] = false
        }
        for e in 0..<engine.execNode.count {
            let v = engine.execNode[e]
            let ready = engine.execReady[e], start = engine.execStart[e], end = engine.execFinish[e]
            delaySum[v] += start - ready
            execs[v] += 1
            if !breachFlag[v] && engine.breachesSLA(e) { breachFlag[v] = true }
            for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
                let o = engine.execOwn[k]
                ownerDelays[o].append(start - ready)
                ownerBusy[o] += end - start
            }
        }
        engine.forEachCriticalExecution { e in criticalFlag[engine.execNode[e]] = true }
        for v in 0..<criticalFlag.count {
            if criticalFlag[v] { critical[v] += 1 }
            if breachFlag[v] { breach[v] += 1 }
        }
    }
}

/// Statistics of one block of portfolio runs.
struct PortfolioBlock: Sendable {
    var finishedCases = 0
    var unfinishedCases = 0
    var caseLeadSum: [Double]
    var caseFinished: [Int]
    var leadTimes: [Double] = []
    var makespans: [Double] = []
    var ownerDelays: [[Double]]
    var ownerBusy: [Double]

    init(cases: Int, owners: Int) {
        caseLeadSum = [Double](repeating: 0, count: cases)
        caseFinished = [Int](repeating: 0, count: cases)
        ownerDelays = [[Double]](repeating: [], count: owners)
        ownerBusy = [Double](repeating: 0, count: owners)
    }

    mutating func record(_ engine: inout SimulationEngine, kickoff: Double) {
        var last = -Double.infinity
        for c in 0..<engine.cases {
            if engine.caseStatus[c] == SimulationEngine.finished {
                let lead = engine.caseFinish[c] - engine.caseArrival[c]
                finishedCases += 1
                caseLeadSum[c] += lead
                caseFinished[c] += 1
                leadTimes.append(lead)
                if engine.caseFinish[c] > last { last = engine.caseFinish[c] }
            } else {
                unfinishedCases += 1
            }
        }
        // Owner statistics only for runs with a makespan, so utilisation stays a ratio of
        // matching totals.
        guard last > -Double.infinity else { return }
        makespans.append(last - kickoff)
        for e in 0..<engine.execNode.count where engine.execCompleted[e] {
            let ready = engine.execReady[e], start = engine.execStart[e], end = engine.execFinish[e]
            for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
                let o = engine.execOwn[k]
                ownerDelays[o].append(start - ready)
                ownerBusy[o] += end - start
            }
        }
    }
}
