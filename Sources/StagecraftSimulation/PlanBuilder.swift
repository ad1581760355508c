import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory

/// The adapter from the language model to the simulator: a checked `WorkflowModel`, the
/// param values of one run, what-if capacities and, optionally, a calibration from recorded
/// history become a `SimulationPlan`.

/// Where a node's simulated duration comes from, best first.
public enum DurationSource: String, Hashable, Sendable {
    /// The empirical distribution of its recorded processing times (`--history`).
    case history
    /// Its `estimate` (uniform for `LOW..HIGH`, PERT for three values).
    case estimate
    /// Its SLA, as a fixed duration: the forecast has no spread for it.
    case sla
    /// Nothing: it takes no time.
    case none
    /// Its `when` is false for these params: it is skipped and takes no time.
    case skipped
}

/// Where a gate's reject probability comes from.
public enum RejectSource: String, Hashable, Sendable {
    /// The share of its recorded reviews followed by rework (`--history`).
    case history
    /// Its `reject` percentage.
    case declared
    /// Neither: it never rejects.
    case none
}

/// What one node of the plan was built from.
public struct NodeProvenance: Hashable, Sendable {
    public var id: String
    public var duration: DurationSource
    /// How many recorded processing times the duration draws from (0 unless `.history`).
    public var samples: Int
    /// For gates; `.none` for stages.
    public var reject: RejectSource
}

/// A plan ready for the simulator, with what it was built from and the caveats to show.
public struct BuiltPlan: Hashable, Sendable {
    public var plan: SimulationPlan
    /// Per node, in declaration order.
    public var provenance: [NodeProvenance]
    /// Human-readable caveats about the forecast (nodes without spread, without any
    /// duration), in a fixed order.
    public var warnings: [String]
}

/// Processing times and rework shares measured in an event log, per node of a model.
public struct HistoryCalibration: Sendable {
    /// Per model node: recorded processing times (end − start of occurrences with a
    /// recorded start), elapsed seconds, in log order (cases in order of appearance).
    public var processingTimes: [[Double]]
    /// Per model node: distinct executions recorded (a review with two approvers is one).
    public var executions: [Int]
    /// Per model node: for a gate with at least one recorded execution, the share of its
    /// executions followed in the same case by a later execution of its rework target (of
    /// itself when it has no `on reject`); nil otherwise. Executions picked up again
    /// directly (`repeats`) count only once, by the last of them.
    public var rejectShares: [Double?]
    /// Per model node and position in a run of direct repeats (the last position counting
    /// every later one): executions followed directly in their case by another of the node.
    public var repeats: [[Int]] = []
    /// Per model node and run position: executions whose case shows whether they were
    /// picked up again (in a case in flight, all but its last).
    public var repeatsJudged: [[Int]] = []
    /// Run positions told apart: the chance to be picked up again once more changes with
    /// how often it already has (a call made twice, then seldom again).
    public static let repeatPositions = 8
    /// Per model node and run position (as `repeats`): the pauses before the executions
    /// that picked the one at that position up again (see `measureTiming`). A call made
    /// again days later and a call made again the same hour are told apart.
    public var repeatWaitingTimes: [[[Double]]] = []
    /// Activities in the log that match no node, with their occurrence counts, in the
    /// order of the log's activity table.
    public var unmapped: [(activity: String, occurrences: Int)]
    /// Cases in the log.
    public var cases: Int
    /// Per model node: recorded hand-off waits (ready → start; see `measureTiming`),
    /// seconds, working seconds where the node's owner keeps hours.
    public var waitingTimes: [[Double]] = []
    /// Per model node: the waits of its repeated occurrences in a case (work sent back to
    /// it), also counted in `waitingTimes`.
    public var reworkWaitingTimes: [[Double]] = []
    /// Per model node: cases in which it occurred at least once.
    public var casesWithNode: [Int] = []
    /// Recorded case starts (first start or completion of each case), ascending.
    public var caseStarts: [Double] = []
    /// Recorded lead times (first start to last completion) of the cases, in log order.
    public var leadTimes: [Double] = []
    /// The log's last completion.
    public var lastInstant: Double = 0

