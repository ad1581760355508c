import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory

/// What `stagecraft replay` computes: a workflow definition run against recorded history,
/// with ready, processing, waiting, sojourn and lead time as docs/cli.md ("Recorded history")
/// defines them.
public enum Replay {
    /// Runs `model` against `log`. Pure: the same inputs give the same result.
    public static func run(model: WorkflowModel, log: EventLog) -> ReplayResult {
        ReplayEngine(model: model, log: log).run()
    }

    /// A replay whose stages keep their sorted samples (for `history draft`).
    static func runKeepingSamples(model: WorkflowModel, log: EventLog) -> ReplayResult {
        var engine = ReplayEngine(model: model, log: log)
        engine.keepSamples = true
        return engine.run()
    }

    /// The owner each log resource stands for: the first owner (in declaration order) whose
    /// `members` spell the name exactly, else the first that spells it ignoring case; a
    /// resource no member claims stands for the owner whose ID it spells.
    public static func resourceOwners(model: WorkflowModel, log: EventLog) -> [Int?] {
        var exact: [String: Int] = [:]
        var folded: [String: Int] = [:]
        for (i, owner) in model.owners.enumerated() {
            for m in owner.members {
                if exact[m.value] == nil { exact[m.value] = i }
                let f = m.value.lowercased()
                if folded[f] == nil { folded[f] = i }
            }
        }
        // A resource spelled like an owner's ID stands for that owner too (team-level logs,
        // and the logs `simulate --emit-log` writes), unless a member name claimed it.
        for (i, owner) in model.owners.enumerated() {
            if exact[owner.id.name] == nil { exact[owner.id.name] = i }
            let f = owner.id.name.lowercased()
            if folded[f] == nil { folded[f] = i }
        }
        return log.resources.map { exact[$0] ?? folded[$0.lowercased()] }
    }

    /// The nodes on a declared rework route: each `on reject` target, its gate, and the
    /// nodes between them.
    public static func reworkRoutes(model: WorkflowModel) -> [Bool] {
        let n = model.nodes.count
        var onRoute = [Bool](repeating: false, count: n)
        for g in 0..<n {
            guard let t = model.summaries[g].reworkTarget else { continue }
            onRoute[g] = true
            onRoute[t] = true
            for x in 0..<n where x != g && x != t {
                if model.graph.precedes(t, x) && model.graph.precedes(x, g) { onRoute[x] = true }
            }
        }
        return onRoute
    }
}

/// The result of a replay; every list is in a stable order.
public struct ReplayResult: Sendable {
    /// Cases in the log.
    public var caseCount: Int
    /// Events read (rows or XES events).
    public var eventCount: Int
    /// Occurrences (paired intervals or instants) in the log.
    public var occurrenceCount: Int
    /// Occurrences that count as a node.
    public var mappedOccurrenceCount: Int
    /// Earliest start and latest completion in the log, when it has occurrences.
    public var firstInstant: Double?
    public var lastInstant: Double?
    /// Activities in the log that match no node, most events first (ties by name).
    public var unmappedActivities: [UnmappedActivity]
    /// Node indices that never occur in the log, in declaration order.
    public var unobservedNodes: [Int]
    /// One entry per node, in declaration order.
    public var stages: [StageReplay]
    /// Lead time over cases with at least one occurrence.
    public var leadTime: DurationStats?
    /// Σ of every case's lead time (the denominator of the bottleneck shares).
    public var totalLeadTime: Double
    /// Cases with no violation of any kind.
    public var conformingCases: Int
    /// Cases in which a final node (one with no successors) occurred.
    public var finishedCases: Int
    /// One entry per `ViolationKind`, in the order of `ViolationKind.allCases`.
    public var violations: [ViolationSummary]
    /// One entry per owner, in declaration order.
    public var owners: [OwnerReplay]
    /// One entry per resource of the log, by name.
    public var resources: [ResourceReplay]
    /// Nodes with the largest share of lead time, largest first (at most 5).
    public var bottlenecks: [Bottleneck]

