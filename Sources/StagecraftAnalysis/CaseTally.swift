import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory

/// Pass 2 of a replay: the figures gathered case by case (durations, SLA breaches, lead
/// times, conformance), with per-case scratch reset for the nodes each case touched.
///
/// Owns unsafe buffers (`Buckets`): call `deallocate()` when done.
struct CaseTally {
    let engine: ReplayEngine
    let slas: [Duration?]
    private let calendar: BusinessCalendar
    /// Whether each node is final (has no successors).
    private let isFinal: [Bool]
    /// Nodes without `when` (skipped when false, e.g. a branch of a varying param) or `chance`.
    private let required: [Int]
    private let isGate: [Bool]
    private let approverSets: [Set<Int>]
    private let quorums: [Int]
    private let onRoute: [Bool]
    /// The (node, owner) pairs whose waiting intervals are kept, and each node's pairs.
    private let pairs: [(node: Int, owner: Int)]
    private let pairsOfNode: [[Int]]

    private(set) var processing: Buckets
    private(set) var waiting: Buckets
    private(set) var sojourn: Buckets
    /// Waiting intervals per pair; the time at capacity within them is summed after the
    /// scan as Σ F(to) − Σ F(from), F = time at capacity so far (see ConcurrencyProfile).
    private var waitFrom: Buckets
    private var waitTo: Buckets
    private(set) var counts: [Int]
    private(set) var caseCounts: [Int]
    private(set) var reworkCases: [Int]
    private(set) var breaches: [Int]
    private(set) var attributed: [Double]
    private var attribution = LeadTimeAttribution()
    private(set) var leadTimes: [Double] = []
    private(set) var first = Double.infinity
    private(set) var last = -Double.infinity
    private(set) var conforming = 0
    private(set) var finishedCount = 0
    private(set) var mapped = 0
    private(set) var violationCounts = [Int](repeating: 0, count: ViolationKind.allCases.count)
    private(set) var violationExamples = [[String]](repeating: [], count: ViolationKind.allCases.count)

    // Per-case scratch, reset for the nodes touched.
    private var ends: [[Double]]
    private var inCase: [Int]
    private var firstT: [Double]
    private var gateRecorded: [Bool]
    private var gateApprovers: [[Int]]
    private var touched: [Int] = []

    init(engine: ReplayEngine, nodeOccurrences: [Int], nodeTimed: [Int]) {
        self.engine = engine
        let model = engine.model
        let n = engine.nodeCount
        slas = model.nodes.map { $0.sla?.value }
        calendar = model.calendar
        isFinal = (0..<n).map { model.graph.successors[$0].isEmpty }
        required = (0..<n).filter { model.nodes[$0].condition == nil && model.chance(of: $0) == nil }
        let isGate = model.nodes.map { $0.kind == .gate }
        self.isGate = isGate
        approverSets = (0..<n).map { Set(isGate[$0] ? engine.nodeOwners[$0] : []) }
        quorums = (0..<n).map { isGate[$0] ? model.quorum(ofNode: $0) : 0 }
        onRoute = Replay.reworkRoutes(model: model)
        var pairs: [(node: Int, owner: Int)] = []
        var pairsOfNode = [[Int]](repeating: [], count: n)
        for v in 0..<n {
            for w in engine.nodeOwners[v] {
                pairsOfNode[v].append(pairs.count)
                pairs.append((v, w))
            }
        }
        self.pairs = pairs
        self.pairsOfNode = pairsOfNode

        processing = Buckets(sizes: nodeTimed)
        waiting = Buckets(sizes: nodeTimed)
        sojourn = Buckets(sizes: nodeOccurrences)
        waitFrom = Buckets(sizes: pairs.map { nodeTimed[$0.node] })
        waitTo = Buckets(sizes: pairs.map { nodeTimed[$0.node] })
        counts = [Int](repeating: 0, count: n)
        caseCounts = [Int](repeating: 0, count: n)
        reworkCases = [Int](repeating: 0, count: n)
        breaches = [Int](repeating: 0, count: n)
        attributed = [Double](repeating: 0, count: n)
        leadTimes.reserveCapacity(engine.log.cases.count)
        ends = [[Double]](repeating: [], count: n)
        inCase = [Int](repeating: 0, count: n)
        firstT = [Double](repeating: 0, count: n)
        gateRecorded = [Bool](repeating: false, count: n)
        gateApprovers = [[Int]](repeating: [], count: n)
    }

    func deallocate() {
        processing.deallocate()
        waiting.deallocate()
        sojourn.deallocate()
        waitFrom.deallocate()
        waitTo.deallocate()
    }