    /// Per run position, the share of node `v`'s judged executions picked up again
    /// directly; a position judged fewer than `leastJudged` times takes the share of all
    /// positions from it on. Empty when the node was never picked up again.
    public func repeatShares(_ v: Int) -> [Double] {
        guard v < repeats.count, v < repeatsJudged.count, repeats[v].reduce(0, +) > 0 else { return [] }
        let again = repeats[v], judged = repeatsJudged[v]
        return HistoryCalibration.positionGroups(judged, least: HistoryCalibration.leastJudged).map { r in
            Double(again[r].reduce(0, +)) / Double(judged[r].reduce(0, +))
        }
    }

    /// The run positions told apart by `counts` (one per position): each on its own while
    /// it has at least `least`, then the first with fewer together with all after it; none
    /// from where nothing more was counted.
    static func positionGroups(_ counts: [Int], least: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        for k in counts.indices {
            guard counts[k...].reduce(0, +) > 0 else { break }
            if counts[k] < least {
                groups.append(k..<counts.count)
                break
            }
            groups.append(k..<k + 1)
        }
        return groups
    }

    /// The share for node `v` to be picked up again after its `k`th execution in a row.
    public func repeatShare(_ v: Int, after k: Int) -> Double {
        let shares = repeatShares(v)
        return shares.isEmpty ? 0 : shares[HistoryCalibration.position(after: k, of: shares.count)]
    }

    /// Per run position, node `v`'s recorded repeat pauses; a position with fewer than
    /// `leastPauses` of them takes those of all positions from it on. Empty when the node
    /// was never picked up again.
    public func repeatWaits(_ v: Int) -> [[Double]] {
        guard v < repeatWaitingTimes.count else { return [] }
        let byPosition = repeatWaitingTimes[v]
        return HistoryCalibration.positionGroups(byPosition.map(\.count), least: HistoryCalibration.leastPauses)
            .map { Array(byPosition[$0].joined()) }
    }

    /// Every recorded pause of node `v` before a repeat, at any run position.
    public func allRepeatWaits(_ v: Int) -> [Double] {
        v < repeatWaitingTimes.count ? Array(repeatWaitingTimes[v].joined()) : []
    }

    /// Fewer pauses than this at a run position say too little on their own about how long
    /// a pause may last: the rare long one, that tells a case idle from one paused, is
    /// seen in about one pause in a hundred.
    static let leastPauses = 100

    /// Fewer judged executions than this at a run position say too little on their own.
    static let leastJudged = 10

    /// The share of the history before now whose waits and processing a forecast from now
    /// prefers (queues change), and how many a node needs there for them to be used.
    static let recentShare = 0.2
    static let recentLeast = 10

    /// Where the recent part of this calibration's history begins, looking from `asOf`;
    /// nil when the history has no case before it.
    public func recentSince(asOf: Double) -> Double? {
        guard let first = caseStarts.first, asOf > first else { return nil }
        return asOf - HistoryCalibration.recentShare * (asOf - first)
    }

    /// Takes each node's waits and processing from `recent` (the same history measured
    /// from `recentSince`) where it has at least `recentLeast` of them.
    public mutating func prefer(_ recent: HistoryCalibration) {
        func prefer(_ all: inout [[Double]], _ new: [[Double]]) {
            for v in 0..<min(all.count, new.count) where new[v].count >= HistoryCalibration.recentLeast { all[v] = new[v] }
        }
        prefer(&processingTimes, recent.processingTimes)
        prefer(&waitingTimes, recent.waitingTimes)
        prefer(&reworkWaitingTimes, recent.reworkWaitingTimes)
        for v in 0..<min(repeatWaitingTimes.count, recent.repeatWaitingTimes.count) {
            prefer(&repeatWaitingTimes[v], recent.repeatWaitingTimes[v])
        }
    }

    /// Adds the waits, processing and repeat counts of `part` (the same model measured on
    /// other cases) to this calibration's.
    mutating func add(_ part: HistoryCalibration) {
        func add(_ all: inout [[Double]], _ more: [[Double]]) {
            for v in 0..<min(all.count, more.count) { all[v] += more[v] }
        }
        add(&processingTimes, part.processingTimes)
        add(&waitingTimes, part.waitingTimes)
        add(&reworkWaitingTimes, part.reworkWaitingTimes)
        for v in 0..<min(repeatWaitingTimes.count, part.repeatWaitingTimes.count) {
            add(&repeatWaitingTimes[v], part.repeatWaitingTimes[v])
        }
        for v in 0..<min(repeats.count, part.repeats.count, repeatsJudged.count, part.repeatsJudged.count) {
            for k in 0..<min(repeats[v].count, part.repeats[v].count, part.repeatsJudged[v].count) {
                repeats[v][k] += part.repeats[v][k]
                repeatsJudged[v][k] += part.repeatsJudged[v][k]
            }
        }
    }