    /// Conforming cases as a share of all cases (1 when there are none).
    public var conformingShare: Double {
        caseCount == 0 ? 1 : Double(conformingCases) / Double(caseCount)
    }
}

/// An activity of the log that counts as no node.
public struct UnmappedActivity: Sendable, Hashable {
    /// The activity name as written.
    public var activity: String
    /// Events recorded for it.
    public var events: Int
}

/// Replay figures of one node (stage or gate).
public struct StageReplay: Sendable {
    /// Index into `WorkflowModel.nodes`.
    public var node: Int
    /// The node's ID.
    public var id: String
    /// Stage or gate.
    public var kind: NodeKind
    /// Log activities that count as this node, by name.
    public var activities: [String]
    /// Occurrences.
    public var count: Int
    /// Cases in which the node occurs at least once.
    public var cases: Int
    /// complete − start, over occurrences with a recorded start.
    public var processing: DurationStats?
    /// start − ready, over occurrences with a recorded start.
    public var waiting: DurationStats?
    /// complete − ready, over all occurrences.
    public var sojourn: DurationStats?
    /// The declared SLA.
    public var sla: Duration?
    /// Occurrences whose sojourn exceeded the SLA (business time for `bd`).
    public var slaBreaches: Int
    /// Cases in which the node occurs more than once.
    public var reworkCases: Int
    /// The part of all cases' lead time attributed to this node (see `LeadTimeAttribution`) over
    /// Σ case lead time; the shares of all nodes sum to at most 1.
    public var leadTimeShare: Double
    /// Time this node's occurrences waited while one of its owners was at capacity.
    public var waitedAtCapacity: Double
    /// The sorted samples behind `processing`, `waiting` and `sojourn`, kept only when asked
    /// for (`history draft` reads quantiles other than those of `DurationStats`).
    var samples: StageSamples? = nil

    /// Breaches as a share of occurrences; nil without an SLA or occurrences.
    public var breachRate: Double? {
        guard sla != nil, count > 0 else { return nil }
        return Double(slaBreaches) / Double(count)
    }
}

/// The sorted per-occurrence durations of one node, in seconds.
struct StageSamples: Sendable {
    var processing: [Double]
    var waiting: [Double]
    var sojourn: [Double]
}

/// The kinds of conformance violation, with their JSON names.
public enum ViolationKind: String, Sendable, CaseIterable {
    /// A node started before one of its `after` nodes (that occurs in the case) completed.
    case outOfOrder = "out-of-order"
    /// A finished case lacks a node without `when` or `chance`.
    case missingRequired = "missing-required"
    /// A gate's recorded approvers stand for fewer owners than its quorum.
    case gateWithoutApprovals = "gate-without-approvals"
    /// A node ran more than once in a case but is on no `on reject` route.
    case reworkOutsideRoute = "rework-outside-route"

    /// The violation in plain words.
    public var summary: String {
        switch self {
        case .outOfOrder: return "started before an `after` node completed"
        case .missingRequired: return "finished without a required node"
        case .gateWithoutApprovals: return "gate passed with fewer approvers than its quorum"
        case .reworkOutsideRoute: return "node repeated outside any `on reject` route"
        }
    }
}

/// How many cases show one kind of violation, with the first few case IDs (log order).
public struct ViolationSummary: Sendable, Hashable {
    public var kind: ViolationKind
    /// Cases with at least one violation of this kind.
    public var count: Int
    /// Up to 5 case IDs, in the order the cases appear in the log.
    public var examples: [String]
}

