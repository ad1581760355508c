import StagecraftSyntax
import StagecraftLanguage

/// A validated `SimulationPlan` flattened into index arrays (compressed sparse rows) for
/// the engine's inner loop: no dictionaries, no strings, no optionals. The per-node columns
/// are appended node by node as each is validated.
struct CompiledPlan: Sendable {
    /// Longest duration accepted, in seconds (about 3,170 years): keeps every instant the
    /// engine computes far inside the range where day numbers fit in an `Int`.
    static let maxSeconds: Double = 1e11
    /// How many times one gate may reject within a run before the run is abandoned.
    static let maxRejections = 20
    /// A node repeats at most this often on average (1 / (1 − share) runs): a share of 1
    /// would never let the case go on.
    static let maxRepeatShare = 0.95

    let nodeCount: Int
    let ownerCount: Int
    let ids: [String]
    let titles: [String]
    let ownerIDs: [String]
    let capacity: [Int]
    /// First unit of each owner in the engine's flat unit arrays (`ownerCount + 1` entries).
    let unitBase: [Int]

    let predStart: [Int]
    let preds: [Int]
    let succStart: [Int]
    let succs: [Int]
    /// Owners of each node, distinct, in declaration order (a stage has exactly one).
    private(set) var ownStart: [Int] = [0]
    private(set) var owns: [Int] = []
    private(set) var quorum: [Int] = []
    private(set) var isGate: [Bool] = []
    private(set) var skipped: [Bool] = []
    /// Reject probability of gates (0 for stages).
    private(set) var reject: [Double] = []
    /// The rework target of each gate (the gate itself when it has none); -1 for stages.
    private(set) var reworkTarget: [Int] = []
    /// Nodes reset by a rejection: the target, the gate, and every node downstream of the
    /// target and upstream of the gate, ascending.
    private(set) var reworkStart: [Int] = [0]
    private(set) var rework: [Int] = []
    /// Nodes with no predecessors, ascending.
    let roots: [Int]

    /// Processing time of each node.
    private(set) var processing = CompiledDurations()
    /// Hand-off wait of each node (a fixed zero for nodes without `wait`).
    private(set) var wait = CompiledDurations()
    private(set) var hasWait: [Bool] = []
    /// Per node: the hand-off delay of work sent back to it (`SimNode.reworkWait`).
    private(set) var reworkWait = CompiledDurations()
    private(set) var hasReworkWait: [Bool] = []
    /// Probability that each node runs in a case (1: always).
    private(set) var chance: [Double] = []
    /// Per node: the chance it runs again in a rework pass (`SimNode.repeatChance`).
    private(set) var repeatChance: [Double] = []
    /// Per node: the chance it runs again directly once done, by its position in a row
    /// (`SimNode.repeatShares`, rows of `repeatShareFlat` from `repeatStart`), and the
    /// pause before it (`SimNode.repeatWait`).
    private(set) var repeatStart: [Int] = []
    private(set) var repeatShareFlat: [Double] = []
    private(set) var repeatWait = CompiledDurations()
    /// Node `v`'s pauses by run position are `repeatWait`'s entries `repeatWaitStart[v]..<repeatWaitStart[v + 1]`.
    private(set) var repeatWaitStart: [Int] = [0]
    /// Whether any node has a chance below 1 (the engine then draws per case).
    private(set) var hasChance = false
    /// Working hours of each node's first owner, or nil: its work runs around the clock.
    private(set) var hours: [WorkingHours?] = []
    /// Per-case variants: cumulative probabilities and the nodes each skips.
    private(set) var variantCumulative: [Double] = []
    private(set) var variantSkipStart: [Int] = []
    private(set) var variantSkips: [Int] = []

    /// SLA in seconds, or -1 when none.
    private(set) var slaSeconds: [Double] = []
    private(set) var slaBusiness: [Bool] = []

    let calendar: BusinessCalendar
    let deadline: Duration?