    /// Measures `log` against `model`: activities are mapped to nodes with `ActivityMatcher`.
    /// Where a node's owner keeps working hours, its processing and waiting are measured in
    /// working time on `model.calendar`.
    ///
    /// With `inFlight`, the log's cases are still under way: the last execution of each
    /// does not show yet whether it is picked up again. Processing times and waits are
    /// measured only for occurrences beginning at or after `since`.
    public init(log: EventLog, model: WorkflowModel, inFlight: Bool = false, since: Double = -.infinity) {
        let hours = PlanBuilder.nodeHours(model)
        let matcher = ActivityMatcher(model: model)
        let n = model.nodes.count
        let nodeOf: [Int?] = log.activities.map { matcher.node(forActivity: $0) }
        var times = [[Double]](repeating: [], count: n)
        var executions = [Int](repeating: 0, count: n)
        var reviewed = [Int](repeating: 0, count: n)
        var rejected = [Int](repeating: 0, count: n)
        var unmappedCounts = [Int](repeating: 0, count: log.activities.count)
        let target: [Int] = (0..<n).map { model.nodes[$0].kind == .gate ? (model.summaries[$0].reworkTarget ?? $0) : -1 }
        let positions = HistoryCalibration.repeatPositions
        var repeats = [[Int]](repeating: [Int](repeating: 0, count: positions), count: n)
        var judged = repeats

        for c in log.cases {
            for o in c.occurrences {
                guard o.activity >= 0, o.activity < nodeOf.count else { continue }
                guard let v = nodeOf[o.activity] else {
                    unmappedCounts[o.activity] += 1
                    continue
                }
                if let s = o.start, s >= since {
                    let d = o.end - s
                    if d.isFinite, d >= 0, d <= CompiledPlan.maxSeconds { times[v].append(d) }
                }
            }
            // An execution the next one picks up again is not the end of its run.
            let list = HistoryCalibration.executions(of: c, nodeOf: nodeOf)
            var perNode: [Int: [Execution]] = [:]
            var runEnds: [Int: [Execution]] = [:]
            var position = 0
            for (i, e) in list.enumerated() {
                perNode[e.node, default: []].append(e)
                let next = i + 1 < list.count ? list[i + 1] : nil
                let again = next.map { e.isPickedUpAgain(by: $0) } ?? false
                let k = min(position, positions - 1)
                if next != nil || !inFlight { judged[e.node][k] += 1 }
                if again {
                    repeats[e.node][k] += 1
                    position += 1
                } else {
                    runEnds[e.node, default: []].append(e)
                    position = 0
                }
            }
            // Sums of counts: the order of the dictionary does not matter.
            for (v, list) in perNode {
                executions[v] += list.count
                let t = target[v]
                guard t >= 0 else { continue }
                let begins = (perNode[t] ?? []).map(\.begin).sorted()
                for e in runEnds[v] ?? [] {
                    reviewed[v] += 1
                    // Executions of the target that begin once this one has ended.
                    var later = begins.count - HistoryCalibration.lowerBound(begins, e.end)
                    if t == v && e.begin >= e.end { later -= 1 }
                    if later > 0 { rejected[v] += 1 }
                }
            }
        }
        processingTimes = times
        self.executions = executions
        rejectShares = (0..<n).map { reviewed[$0] > 0 ? Double(rejected[$0]) / Double(reviewed[$0]) : nil }
        unmapped = unmappedCounts.indices.filter { unmappedCounts[$0] > 0 }
            .map { (log.activities[$0], unmappedCounts[$0]) }
        cases = log.cases.count
        self.repeats = repeats
        repeatsJudged = judged
        let processing = measureTiming(log: log, model: model, nodeOf: nodeOf, hours: hours, since: since)
        if hours.contains(where: { $0 != nil }) { processingTimes = processing }
    }

    /// One execution of a node in a case: occurrences of its activity with the same start
    /// (or completion, without one) and completion are one (a review with two approvers).
    struct Execution: Hashable {
        var node: Int
        var begin: Double
        var end: Double

        /// Whether `next`, the execution after this one in its case, picks this one's work
        /// up again: the same node, begun once this one ended (a work item resumed).
        func isPickedUpAgain(by next: Execution) -> Bool {
            next.node == node && next.begin >= end && next != self
        }
    }