/// An owner's load in the history.
///
/// An occurrence counts for the owner its resource stands for (through `members`); when the
/// resource stands for no owner (or is missing), for the node's owner (stage) or approvers (gate).
public struct OwnerReplay: Sendable {
    /// Index into `WorkflowModel.owners`.
    public var owner: Int
    public var id: String
    /// Declared capacity (1 by default).
    public var capacity: Int
    /// Log resources that stand for this owner, by name.
    public var members: [String]
    /// Occurrences counted for the owner.
    public var workItems: Int
    /// Time with at least one work item in progress.
    public var busy: Double
    /// Σ processing time of its work items.
    public var processing: Double
    /// Most work items in progress at once.
    public var peakConcurrency: Int
    /// Time the owner had at least `capacity` items in progress.
    public var atCapacity: Double
    /// Waiting time of its nodes that fell while it was at capacity.
    public var waitedAtCapacity: Double
}

/// One log resource's load.
public struct ResourceReplay: Sendable {
    /// Resource name as written.
    public var name: String
    /// The owner it stands for (index into `WorkflowModel.owners`), if any.
    public var owner: Int?
    /// Occurrences with this resource (mapped to a node or not).
    public var workItems: Int
    /// Time with at least one of its occurrences in progress.
    public var busy: Double
    /// Σ processing time of its occurrences.
    public var processing: Double
    /// Most of its occurrences in progress at once.
    public var peakConcurrency: Int
}

/// A node ranked by its share of lead time, with the reason in one line.
public struct Bottleneck: Sendable, Hashable {
    public var node: Int
    public var stage: String
    public var share: Double
    public var reason: String
}

/// The concurrency of a set of intervals as a step function over their sorted starts and
/// ends (no breakpoint arrays are built); the time spent at or above a capacity is summed over
/// it in one ordered merge (`sumAtCapacity`).
struct ConcurrencyProfile {
    /// The starts and the ends, each ascending (slices of a group's arrays, not copies).
    private let starts: ArraySlice<Double>
    private let ends: ArraySlice<Double>
    var capacity: Int
    var peak = 0
    var busy = 0.0
    var totalAtCapacity = 0.0

    /// The profile of intervals whose starts and ends are each sorted ascending.
    init(sortedStarts: ArraySlice<Double>, sortedEnds: ArraySlice<Double>, capacity: Int) {
        starts = sortedStarts
        ends = sortedEnds
        self.capacity = max(1, capacity)
        let cap = Int32(self.capacity)
        var steps = Steps(starts: sortedStarts, ends: sortedEnds)
        var acc = 0.0
        var last = 0.0, level: Int32 = 0
        var seen = false
        while let t = steps.next {
            if seen {
                let span = t - last
                if level >= cap { acc += span }
                if level >= 1 { busy += span }
            }
            steps.advance(peak: &peak)
            last = t
            level = steps.level
            seen = true
        }
        totalAtCapacity = acc
    }

    /// The breakpoints of the step function in order: each distinct instant, with the level
    /// after every start and end at it (ends count first: back-to-back items do not overlap).
    private struct Steps {
        let starts: ArraySlice<Double>
        let ends: ArraySlice<Double>
        var i: Int
        var j: Int
        var level: Int32 = 0

        init(starts: ArraySlice<Double>, ends: ArraySlice<Double>) {
            self.starts = starts
            self.ends = ends
            i = starts.startIndex
            j = ends.startIndex
        }

        /// The next breakpoint's instant; nil after the last.
        var next: Double? {
            if j < ends.endIndex && (i >= starts.endIndex || ends[j] <= starts[i]) { return ends[j] }
            return i < starts.endIndex ? starts[i] : nil
        }

        /// Applies every start and end at the next breakpoint, raising `peak` to the levels passed.
        mutating func advance(peak: inout Int) {
            guard let t = next else { return }
            while let u = next, u == t {
                if j < ends.endIndex && (i >= starts.endIndex || ends[j] <= starts[i]) {
                    level -= 1
                    j += 1
                } else {
                    level += 1
                    i += 1
                }
                if Int(level) > peak { peak = Int(level) }
            }
        }
    }