    init(_ plan: SimulationPlan) throws(SimulationError) {
        nodeCount = plan.nodes.count
        ownerCount = plan.owners.count
        ids = plan.nodes.map(\.id)
        titles = plan.nodes.map(\.title)
        ownerIDs = plan.owners.map(\.id)
        calendar = plan.calendar
        deadline = plan.deadline

        (capacity, unitBase) = try CompiledPlan.capacities(plan.owners)
        if let d = plan.deadline {
            guard d.seconds.isFinite, d.seconds >= 0 else {
                throw .invalidOption("deadline must be a finite, non-negative duration")
            }
        }
        let graph = try PlanGraph(plan.nodes)
        roots = (0..<nodeCount).filter { graph.preds[$0].isEmpty }
        (predStart, preds) = CompiledPlan.flatten(graph.preds)
        (succStart, succs) = CompiledPlan.flatten(graph.succs)

        for i in plan.nodes.indices { try append(node: i, of: plan, graph: graph) }
        hasChance = chance.contains { $0 < 1 }
        (repeatStart, repeatShareFlat) = CompiledPlan.flatten(plan.nodes.map { node in
            node.repeatShares.map { $0.isFinite ? Swift.min(CompiledPlan.maxRepeatShare, Swift.max(0, $0)) : 0 }
        })
        repeatChance = plan.nodes.indices.map { v in
            let r = plan.nodes[v].repeatChance ?? chance[v]
            return r.isFinite ? Swift.min(1, Swift.max(0, r)) : chance[v]
        }

        (variantCumulative, variantSkipStart, variantSkips) = try CompiledPlan.variants(plan.variants, nodes: nodeCount)
    }

    /// Each owner's capacity (validated) and the first of its units in the flat unit arrays.
    private static func capacities(_ owners: [SimOwner]) throws(SimulationError) -> ([Int], [Int]) {
        var base: [Int] = [0]
        for o in owners {
            guard o.capacity >= 1, o.capacity <= 1_000_000 else {
                throw .invalidCapacity(owner: o.id, capacity: o.capacity)
            }
            base.append(base[base.count - 1] + o.capacity)
        }
        return (owners.map(\.capacity), base)
    }

    /// Lists as compressed sparse rows: list `i` is `items[start[i] ..< start[i + 1]]`.
    private static func flatten<T>(_ lists: [[T]]) -> (start: [Int], items: [T]) {
        var start: [Int] = [0], items: [T] = []
        for list in lists {
            items += list
            start.append(items.count)
        }
        return (start, items)
    }

    /// The case variants' cumulative probabilities (normalised) and the nodes each skips.
    private static func variants(_ variants: [CaseVariant], nodes n: Int)
        throws(SimulationError) -> (cumulative: [Double], skipStart: [Int], skips: [Int])
    {
        var cumulative: [Double] = []
        var total = 0.0
        for v in variants {
            guard v.probability.isFinite, v.probability >= 0 else {
                throw .invalidOption("a case variant has probability \(v.probability)")
            }
            total += v.probability
            cumulative.append(total)
            for i in v.skipped where i < 0 || i >= n {
                throw .invalidOption("a case variant skips node index \(i), out of range")
            }
        }
        if !variants.isEmpty {
            guard total > 0 else { throw .invalidOption("the case variants' probabilities sum to zero") }
            cumulative = cumulative.map { $0 / total }
        }
        let (skipStart, skips) = flatten(variants.map(\.skipped))
        return (cumulative, skipStart, skips)
    }