    /// The distinct executions of case `c` (of activities `nodeOf` maps to a node) completed
    /// by `asOf`, in order of start, then completion, then node.
    static func executions(of c: HistoryCase, nodeOf: [Int?], asOf: Double = .infinity) -> [Execution] {
        var list: [Execution] = []
        var seen = Set<Execution>()
        for o in c.occurrences where o.end <= asOf && o.activity >= 0 && o.activity < nodeOf.count {
            guard let v = nodeOf[o.activity] else { continue }
            let e = Execution(node: v, begin: o.start ?? o.end, end: o.end)
            if seen.insert(e).inserted { list.append(e) }
        }
        list.sort { a, b in a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : a.node < b.node }
        return list
    }

    /// Which of `shares` (by position in a run of direct repeats) applies after the `k`th
    /// execution in a row: the last one for every later position.
    static func position(after k: Int, of count: Int) -> Int { min(max(k, 1), count) - 1 }

    /// The first index of sorted `xs` whose value is at least `x`.
    private static func lowerBound(_ xs: [Double], _ x: Double) -> Int {
        var lo = 0, hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// `all` without one occurrence of each element of `some` (a multiset difference).
    static func removing(_ some: [Double], from all: [Double]) -> [Double] {
        var left: [Double: Int] = [:]
        for x in some { left[x, default: 0] += 1 }
        var out: [Double] = []
        out.reserveCapacity(all.count)
        for x in all {
            if let k = left[x], k > 0 { left[x] = k - 1 } else { out.append(x) }
        }
        return out
    }
}

/// Builds simulation plans from workflow models.
public enum PlanBuilder {
    /// The plan for one launch of `model` with param `values` (nodes whose `when` is false
    /// are skipped) and what-if `capacities` by owner ID (IDs of no owner and values below 1
    /// are ignored). Durations per node: `calibration`, else `estimate`, else the SLA as a
    /// fixed duration (warned: no spread), else zero (warned). Reject probability per gate:
    /// `calibration`, else `reject`, else 0.
    public static func build(model: WorkflowModel, values: [String: Value],
                             capacities: [String: Int] = [:], calibration: HistoryCalibration? = nil,
                             pinned: Set<String> = []) -> BuiltPlan {
        let owners = model.owners.enumerated().map { i, o in
            let capacity = capacities[o.id.name].flatMap { $0 >= 1 ? $0 : nil } ?? model.capacity(ofOwner: i)
            return SimOwner(id: o.id.name, capacity: capacity, hours: o.hours?.workingHours ?? model.calendar.hours)
        }
        let skipped = model.skipped(values: values)
        let (variants, variantNote) = caseVariants(model: model, values: values, pinned: pinned, calibration: calibration)
        var nodes: [SimNode] = []
        var provenance: [NodeProvenance] = []
        var slaOnly: [String] = []
        var nothing: [String] = []
        for (i, decl) in model.nodes.enumerated() {
            let isGate = decl.kind == .gate
            var source: DurationSource
            var samples = 0
            let duration: DurationModel
            let recorded = calibration.flatMap { i < $0.processingTimes.count ? $0.processingTimes[i] : nil } ?? []
            if !recorded.isEmpty {
                duration = .empirical(recorded)
                source = .history
                samples = recorded.count
            } else if let e = decl.estimate {
                duration = DurationModel(e)
                source = .estimate
            } else if let s = decl.sla {
                duration = .fixed(s.value)
                source = .sla
                if !skipped[i] { slaOnly.append(decl.id.name) }
            } else {
                duration = .fixed(Duration(amount: 0, unit: .days))
                source = .none
                if !skipped[i] { nothing.append(decl.id.name) }
            }
            if skipped[i] { source = .skipped }

            var reject = 0.0
            var rejectSource = RejectSource.none
            if isGate {
                if let c = calibration, i < c.rejectShares.count, let share = c.rejectShares[i] {
                    reject = share
                    rejectSource = .history
                } else if let p = decl.reject, p.value.isFinite, p.value > 0 {
                    reject = min(1, p.value / 100)
                    rejectSource = .declared
                }
            }
            // Hand-off waiting: the recorded waits, else the declared `wait`, else none.
            var wait: DurationModel?
            var reworkWait: DurationModel?
            var repeatWaits: [DurationModel] = []
            if let c = calibration, i < c.waitingTimes.count, !c.waitingTimes[i].isEmpty {
                wait = .empirical(c.waitingTimes[i])
                // Work sent back waits as recorded for repeats; a first pass as for first
                // occurrences (the rest), when both were recorded.
                let again = i < c.reworkWaitingTimes.count ? c.reworkWaitingTimes[i] : []
                if !again.isEmpty, again.count < c.waitingTimes[i].count {
                    wait = .empirical(HistoryCalibration.removing(again, from: c.waitingTimes[i]))
                    // Picked up again directly pauses as recorded for that; sent back, as
                    // the other repeats.
                    let sentBack = HistoryCalibration.removing(c.allRepeatWaits(i), from: again)
                    reworkWait = .empirical(sentBack.isEmpty ? again : sentBack)
                    repeatWaits = c.repeatWaits(i).map { .empirical($0) }
                }
            } else if let w = model.nodes[i].wait {
                switch w {
                case .fixed(let d): wait = .fixed(d.value)
                case .spread(let e): wait = DurationModel(e)
                }
            }
            // Chance: the share of recorded cases in which the node ran, among the cases
            // whose varying params let it run, else as declared.
            var chance = 1.0
            if let declared = model.chance(of: i) {
                chance = declared
                if let c = calibration, c.cases > 0, i < c.casesWithNode.count {
                    let runs = variants.isEmpty ? 1 : variants.reduce(0.0) { $0 + ($1.skipped.contains(i) ? 0 : $1.probability) }
                    chance = runs > 0 ? min(1, Double(c.casesWithNode[i]) / (Double(c.cases) * runs)) : 0
                }
            }
            // Again in a rework pass: the share of its recorded executions that repeat it in
            // a case (a step sometimes redone in a loop), once it has run.
            var repeatChance: Double?
            if model.chance(of: i) != nil, let c = calibration, i < c.executions.count, i < c.casesWithNode.count,
               c.executions[i] > 0 {
                // Executions picked up again directly are one run of it, not another pass.
                let direct = i < c.repeats.count ? c.repeats[i].reduce(0, +) : 0
                let runs = max(1, c.executions[i] - direct)
                repeatChance = Double(max(0, runs - c.casesWithNode[i])) / Double(runs)
            }
            nodes.append(SimNode(
                id: decl.id.name, title: decl.title?.value ?? "", isGate: isGate,
                predecessors: Array(model.graph.predecessors[i]), owners: Array(model.owners(ofNode: i)),
                quorum: isGate ? model.quorum(ofNode: i) : 1, duration: duration,
                rejectProbability: reject, reworkTarget: isGate ? model.summaries[i].reworkTarget : nil,
                skipped: skipped[i], sla: decl.sla?.value, wait: wait, chance: chance, repeatChance: repeatChance,
                reworkWait: reworkWait, repeatShares: calibration?.repeatShares(i) ?? [], repeatWaits: repeatWaits))
            provenance.append(NodeProvenance(id: decl.id.name, duration: source, samples: samples,
                                             reject: rejectSource))
        }
        var warnings: [String] = []
        if let note = variantNote { warnings.append(note) }
        if !slaOnly.isEmpty {
            warnings.append("no estimate for \(slaOnly.joined(separator: ", ")): the SLA is used as a fixed duration, so the forecast has no spread for \(slaOnly.count == 1 ? "it" : "them")")
        }
        if !nothing.isEmpty {
            warnings.append("no estimate or SLA for \(nothing.joined(separator: ", ")): \(nothing.count == 1 ? "it takes" : "they take") no time in the forecast")
        }
        let plan = SimulationPlan(nodes: nodes, owners: owners, calendar: model.calendar, deadline: model.deadline,
                                  variants: variants)
        return BuiltPlan(plan: plan, provenance: provenance, warnings: warnings)
    }