    /// Σ over `points` (ascending) of the time at or above capacity up to each point: one merge
    /// over the breakpoints, adding up the time at capacity as it passes them, so memory is
    /// read in order and nothing is kept between calls.
    func sumAtCapacity(sortedPoints points: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        // Time at or above capacity before the last breakpoint passed (at `last`, `level`).
        var before = 0.0
        var last = 0.0, level: Int32 = 0
        var seen = false
        var unusedPeak = 0
        let cap = Int32(capacity)
        var steps = Steps(starts: starts, ends: ends)
        for x in points {
            while let t = steps.next, t <= x {
                if seen && level >= cap { before += t - last }
                steps.advance(peak: &unusedPeak)
                last = t
                level = steps.level
                seen = true
            }
            guard seen else { continue }
            sum += before + (level >= cap ? x - last : 0)
        }
        return sum
    }
}

/// Values appended to buckets whose sizes are known beforehand, in one flat buffer that the
/// caller deallocates (no per-append uniqueness checks or reallocations on the hot path).
struct Buckets {
    private let offsets: [Int]
    private var filled: [Int]
    private let storage: UnsafeMutableBufferPointer<Double>

    init(sizes: [Int]) {
        var offsets = [Int](repeating: 0, count: sizes.count + 1)
        for (i, n) in sizes.enumerated() { offsets[i + 1] = offsets[i] + max(0, n) }
        self.offsets = offsets
        filled = [Int](repeating: 0, count: sizes.count)
        storage = .allocate(capacity: max(1, offsets[sizes.count]))
    }

    /// Appends to bucket `b`; values beyond its size are dropped (never out of bounds).
    @inline(__always)
    mutating func append(_ b: Int, _ value: Double) {
        let i = offsets[b] + filled[b]
        guard i < offsets[b + 1] else { return }
        storage[i] = value
        filled[b] += 1
    }

    /// Bucket `b`, sorted ascending in place.
    func sorted(_ b: Int) -> UnsafeBufferPointer<Double> {
        let slice = UnsafeMutableBufferPointer(rebasing: storage[offsets[b]..<(offsets[b] + filled[b])])
        radixSort(slice)
        return UnsafeBufferPointer(slice)
    }

    func deallocate() { storage.deallocate() }
}

/// The inputs of one replay run, resolved once.
struct ReplayEngine: Sendable {
    let model: WorkflowModel
    let log: EventLog
    let nodeCount: Int
    /// Log activity → node.
    let activityNode: [Int?]
    /// Log resource → owner.
    let resourceOwner: [Int?]
    /// Node → the owners it loads (stage owner or gate approvers).
    let nodeOwners: [[Int]]
    let predecessors: [[Int]]
    /// Whether each `StageReplay` keeps its samples.
    var keepSamples = false

    init(model: WorkflowModel, log: EventLog) {
        self.model = model
        self.log = log
        nodeCount = model.nodes.count
        let matcher = ActivityMatcher(model: model)
        activityNode = log.activities.map { matcher.node(forActivity: $0) }
        resourceOwner = Replay.resourceOwners(model: model, log: log)
        nodeOwners = (0..<model.nodes.count).map { Array(model.owners(ofNode: $0)) }
        predecessors = model.graph.predecessors.map { Array($0) }
    }

    /// The owners an occurrence of `node` by `resource` counts for.
    func owners(node: Int, resource: Int?) -> [Int] {
        if let r = resource, let o = resourceOwner[r] { return [o] }
        return nodeOwners[node]
    }