    /// Names one cycle among the nodes Kahn's algorithm could not order.
    static func findCycle(_ preds: [[Int]], indeg: [Int], ids: [String]) -> [String] {
        // Walk predecessors inside the unordered set until a node repeats.
        guard let start = indeg.firstIndex(where: { $0 > 0 }) else { return [] }
        var order: [Int] = []
        var position = [Int](repeating: -1, count: ids.count)
        var v = start
        while position[v] < 0 {
            position[v] = order.count
            order.append(v)
            guard let next = preds[v].first(where: { indeg[$0] > 0 }) else { return [ids[v]] }
            v = next
        }
        let cycle = Array(order[position[v]...]).reversed().map { ids[$0] }
        return cycle + [cycle.first ?? ids[v]]
    }
}

/// The dependency graph of a plan's nodes, validated: predecessors in range, not the node
/// itself, de-duplicated and ascending, and no cycle.
private struct PlanGraph {
    let preds: [[Int]]
    let succs: [[Int]]

    init(_ nodes: [SimNode]) throws(SimulationError) {
        let n = nodes.count
        var preds: [[Int]] = []
        preds.reserveCapacity(n)
        for (i, node) in nodes.enumerated() {
            var ps: [Int] = []
            for p in node.predecessors {
                guard p >= 0, p < n else {
                    throw .invalidReference(node: node.id, detail: "predecessor index \(p) is out of range")
                }
                guard p != i else { throw .dependencyCycle([node.id, node.id]) }
                if !ps.contains(p) { ps.append(p) }
            }
            ps.sort()
            preds.append(ps)
        }
        var succs = [[Int]](repeating: [], count: n)
        for i in 0..<n { for p in preds[i] { succs[p].append(i) } }

        // Kahn's algorithm: every node must be reachable in topological order.
        var indeg = preds.map(\.count)
        var queue: [Int] = (0..<n).filter { indeg[$0] == 0 }
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for s in succs[v] {
                indeg[s] -= 1
                if indeg[s] == 0 { queue.append(s) }
            }
        }
        if queue.count < n {
            throw .dependencyCycle(CompiledPlan.findCycle(preds, indeg: indeg, ids: nodes.map(\.id)))
        }
        self.preds = preds
        self.succs = succs
    }

    /// The nodes upstream of `v` (computed only for gates that can reject, so the cost stays
    /// proportional to what is used).
    func ancestors(of v: Int) -> [Bool] { reach(from: v, along: preds) }

    /// The nodes downstream of `v`.
    func descendants(of v: Int) -> [Bool] { reach(from: v, along: succs) }

    private func reach(from v: Int, along edges: [[Int]]) -> [Bool] {
        var seen = [Bool](repeating: false, count: edges.count)
        var stack = edges[v]
        while let x = stack.popLast() {
            if seen[x] { continue }
            seen[x] = true
            stack += edges[x]
        }
        return seen
    }
}

extension CompiledPlan {
    private mutating func append(node i: Int, of plan: SimulationPlan, graph: PlanGraph) throws(SimulationError) {
        let node = plan.nodes[i]
        let owners = try appendOwners(node, ownerCount: plan.owners.count)
        isGate.append(node.isGate)
        skipped.append(node.skipped)
        try appendRework(node, at: i, of: plan, graph: graph)
        try appendTiming(node, firstOwner: owners.first.map { plan.owners[$0] })
    }

    /// The node's distinct owners, in declaration order, and its quorum: a gate needs
    /// `quorum` of at least one approver, a stage exactly one owner.
    private mutating func appendOwners(_ node: SimNode, ownerCount: Int) throws(SimulationError) -> [Int] {
        var owners: [Int] = []
        for o in node.owners {
            guard o >= 0, o < ownerCount else {
                throw .invalidOwner(node: node.id, detail: "owner index \(o) is out of range")
            }
            if !owners.contains(o) { owners.append(o) }
        }
        if node.isGate {
            guard !owners.isEmpty else { throw .invalidOwner(node: node.id, detail: "a gate needs at least one approver") }
            guard node.quorum >= 1, node.quorum <= owners.count else {
                throw .invalidQuorum(node: node.id, quorum: node.quorum, approvers: owners.count)
            }
            quorum.append(node.quorum)
        } else {
            guard owners.count == 1 else {
                throw .invalidOwner(node: node.id, detail: "a stage needs exactly one owner, has \(owners.count)")
            }
            quorum.append(1)
        }
        owns += owners
        ownStart.append(owns.count)
        return owners
    }