    /// The working hours of each node's work: its first owner's (a gate's first approver's),
    /// else the calendar's; nil around the clock.
    public static func nodeHours(_ model: WorkflowModel) -> [WorkingHours?] {
        (0..<model.nodes.count).map { i in
            model.owners(ofNode: i).first.flatMap { model.owners[$0].hours?.workingHours } ?? model.calendar.hours
        }
    }

    /// Most combinations of varying params a plan enumerates.
    static let maxVariants = 4_096

    /// The combinations of the params that vary per case (shares declared, not pinned by
    /// `--set`), each with its probability and the nodes skipped in it. With history, a
    /// param's shares are the shares of cases in which the nodes that only its value runs
    /// occurred (when any occurred). Empty when nothing varies.
    static func caseVariants(model: WorkflowModel, values: [String: Value], pinned: Set<String>,
                             calibration: HistoryCalibration?) -> ([CaseVariant], String?) {
        var varying: [(name: String, options: [(value: Value, share: Double)])] = []
        var combos = 1
        for (p, decl) in model.params.enumerated() where !pinned.contains(decl.name.name) {
            var options = model.shares(ofParam: p)
            guard options.count > 1 else { continue }
            if let c = calibration { options = calibratedShares(model: model, param: decl.name.name, options: options,
                                                                 values: values, calibration: c) }
            guard combos * options.count <= maxVariants else {
                return ([], "more than \(maxVariants) combinations of varying params: the forecast uses their defaults")
            }
            combos *= options.count
            varying.append((decl.name.name, options))
        }
        guard !varying.isEmpty else { return ([], nil) }
        // Every combination, the last param varying fastest.
        var all: [(values: [String: Value], probability: Double)] = [(values, 1)]
        for p in varying {
            all = all.flatMap { c in
                p.options.map { o in
                    var v = c.values
                    v[p.name] = o.value
                    return (v, c.probability * o.share)
                }
            }
        }
        let out = all.map { c in
            let skipped = model.skipped(values: c.values)
            return CaseVariant(probability: c.probability, skipped: skipped.indices.filter { skipped[$0] })
        }
        return (out, nil)
    }