    /// Runs the replay: the resource loads on one core while the owner loads are gathered on
    /// another, then the case-by-case pass. (The case pass allocates its buckets once the
    /// resource loads have freed their intervals: the two never hold memory at once.)
    func run() -> ReplayResult {
        enum Half: Sendable {
            case resources([ResourceReplay])
            case owners(OwnerLoads)
        }
        let engine = self
        let halves = concurrentMap(2) { job in
            job == 0 ? Half.resources(engine.resourceLoads()) : Half.owners(engine.ownerLoads())
        }
        // concurrentMap keeps index order: the resource loads first, then the owner loads.
        guard case .resources(let resources) = halves[0], case .owners(let loads) = halves[1] else {
            return scan(loads: ownerLoads())
        }
        var result = scan(loads: loads)
        result.resources = resources
        for k in result.owners.indices {
            let w = result.owners[k].owner
            result.owners[k].members = resources.filter { $0.owner == w }.map(\.name)
        }
        return result
    }

    /// Intervals `[start, end)` grouped by a key with a counting pass, in flat arrays: group `g`
    /// is `starts[offsets[g] ..< offsets[g + 1]]`, each group's starts and ends sorted.
    struct GroupedIntervals {
        var offsets: [Int]
        var starts: [Double]
        var ends: [Double]
        /// Items per group, with a recorded start or not.
        var items: [Int]
        /// Σ end − start per group.
        var processing: [Double]

        /// Groups the items `visit` passes to `add` as (group, start, end); `visit` runs twice,
        /// to count (`filling` false) and then to fill, and must pass the same items with a
        /// start both times (the fill pass may leave out those without one).
        static func grouping(_ count: Int,
                             visit: (_ filling: Bool, _ add: (_ group: Int, _ start: Double?, _ end: Double) -> Void) -> Void)
            -> GroupedIntervals {
            var items = [Int](repeating: 0, count: count)
            var processing = [Double](repeating: 0, count: count)
            var offsets = [Int](repeating: 0, count: count + 1)
            visit(false) { g, start, end in
                items[g] += 1
                if let s = start {
                    offsets[g + 1] += 1
                    processing[g] += end - s
                }
            }
            for g in 0..<count { offsets[g + 1] += offsets[g] }
            var starts = [Double](repeating: 0, count: offsets[count])
            var ends = [Double](repeating: 0, count: offsets[count])
            var fill = offsets
            visit(true) { g, start, end in
                guard let s = start else { return }
                starts[fill[g]] = s
                ends[fill[g]] = end
                fill[g] += 1
            }
            starts.withUnsafeMutableBufferPointer { s in
                ends.withUnsafeMutableBufferPointer { e in
                    for g in 0..<count {
                        let range = offsets[g]..<offsets[g + 1]
                        radixSort(UnsafeMutableBufferPointer(rebasing: s[range]))
                        radixSort(UnsafeMutableBufferPointer(rebasing: e[range]))
                    }
                }
            }
            return GroupedIntervals(offsets: offsets, starts: starts, ends: ends, items: items, processing: processing)
        }

        /// The concurrency profile of group `g` (it shares the arrays).
        func profile(_ g: Int, capacity: Int) -> ConcurrencyProfile {
            let range = offsets[g]..<offsets[g + 1]
            return ConcurrencyProfile(sortedStarts: starts[range], sortedEnds: ends[range], capacity: capacity)
        }
    }

    /// Work items, busy time, processing and peak concurrency of every log resource, by name.
    func resourceLoads() -> [ResourceReplay] {
        let count = log.resources.count
        let grouped = GroupedIntervals.grouping(count) { _, add in
            for c in log.cases {
                for o in c.occurrences {
                    guard let r = o.resource, r >= 0, r < count else { continue }
                    add(r, o.start, o.end)
                }
            }
        }
        var resources: [ResourceReplay] = []
        resources.reserveCapacity(count)
        for r in 0..<count {
            let p = grouped.profile(r, capacity: 1)
            resources.append(ResourceReplay(
                name: log.resources[r], owner: resourceOwner[r], workItems: grouped.items[r], busy: p.busy,
                processing: grouped.processing[r], peakConcurrency: p.peak))
        }
        resources.sort { $0.name < $1.name }
        return resources
    }