    /// A gate's reject probability, rework target (upstream of it) and the nodes a rejection
    /// resets; a stage rejects nothing.
    private mutating func appendRework(_ node: SimNode, at i: Int, of plan: SimulationPlan,
                                       graph: PlanGraph) throws(SimulationError) {
        defer { reworkStart.append(rework.count) }
        guard node.isGate else {
            reject.append(0)
            reworkTarget.append(-1)
            return
        }
        let p = node.rejectProbability
        guard p.isFinite, p >= 0, p <= 1 else { throw .invalidProbability(node: node.id, value: p) }
        reject.append(p)
        var t = i
        if let r = node.reworkTarget {
            guard r >= 0, r < plan.nodes.count else {
                throw .invalidReference(node: node.id, detail: "rework target index \(r) is out of range")
            }
            guard r != i, graph.ancestors(of: i)[r] else {
                throw .invalidReworkTarget(node: node.id, target: plan.nodes[r].id)
            }
            t = r
        }
        reworkTarget.append(t)
        guard p > 0 else { return }
        if t == i {
            rework.append(i)
        } else {
            let up = graph.ancestors(of: i)
            let down = graph.descendants(of: t)
            for v in 0..<plan.nodes.count where v == t || v == i || (up[v] && down[v]) { rework.append(v) }
        }
    }

    /// Duration models (a fixed zero for a wait the node does not have), chance, working
    /// hours (the first owner's) and SLA.
    private mutating func appendTiming(_ node: SimNode, firstOwner: SimOwner?) throws(SimulationError) {
        try processing.append(node.duration, node: node.id, what: "estimate")
        let none = DurationModel.fixed(Duration(amount: 0, unit: .hours))
        try wait.append(node.wait ?? none, node: node.id, what: "wait")
        hasWait.append(node.wait != nil)
        try reworkWait.append(node.reworkWait ?? none, node: node.id, what: "wait")
        hasReworkWait.append(node.reworkWait != nil)
        for w in node.repeatWaits { try repeatWait.append(w, node: node.id, what: "wait") }
        repeatWaitStart.append(repeatWaitStart[repeatWaitStart.count - 1] + node.repeatWaits.count)
        guard node.chance.isFinite, node.chance >= 0, node.chance <= 1 else {
            throw .invalidProbability(node: node.id, value: node.chance)
        }
        chance.append(node.chance)
        if let owner = firstOwner, let h = owner.hours {
            guard h.start >= 0, h.start < h.end, h.end <= 1440 else {
                throw .invalidOption("owner \(owner.id): working hours must start before they end, within a day")
            }
            hours.append(h)
        } else {
            hours.append(nil)
        }
        if let s = node.sla {
            guard s.seconds.isFinite, s.seconds >= 0 else { throw .invalidSLA(node: node.id) }
            slaSeconds.append(s.seconds)
            slaBusiness.append(s.isBusiness)
        } else {
            slaSeconds.append(-1)
            slaBusiness.append(false)
        }
    }
}

/// Duration models flattened for the engine: one entry per node.
struct CompiledDurations: Sendable {
    enum Kind: UInt8 { case fixed, uniform, pert, empirical }

    private(set) var kind: [Kind] = []
    /// Whether samples are business seconds (`bd`), advanced on the calendar.
    private(set) var business: [Bool] = []
    /// fixed: a; uniform: a + (b − a)·U; pert: a + (b − a)·Beta(alpha, beta).
    private var a: [Double] = []
    private var b: [Double] = []
    private var alpha: [Double] = []
    private var beta: [Double] = []
    private var empStart: [Int] = [0]
    private var empSamples: [Double] = []
    /// Each empirical node's samples sorted ascending (same offsets as `empSamples`), for
    /// draws conditional on time already spent.
    private var empSorted: [Double] = []