    /// A param's shares from history: for each value, the cases in which a node that runs
    /// only under that value occurred. The declared shares when no such node occurred.
    static func calibratedShares(model: WorkflowModel, param: String, options: [(value: Value, share: Double)],
                                 values: [String: Value], calibration: HistoryCalibration) -> [(value: Value, share: Double)] {
        let runs: [[Bool]] = options.map { o in
            var v = values
            v[param] = o.value
            return model.skipped(values: v).map { !$0 }
        }
        // Per value, the most cases any node only it runs occurred in; nil when it has none.
        var counts: [Int?] = []
        for (k, _) in options.enumerated() {
            var best: Int?
            for node in 0..<model.nodes.count where runs[k][node] {
                let exclusive = runs.indices.allSatisfy { $0 == k || !runs[$0][node] }
                if exclusive, node < calibration.casesWithNode.count { best = max(best ?? 0, calibration.casesWithNode[node]) }
            }
            counts.append(best)
        }
        let seen = counts.compactMap { $0 }.reduce(0, +)
        guard seen > 0, calibration.cases > 0 else { return options }
        let unseen = options.indices.filter { counts[$0] == nil }
        if unseen.isEmpty {
            return options.indices.map { (options[$0].value, Double(counts[$0] ?? 0) / Double(seen)) }
        }
        // Values without a node of their own share the rest of the cases as declared.
        let rest = max(0, 1 - Double(seen) / Double(calibration.cases))
        let declared = unseen.reduce(0.0) { $0 + options[$1].share }
        return options.indices.map { k in
            if let c = counts[k] { return (options[k].value, min(1, Double(c) / Double(calibration.cases))) }
            let part = declared > 0 ? options[k].share / declared : 1 / Double(unseen.count)
            return (options[k].value, rest * part)
        }
    }

    /// The activity name to write for each node of `model` in a simulated event log, so
    /// that `ActivityMatcher` maps it back to the same node: the node's ID when it matches
    /// the node (always, unless the node lists `matches`), else the first of its `matches`
    /// names that maps back to it, else its ID.
    public static func activityNames(model: WorkflowModel) -> [String] {
        let matcher = ActivityMatcher(model: model)
        return model.nodes.enumerated().map { i, node in
            if matcher.node(forActivity: node.id.name) == i { return node.id.name }
            for m in node.matches where matcher.node(forActivity: m.value) == i { return m.value }
            return node.id.name
        }
    }
}

extension DurationModel {
    /// A declared spread: uniform for `LOW..HIGH`, PERT for three values.
    init(_ estimate: Estimate) {
        switch estimate {
        case .range(let l, let h): self = .uniform(low: l.value, high: h.value)
        case .pert(let o, let m, let p): self = .pert(optimistic: o.value, likely: m.value, pessimistic: p.value)
        }
    }
}