    /// Adds one case.
    mutating func add(_ c: HistoryCase) {
        let occs = c.occurrences
        guard !occs.isEmpty else {
            conforming += 1
            return
        }
        var caseStart = Double.infinity, caseEnd = -Double.infinity
        for o in occs {
            caseStart = min(caseStart, o.start ?? o.end)
            caseEnd = max(caseEnd, o.end)
        }
        first = min(first, caseStart)
        last = max(last, caseEnd)
        leadTimes.append(caseEnd - caseStart)
        let engine = self.engine
        attribution.attribute(occs, node: { engine.node(of: $0) }, into: &attributed)

        collect(occs)
        measure(occs, caseStart: caseStart)
        checkConformance(caseID: c.id)
        for v in touched {
            inCase[v] = 0
            ends[v].removeAll(keepingCapacity: true)
            gateRecorded[v] = false
            gateApprovers[v].removeAll(keepingCapacity: true)
        }
    }

    /// Fills the scratch: which nodes occur, how often, their completions (ascending), and
    /// the approvers recorded on gates.
    private mutating func collect(_ occs: [Occurrence]) {
        touched.removeAll(keepingCapacity: true)
        for o in occs {
            guard let v = engine.node(of: o) else { continue }
            if inCase[v] == 0 {
                touched.append(v)
                firstT[v] = o.start ?? o.end
            }
            inCase[v] += 1
            ends[v].append(o.end)
            if isGate[v], let r = o.resource {
                gateRecorded[v] = true
                if let w = engine.resourceOwner[r], approverSets[v].contains(w), !gateApprovers[v].contains(w) {
                    gateApprovers[v].append(w)
                }
            }
        }
        for v in touched where ends[v].count > 1 { ends[v].sort() }
    }

    /// Each mapped occurrence's ready time, then its sojourn, processing, waiting and SLA.
    private mutating func measure(_ occs: [Occurrence], caseStart: Double) {
        for o in occs {
            guard let v = engine.node(of: o) else { continue }
            mapped += 1
            let t = o.start ?? o.end
            var ready = caseStart
            for p in engine.predecessors[v] {
                let e = ends[p]
                // The latest completion of p at or before t (ends are ascending).
                var k = e.count - 1
                while k >= 0 && e[k] > t { k -= 1 }
                if k >= 0 && e[k] > ready { ready = e[k] }
            }
            let stay = o.end - ready
            sojourn.append(v, stay)
            if let s = o.start {
                processing.append(v, o.end - s)
                waiting.append(v, max(0, s - ready))
                if s > ready {
                    for pair in pairsOfNode[v] {
                        waitFrom.append(pair, ready)
                        waitTo.append(pair, s)
                    }
                }
            }
            if let sla = slas[v] {
                let measured = sla.isBusiness ? calendar.businessDuration(from: ready, to: o.end) : stay
                if measured > sla.seconds { breaches[v] += 1 }
            }
        }
    }

    /// Counts the case's nodes and its violations of each kind.
    private mutating func checkConformance(caseID: String) {
        var kinds = [Bool](repeating: false, count: ViolationKind.allCases.count)
        var finished = false
        for v in touched {
            counts[v] += inCase[v]
            caseCounts[v] += 1
            if inCase[v] > 1 {
                reworkCases[v] += 1
                if !onRoute[v] { kinds[3] = true }
            }
            if isFinal[v] { finished = true }
            for p in engine.predecessors[v] where inCase[p] > 0 {
                if ends[p][0] > firstT[v] { kinds[0] = true }
            }
            if isGate[v] && gateRecorded[v] && gateApprovers[v].count < quorums[v] { kinds[2] = true }
        }
        if finished {
            finishedCount += 1
            for v in required where inCase[v] == 0 {
                kinds[1] = true
                break
            }
        }
        var clean = true
        for k in 0..<kinds.count where kinds[k] {
            clean = false
            violationCounts[k] += 1
            if violationExamples[k].count < 5 { violationExamples[k].append(caseID) }
        }
        if clean { conforming += 1 }
    }

    /// Time the nodes' waiting fell while one of their owners was at capacity, per node and
    /// per owner.
    func waitedAtCapacity(profiles: [ConcurrencyProfile]) -> (stages: [Double], owners: [Double]) {
        var stages = [Double](repeating: 0, count: engine.nodeCount)
        var owners = [Double](repeating: 0, count: profiles.count)
        for (k, pair) in pairs.enumerated() {
            let profile = profiles[pair.owner]
            let waited = profile.sumAtCapacity(sortedPoints: waitTo.sorted(k))
                - profile.sumAtCapacity(sortedPoints: waitFrom.sorted(k))
            stages[pair.node] += waited
            owners[pair.owner] += waited
        }
        return (stages, owners)
    }
}