    /// Appends the model of one node; `what` names it in errors (`estimate`, `wait`).
    mutating func append(_ model: DurationModel, node id: String, what: String) throws(SimulationError) {
        func secs(_ d: Duration) throws(SimulationError) -> Double {
            let s = d.seconds
            guard s.isFinite, s >= 0, s <= CompiledPlan.maxSeconds else {
                throw .invalidDuration(node: id, detail: "duration \(d) is negative, too large or not a number")
            }
            return s
        }
        business.append(model.isBusiness)
        switch model {
        case .fixed(let d):
            kind.append(.fixed); a.append(try secs(d)); b.append(0); alpha.append(1); beta.append(1)
        case .uniform(let l, let h):
            let lo = try secs(l), hi = try secs(h)
            guard lo <= hi else { throw .invalidDuration(node: id, detail: "\(what) \(l)..\(h): low exceeds high") }
            kind.append(lo == hi ? .fixed : .uniform); a.append(lo); b.append(lo == hi ? 0 : hi)
            alpha.append(1); beta.append(1)
        case .pert(let o, let m, let p):
            let os = try secs(o), ms = try secs(m), ps = try secs(p)
            guard os <= ms, ms <= ps else {
                throw .invalidDuration(node: id, detail: "\(what) \(o) \(m) \(p) must be ordered optimistic ≤ likely ≤ pessimistic")
            }
            if ps == os {
                kind.append(.fixed); a.append(os); b.append(0); alpha.append(1); beta.append(1)
            } else {
                kind.append(.pert); a.append(os); b.append(ps)
                let range = ps - os
                alpha.append(1 + 4 * (ms - os) / range)
                beta.append(1 + 4 * (ps - ms) / range)
            }
        case .empirical(let xs):
            guard !xs.isEmpty else { throw .invalidDuration(node: id, detail: "empirical history is empty") }
            for x in xs {
                guard x.isFinite, x >= 0, x <= CompiledPlan.maxSeconds else {
                    throw .invalidDuration(node: id, detail: "empirical sample \(x) is negative, too large or not a number")
                }
            }
            kind.append(.empirical); a.append(0); b.append(0); alpha.append(1); beta.append(1)
            empSamples += xs
            empSorted += xs.sorted()
        }
        empStart.append(empSamples.count)
    }

    /// One draw for node `v`.
    @inline(__always)
    func sample(_ v: Int, _ rng: inout SeededGenerator) -> Double {
        switch kind[v] {
        case .fixed:
            return a[v]
        case .uniform:
            return a[v] + (b[v] - a[v]) * rng.nextUniform()
        case .pert:
            return a[v] + (b[v] - a[v]) * rng.nextBeta(alpha: alpha[v], beta: beta[v])
        case .empirical:
            let lo = empStart[v]
            return empSamples[lo + rng.nextIndex(below: empStart[v + 1] - lo)]
        }
    }

    /// One draw of what remains of node `v`'s duration once `elapsed` seconds of it have
    /// passed: a draw conditional on the duration exceeding `elapsed`, minus `elapsed`.
    /// Empirical: a sample among those greater than `elapsed`; when none is, a fresh draw
    /// (the recorded history says nothing about so long a duration). Bounded models past
    /// their maximum: nothing remains.
    func sampleRemaining(_ v: Int, elapsed: Double, _ rng: inout SeededGenerator) -> Double {
        guard elapsed > 0 else { return sample(v, &rng) }
        switch kind[v] {
        case .fixed:
            return Swift.max(0, a[v] - elapsed)
        case .uniform, .pert:
            if elapsed <= a[v] { return sample(v, &rng) - elapsed }
            if elapsed >= b[v] { return 0 }
            for _ in 0..<64 {
                let x = sample(v, &rng)
                if x > elapsed { return x - elapsed }
            }
            return 0
        case .empirical:
            let lo = firstSample(of: v, above: elapsed), end = empStart[v + 1]
            if lo == end { return sample(v, &rng) }
            return empSorted[lo + rng.nextIndex(below: end - lo)] - elapsed
        }
    }