    /// The node an occurrence counts as, if any.
    @inline(__always)
    func node(of o: Occurrence) -> Int? {
        o.activity >= 0 && o.activity < activityNode.count ? activityNode[o.activity] : nil
    }

    /// Everything but the resource loads (and the owners' member lists, which come from
    /// them), from the owner loads of pass 1.
    func scan(loads: OwnerLoads) -> ReplayResult {
        var tally = CaseTally(engine: self, nodeOccurrences: loads.nodeOccurrences, nodeTimed: loads.nodeTimed)
        defer { tally.deallocate() }
        for c in log.cases { tally.add(c) }
        return result(loads: loads, tally: tally)
    }

    /// What pass 1 of `scan` finds: each owner's work items, processing and concurrency
    /// profile, and how many occurrences (all, and with a recorded start) each node has.
    struct OwnerLoads {
        var items: [Int]
        var processing: [Double]
        var profiles: [ConcurrencyProfile]
        var nodeOccurrences: [Int]
        var nodeTimed: [Int]
    }

    /// Pass 1 of `scan`: intervals per owner, grouped in flat arrays, and node counts (which
    /// size the buckets of pass 2).
    func ownerLoads() -> OwnerLoads {
        var nodeOccurrences = [Int](repeating: 0, count: nodeCount)
        var nodeTimed = [Int](repeating: 0, count: nodeCount)
        let grouped = GroupedIntervals.grouping(model.owners.count) { filling, add in
            for c in log.cases {
                for o in c.occurrences {
                    guard let v = node(of: o) else { continue }
                    if filling {
                        guard o.start != nil else { continue }
                    } else {
                        nodeOccurrences[v] += 1
                        if o.start != nil { nodeTimed[v] += 1 }
                    }
                    for w in owners(node: v, resource: o.resource) { add(w, o.start, o.end) }
                }
            }
        }
        let profiles = (0..<model.owners.count).map { grouped.profile($0, capacity: model.capacity(ofOwner: $0)) }
        return OwnerLoads(items: grouped.items, processing: grouped.processing, profiles: profiles,
                          nodeOccurrences: nodeOccurrences, nodeTimed: nodeTimed)
    }

    /// The replay's result from the two passes of `scan`.
    private func result(loads: OwnerLoads, tally: CaseTally) -> ReplayResult {
        let n = nodeCount
        let (stageWaited, ownerWaited) = tally.waitedAtCapacity(profiles: loads.profiles)
        var leadTimes = tally.leadTimes
        radixSort(&leadTimes)
        let totalLead = leadTimes.reduce(0, +)
        let stages = stageReplays(tally, totalLead: totalLead, waitedAtCapacity: stageWaited)
        let owners = (0..<model.owners.count).map { w in
            OwnerReplay(
                owner: w, id: model.owners[w].id.name, capacity: model.capacity(ofOwner: w),
                members: [], workItems: loads.items[w],
                busy: loads.profiles[w].busy, processing: loads.processing[w],
                peakConcurrency: loads.profiles[w].peak,
                atCapacity: loads.profiles[w].totalAtCapacity, waitedAtCapacity: ownerWaited[w])
        }
        let violations = ViolationKind.allCases.enumerated().map { k, kind in
            ViolationSummary(kind: kind, count: tally.violationCounts[k], examples: tally.violationExamples[k])
        }
        let first = tally.first, last = tally.last
        return ReplayResult(
            caseCount: log.cases.count, eventCount: log.eventCount, occurrenceCount: log.occurrenceCount,
            mappedOccurrenceCount: tally.mapped, firstInstant: first <= last ? first : nil,
            lastInstant: first <= last ? last : nil, unmappedActivities: unmappedActivities(),
            unobservedNodes: (0..<n).filter { tally.counts[$0] == 0 }, stages: stages,
            leadTime: DurationStats(sorted: leadTimes), totalLeadTime: totalLead,
            conformingCases: tally.conforming, finishedCases: tally.finishedCount, violations: violations,
            owners: owners, resources: [],
            bottlenecks: ReplayEngine.rank(stages: stages, owners: owners, model: model))
    }

