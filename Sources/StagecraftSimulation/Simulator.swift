import Foundation
import StagecraftSyntax
import StagecraftLanguage

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
        let arrivals = [kickoff]
        let parts = portfolioRuns(
            compiled, kickoff: kickoff, cases: 1, options: options, blockRuns: plainBlockRuns,
            arrivals: { _ in arrivals }, newBlock: { PlainBlock(nodes: n, owners: owners) },
            record: { block, engine in block.record(&engine, kickoff: kickoff) })

        // Merge in block order.
        var all = PlainBlock(nodes: n, owners: owners)
        all.leadTimes.reserveCapacity(runs)
        for p in parts { all.merge(p) }
        let finished = all.finished
        var leadSum = 0.0
        for x in all.leadTimes { leadSum += x }
        all.leadTimes.sort()
        let leads = all.leadTimes
        let summary = LeadTimeSummary(sorted: leads)
        let f = Double(finished)

        let nodes = all.nodes.enumerated().map { v, t in
            let e = Double(max(t.executions, 1))
            return NodeForecast(
                id: compiled.ids[v], title: compiled.titles[v],
                criticality: finished > 0 ? Double(t.critical) / f : 0,
                capacityDelayMean: t.delay / e,
                slaBreachProbability: finished > 0 ? Double(t.breach) / f : 0,
                executionsMean: finished > 0 ? Double(t.executions) / f : 0,
                waitingMean: t.waiting / e, processingMean: t.processing / e,
                criticalWaitingMean: finished > 0 ? t.criticalWait / f : 0)
        }
        let p = all.parts
        let meanParts = finished > 0
            ? LeadTimeParts(waiting: p.waiting / f, queueing: p.queueing / f, processing: p.processing / f) : p
        let ownerStats = ownerForecasts(compiled, all.owners, spanSum: leadSum, runs: finished)
        let given = options.start != nil && finished > 0
        return SimulationResult(
            runs: runs, seed: options.seed, finishedRuns: finished, unfinishedRuns: all.unfinished,
            kickoff: kickoff, startGiven: options.start != nil, leadTime: summary,
            completionP50: given ? businessInstant(kickoff + summary.p50, compiled.calendar) : nil,
            completionP85: given ? businessInstant(kickoff + summary.p85, compiled.calendar) : nil,
            completionP95: given ? businessInstant(kickoff + summary.p95, compiled.calendar) : nil,
            deadline: compiled.deadline,
            deadlineProbability: compiled.deadline == nil ? nil : Double(all.deadlineMet) / Double(runs),
            leadTimeParts: meanParts, nodes: nodes, owners: ownerStats, leadTimeSamples: leads)
    }

    // MARK: - Portfolio

    /// Forecasts `portfolio.cases` launches of `plan`, case `i` starting at kickoff +
    /// i · the arrival interval (business time for `bd`; or as `portfolio.arrivals` says), all sharing the plan's owners in
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
        let arrivals0 = caseArrivals(compiled, kickoff: kickoff, portfolio: portfolio, seed: options.seed, run: 0)
        let runs = options.runs
        let seed = options.seed
        let parts = portfolioRuns(
            compiled, kickoff: kickoff, cases: cases, options: options, blockRuns: max(1, plainBlockRuns / cases),
            arrivals: { r in
                r == 0 ? arrivals0 : caseArrivals(compiled, kickoff: kickoff, portfolio: portfolio, seed: seed, run: r)
            },
            newBlock: { PortfolioBlock(cases: cases, owners: owners) },
            record: { block, engine in block.record(&engine, kickoff: kickoff) })

        var all = PortfolioBlock(cases: cases, owners: owners)
        for p in parts { all.merge(p) }
        var spanSum = 0.0
        for x in all.makespans { spanSum += x }
        all.leadTimes.sort()
        all.makespans.sort()
        let caseMeans = (0..<cases).map { c in
            all.caseFinished[c] > 0 ? all.caseLeadSum[c] / Double(all.caseFinished[c]) : 0
        }
        return PortfolioResult(
            runs: runs, seed: seed, cases: cases, arrivals: portfolio.arrivals, kickoff: kickoff,
            startGiven: options.start != nil, caseArrivals: arrivals0, finishedCases: all.finishedCases,
            unfinishedCases: all.unfinishedCases, caseLeadTimeMean: caseMeans, caseFinishedRuns: all.caseFinished,
            leadTime: LeadTimeSummary(sorted: all.leadTimes), makespan: LeadTimeSummary(sorted: all.makespans),
            owners: ownerForecasts(compiled, all.owners, spanSum: spanSum, runs: all.makespans.count))
    }

    // MARK: - Event log

    /// The simulated events of run `run` (0-based; the same run the forecast with this
    /// seed simulates as its run `run`), one row per execution and owner, ordered by start
    /// (ties: case, node declaration, execution order). Without `portfolio`, one case.
    /// Rows of an abandoned run stop where it was abandoned.
    public static func eventLog(
        _ plan: SimulationPlan, options: SimulationOptions = SimulationOptions(),
        portfolio: PortfolioOptions? = nil, run: Int = 0, caseIDs givenIDs: [String]? = nil,
        activities: [String]? = nil
    ) throws(SimulationError) -> SimulatedEventLog {
        try validate(options)
        guard run >= 0 else { throw .invalidOption("run index must be non-negative") }
        let pf = portfolio ?? PortfolioOptions(cases: 1, arrival: Duration(amount: 0, unit: .days))
        try validate(pf, nodes: plan.nodes.count)
        let (compiled, kickoff) = try prepare(plan, options: options)
        let arrivals = caseArrivals(compiled, kickoff: kickoff, portfolio: pf, seed: options.seed, run: run)
        var engine = SimulationEngine(plan: compiled, cases: pf.cases, tableStart: kickoff)
        engine.run(seed: options.seed, index: run, arrivals: arrivals)

        let n = max(compiled.nodeCount, 1)
        let order = (0..<engine.execNode.count).filter { engine.execCompleted[$0] }.sorted { a, b in
            let sa = engine.execStart[a], sb = engine.execStart[b]
            if sa != sb { return sa < sb }
            let ga = engine.execNode[a], gb = engine.execNode[b]
            if ga != gb { return ga < gb }
            return a < b
        }
        var caseIDs = givenIDs ?? []
        if caseIDs.count < pf.cases {
            let width = String(pf.cases).count
            caseIDs = (1...pf.cases).map { c -> String in
                let s = String(c)
                return "case-" + String(repeating: "0", count: width - s.count) + s
            }
        }
        let names = activities.flatMap { $0.count == compiled.nodeCount ? $0 : nil } ?? compiled.ids
        var rows: [SimulatedEvent] = []
        rows.reserveCapacity(order.count)
        for e in order {
            let g = engine.execNode[e]
            let c = g / n, v = g % n
            for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
                rows.append(SimulatedEvent(
                    caseID: caseIDs[c], activity: names[v], resource: compiled.ownerIDs[engine.execOwn[k]],
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
        func check(_ s: Double) throws(SimulationError) {
            guard s.isFinite, s >= 0, s <= CompiledPlan.maxSeconds else {
                throw .invalidOption("arrival must be a finite, non-negative duration")
            }
        }
        switch p.arrivals {
        case .every(let d), .exponential(let d): try check(d.seconds)
        case .resampled(let xs):
            guard !xs.isEmpty else { throw .invalidOption("no recorded inter-arrival times to draw from") }
            for x in xs { try check(x) }
        case .instants(let ts):
            guard ts.count >= p.cases else { throw .invalidOption("\(ts.count) arrival instants for \(p.cases) cases") }
            var last = -Double.infinity
            for t in ts {
                guard t.isFinite, abs(t) <= 1e13, t >= last else {
                    throw .invalidOption("arrival instants must be finite and in order")
                }
                last = t
            }
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

    /// The arrival instants of run `run`. Fixed: case `i` arrives at kickoff + i · arrival
    /// (for a `bd` arrival each case one `arrival` of business time after the previous
    /// one). Exponential and resampled inter-arrival times are drawn from their own stream
    /// of the seed, so the runs' other draws stay the same. Instants: as given.
    static func caseArrivals(_ plan: CompiledPlan, kickoff: Double, portfolio: PortfolioOptions,
                             seed: UInt64, run: Int) -> [Double] {
        let cases = max(portfolio.cases, 1)
        if case .instants(let ts) = portfolio.arrivals { return Array(ts.prefix(cases)) }
        var table = BusinessDayTable(calendar: plan.calendar, from: kickoff)
        var rng = SeededGenerator(seed: seed ^ 0x6172_7269_7661_6c73, stream: UInt64(truncatingIfNeeded: run))
        var out: [Double] = [kickoff]
        out.reserveCapacity(cases)
        var t = kickoff
        for i in 1..<cases {
            switch portfolio.arrivals {
            case .every(let d):
                t = d.isBusiness ? table.advance(t, byBusinessSeconds: d.seconds) : kickoff + Double(i) * d.seconds
            case .exponential(let mean):
                let gap = -mean.seconds * deterministicLog(rng.nextOpenUniform())
                t = mean.isBusiness ? table.advance(t, byBusinessSeconds: gap) : t + gap
            case .resampled(let gaps):
                t += gaps[rng.nextIndex(below: gaps.count)]
            case .instants:
                break
            }
            out.append(t)
        }
        return out
    }

    /// A completion instant as reported on the calendar: one on a weekend or holiday is
    /// reported at the start of the next business day.
    static func businessInstant(_ t: Double, _ calendar: BusinessCalendar) -> Double {
        let day = Int((t / secondsPerDay).rounded(.down))
        guard calendar.hasWorkdays, !calendar.isBusinessDay(day) else { return t }
        return Double(calendar.nextBusinessDay(onOrAfter: day)) * secondsPerDay
    }

    static func threadCount(_ options: SimulationOptions) -> Int {
        max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    static func ownerForecasts(_ plan: CompiledPlan, _ owners: [OwnerTotals], spanSum: Double, runs: Int) -> [OwnerForecast] {
        var out: [OwnerForecast] = []
        for o in 0..<plan.ownerCount {
            let denominator = Double(plan.capacity[o]) * spanSum
            out.append(OwnerForecast(
                id: plan.ownerIDs[o], capacity: plan.capacity[o], queueDelayMean: owners[o].mean,
                queueDelayP95: owners[o].percentile(0.95),
                utilisation: denominator > 0 ? owners[o].busy / denominator : 0,
                itemsMean: runs > 0 ? Double(owners[o].count) / Double(runs) : 0))
        }
        return out
    }

    /// Runs `options.runs` runs of `cases` cases sharing owners, `blockRuns` runs to a block:
    /// run `r` arrives as `arrivals(r)` says and is recorded into its block's value, started
    /// with `newBlock()`. The blocks come back in run order. Every forecast but `status`
    /// runs through here.
    static func portfolioRuns<Block: Sendable>(
        _ compiled: CompiledPlan, kickoff: Double, cases: Int, options: SimulationOptions, blockRuns: Int,
        arrivals: @escaping @Sendable (Int) -> [Double], newBlock: @escaping @Sendable () -> Block,
        record: @escaping @Sendable (inout Block, inout SimulationEngine) -> Void
    ) -> [Block] {
        let runs = options.runs, seed = options.seed
        let blocks = (runs + blockRuns - 1) / blockRuns
        return forEachBlock(blocks: blocks, threads: threadCount(options)) {
            SimulationEngine(plan: compiled, cases: cases, tableStart: kickoff)
        } work: { engine, b in
            var block = newBlock()
            let lo = b * blockRuns
            for r in lo..<min(runs, lo + blockRuns) {
                engine.run(seed: seed, index: r, arrivals: arrivals(r))
                record(&block, &engine)
            }
            return block
        }
    }

    /// Runs `work` for blocks 0..<blocks, on up to `threads` threads with one engine per
    /// thread, and returns the results in block order.
    static func forEachBlock<T: Sendable>(
        blocks: Int, threads: Int, makeEngine: @escaping @Sendable () -> SimulationEngine,
        work: @escaping @Sendable (inout SimulationEngine, Int) -> T
    ) -> [T] {
        let workers = max(1, min(threads, blocks))
        // Worker w computes blocks w, w + workers, …; interleaving them restores block order.
        let perWorker = concurrentMap(workers) { w in
            var engine = makeEngine()
            return stride(from: w, to: blocks, by: workers).map { work(&engine, $0) }
        }
        return (0..<blocks).map { perWorker[$0 % workers][$0 / workers] }
    }
}

/// Statistics of one block of plain runs.
struct PlainBlock: Sendable {
    var finished = 0
    var unfinished = 0
    var deadlineMet = 0
    /// The end of the deadline day (`Schedule.deadlineInstant`), once known.
    private var deadlineInstant: Double?
    var leadTimes: [Double] = []
    var nodes: [NodeTotals]
    var parts = LeadTimeParts()
    var owners: [OwnerTotals]
    private var criticalFlag: [Bool]
    private var breachFlag: [Bool]

    init(nodes: Int, owners: Int) {
        self.nodes = [NodeTotals](repeating: NodeTotals(), count: nodes)
        self.owners = [OwnerTotals](repeating: OwnerTotals(), count: owners)
        criticalFlag = [Bool](repeating: false, count: nodes)
        breachFlag = [Bool](repeating: false, count: nodes)
    }

    /// Adds the statistics of a later block.
    mutating func merge(_ p: PlainBlock) {
        finished += p.finished
        unfinished += p.unfinished
        deadlineMet += p.deadlineMet
        leadTimes += p.leadTimes
        for v in nodes.indices { nodes[v].merge(p.nodes[v]) }
        for o in owners.indices { owners[o].merge(p.owners[o]) }
        parts.waiting += p.parts.waiting
        parts.queueing += p.parts.queueing
        parts.processing += p.parts.processing
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
            if deadlineInstant == nil {
                deadlineInstant = Schedule.deadlineInstant(d, kickoff: kickoff, calendar: engine.plan.calendar) ?? kickoff
            }
            if let end = deadlineInstant, finish <= end { deadlineMet += 1 }
        }
        for v in 0..<criticalFlag.count {
            criticalFlag[v] = false
            breachFlag[v] = false
        }
        for e in 0..<engine.execNode.count {
            let v = engine.execNode[e]
            nodes[v].add(engine, e)
            if !breachFlag[v] && engine.breachesSLA(e) { breachFlag[v] = true }
            OwnerTotals.add(engine, e, to: &owners)
        }
        // Along the critical path each execution accounts for the time since its cause
        // ended: processing, plus (when readiness, not capacity, set its start) its hand-off
        // wait and its wait for hours; these add up to the lead time.
        var path = LeadTimeParts()
        engine.forEachCriticalExecution { e in
            let v = engine.execNode[e]
            criticalFlag[v] = true
            let ready = engine.execReady[e], request = engine.execRequest[e]
            let start = engine.execStart[e], end = engine.execFinish[e]
            path.processing += end - start
            if engine.execByCapacity[e] {
                let c = engine.execCause[e]
                let freed = c >= 0 ? engine.execFinish[c] : start
                path.queueing += start - freed
                nodes[v].criticalWait += start - freed
            } else {
                path.waiting += request - ready
                path.queueing += start - request
                nodes[v].criticalWait += start - ready
            }
        }
        // Time before the first execution on the path (a root that waited at kickoff).
        let explained = path.waiting + path.queueing + path.processing
        path.waiting += max(0, lead - explained)
        parts.waiting += path.waiting
        parts.queueing += path.queueing
        parts.processing += path.processing
        for v in 0..<criticalFlag.count {
            if criticalFlag[v] { nodes[v].critical += 1 }
            if breachFlag[v] { nodes[v].breach += 1 }
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
    var owners: [OwnerTotals]

    init(cases: Int, owners: Int) {
        caseLeadSum = [Double](repeating: 0, count: cases)
        caseFinished = [Int](repeating: 0, count: cases)
        self.owners = [OwnerTotals](repeating: OwnerTotals(), count: owners)
    }

    /// Adds the statistics of a later block.
    mutating func merge(_ p: PortfolioBlock) {
        finishedCases += p.finishedCases
        unfinishedCases += p.unfinishedCases
        for c in 0..<caseLeadSum.count {
            caseLeadSum[c] += p.caseLeadSum[c]
            caseFinished[c] += p.caseFinished[c]
        }
        leadTimes += p.leadTimes
        makespans += p.makespans
        for o in owners.indices { owners[o].merge(p.owners[o]) }
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
        for e in 0..<engine.execNode.count where engine.execCompleted[e] { OwnerTotals.add(engine, e, to: &owners) }
    }
}

/// Per-node sums over the executions of some runs; `critical`, `breach` and `criticalWait`
/// only in plain runs (runs with the node on the critical path or past its SLA, and its
/// waiting there).
struct NodeTotals: Sendable {
    var executions = 0
    var delay = 0.0
    var waiting = 0.0
    var processing = 0.0
    var critical = 0
    var breach = 0
    var criticalWait = 0.0

    /// Adds execution `e` of the engine's run: its capacity delay, hand-off wait and processing.
    mutating func add(_ engine: SimulationEngine, _ e: Int) {
        executions += 1
        delay += engine.execStart[e] - engine.execRequest[e]
        waiting += engine.execRequest[e] - engine.execReady[e]
        processing += engine.execFinish[e] - engine.execStart[e]
    }

    mutating func merge(_ t: NodeTotals) {
        executions += t.executions
        delay += t.delay
        waiting += t.waiting
        processing += t.processing
        critical += t.critical
        breach += t.breach
        criticalWait += t.criticalWait
    }
}

/// One owner's queueing delays and busy time: the zero delays counted, the rest kept (most
/// delays are zero, so keeping only the others bounds memory by the queueing that happens).
struct OwnerTotals: Sendable {
    private(set) var count = 0
    private var sum = 0.0
    private var positive: [Double] = []
    private(set) var busy = 0.0

    /// Adds execution `e` of the engine's run to each owner whose capacity it used.
    static func add(_ engine: SimulationEngine, _ e: Int, to owners: inout [OwnerTotals]) {
        let request = engine.execRequest[e], start = engine.execStart[e], end = engine.execFinish[e]
        for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
            owners[engine.execOwn[k]].add(delay: start - request, busy: end - start)
        }
    }

    mutating func add(delay x: Double, busy b: Double) {
        busy += b
        count += 1
        guard x > 0 else { return }
        sum += x
        positive.append(x)
    }

    mutating func merge(_ other: OwnerTotals) {
        count += other.count
        sum += other.sum
        positive += other.positive
        busy += other.busy
    }

    var mean: Double { count > 0 ? sum / Double(count) : 0 }

    /// Percentile `p` of all delays, zeros included (as `SimulationStatistics.percentile`).
    func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let zeros = count - positive.count
        let sorted = positive.sorted()
        return SimulationStatistics.interpolate(count: count, p) { $0 < zeros ? 0 : sorted[$0 - zeros] }
    }
}