    /// The share of node `v`'s durations longer than `x` seconds: what the time already
    /// spent without the node ending says about how it will end. Uniform and PERT spreads
    /// count as uniform over their range here.
    func survival(_ v: Int, beyond x: Double) -> Double {
        guard x > 0 else { return 1 }
        switch kind[v] {
        case .fixed:
            return a[v] > x ? 1 : 0
        case .uniform, .pert:
            if x <= a[v] { return 1 }
            if x >= b[v] { return 0 }
            return (b[v] - x) / (b[v] - a[v])
        case .empirical:
            let start = empStart[v], end = empStart[v + 1]
            return end > start ? Double(end - firstSample(of: v, above: x)) / Double(end - start) : 1
        }
    }

    /// The index in `empSorted` of node `v`'s first sample above `x`.
    private func firstSample(of v: Int, above x: Double) -> Int {
        var lo = empStart[v], hi = empStart[v + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if empSorted[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension CompiledPlan {
    /// The chance node `v` runs again directly after its `k`th execution in a row (k ≥ 1).
    func repeatShare(_ v: Int, after k: Int) -> Double {
        CompiledPlan.entry(repeatStart, v, after: k).map { repeatShareFlat[$0] } ?? 0
    }

    /// The entry of `repeatWait` for the pause after node `v`'s `k`th execution in a row;
    /// nil when no pause was recorded for it.
    func repeatWaitEntry(_ v: Int, after k: Int) -> Int? {
        CompiledPlan.entry(repeatWaitStart, v, after: k)
    }

    /// The entry for node `v` after its `k`th execution in a row of a table kept per node
    /// and run position (node `v`'s row is `start[v]..<start[v + 1]`; its last entry serves
    /// every later position); nil when the row is empty.
    private static func entry(_ start: [Int], _ v: Int, after k: Int) -> Int? {
        let count = start[v + 1] - start[v]
        return count == 0 ? nil : start[v] + HistoryCalibration.position(after: k, of: count)
    }

    /// The share of node `v`'s pauses after its `k`th execution in a row (else its rework
    /// waits, else its waits) longer than `e`.
    func repeatSurvival(_ v: Int, after k: Int, beyond e: Double) -> Double {
        guard let entry = repeatWaitEntry(v, after: k) else { return reworkWaitSurvival(v, beyond: e) }
        return repeatWait.survival(entry, beyond: e)
    }

    /// The share of the waits of work sent back to node `v` (else of its waits) longer than `e`.
    func reworkWaitSurvival(_ v: Int, beyond e: Double) -> Double {
        hasReworkWait[v] ? reworkWait.survival(v, beyond: e) : waitSurvival(v, beyond: e)
    }

    /// The share of node `v`'s hand-off waits longer than `e`; 1 without a recorded or
    /// declared wait (time then says nothing).
    func waitSurvival(_ v: Int, beyond e: Double) -> Double {
        hasWait[v] ? wait.survival(v, beyond: e) : 1
    }

    /// The probability that a case runs node `v` at all: the share of its variants that
    /// keep it, times its `chance`.
    func runShare(_ v: Int) -> Double {
        var kept = 0.0
        if variantCumulative.isEmpty {
            kept = skipped[v] ? 0 : 1
        } else {
            var previous = 0.0
            for k in 0..<variantCumulative.count {
                let p = variantCumulative[k] - previous
                previous = variantCumulative[k]
                if !variantSkips[variantSkipStart[k]..<variantSkipStart[k + 1]].contains(v) { kept += p }
            }
        }
        return kept * chance[v]
    }
}