    /// One `StageReplay` per node, from the figures gathered case by case.
    private func stageReplays(_ tally: CaseTally, totalLead: Double, waitedAtCapacity: [Double]) -> [StageReplay] {
        var activitiesOfNode = [[String]](repeating: [], count: nodeCount)
        for (a, name) in log.activities.enumerated() {
            if let v = activityNode[a] { activitiesOfNode[v].append(name) }
        }
        return (0..<nodeCount).map { v in
            let processing = tally.processing.sorted(v)
            let waiting = tally.waiting.sorted(v)
            let sojourn = tally.sojourn.sorted(v)
            let kept = keepSamples ? StageSamples(
                processing: Array(processing), waiting: Array(waiting), sojourn: Array(sojourn)) : nil
            return StageReplay(
                node: v, id: model.nodes[v].id.name, kind: model.nodes[v].kind,
                activities: activitiesOfNode[v].sorted(), count: tally.counts[v], cases: tally.caseCounts[v],
                processing: DurationStats(sortedBuffer: processing),
                waiting: DurationStats(sortedBuffer: waiting),
                sojourn: DurationStats(sortedBuffer: sojourn), sla: tally.slas[v], slaBreaches: tally.breaches[v],
                reworkCases: tally.reworkCases[v],
                leadTimeShare: totalLead > 0 ? min(1, tally.attributed[v] / totalLead) : 0,
                waitedAtCapacity: waitedAtCapacity[v], samples: kept)
        }
    }

    /// Log activities that count as no node, most events first (ties by name).
    private func unmappedActivities() -> [UnmappedActivity] {
        var unmapped: [UnmappedActivity] = []
        for (a, name) in log.activities.enumerated() where activityNode[a] == nil {
            let events = a < log.activityEventCounts.count ? log.activityEventCounts[a] : 0
            unmapped.append(UnmappedActivity(activity: name, events: events))
        }
        unmapped.sort { $0.events != $1.events ? $0.events > $1.events : $0.activity < $1.activity }
        return unmapped
    }

    /// The five nodes with the largest share of lead time (share > 0), each with its reason.
    static func rank(stages: [StageReplay], owners: [OwnerReplay], model: WorkflowModel) -> [Bottleneck] {
        let ranked = stages.filter { $0.leadTimeShare > 0 }
            .sorted { $0.leadTimeShare != $1.leadTimeShare ? $0.leadTimeShare > $1.leadTimeShare : $0.node < $1.node }
        return ranked.prefix(5).map { s in
            var parts = ["\(s.id): \(percentText(s.leadTimeShare)) of lead time"]
            if let w = s.waiting {
                parts.append("median wait \(humanDuration(w.median)) before it starts")
            }
            if let sla = s.sla, let rate = s.breachRate, s.slaBreaches > 0 {
                parts.append("SLA \(sla) broken in \(percentText(rate)) of occurrences")
            }
            // The most overloaded of its owners, when one ran over capacity.
            let loads = model.owners(ofNode: s.node).map { owners[$0] }
                .filter { $0.peakConcurrency > $0.capacity }
                .sorted { a, b in
                    let ra = Double(a.peakConcurrency) / Double(a.capacity)
                    let rb = Double(b.peakConcurrency) / Double(b.capacity)
                    return ra != rb ? ra > rb : a.owner < b.owner
                }
            if let o = loads.first {
                parts.append("\(o.id) had \(o.peakConcurrency) open at peak against capacity \(o.capacity)")
            }
            return Bottleneck(node: s.node, stage: s.id, share: s.leadTimeShare, reason: parts.joined(separator: "; "))
        }
    }
}
