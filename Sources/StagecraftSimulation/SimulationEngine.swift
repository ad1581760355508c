import StagecraftSyntax
import StagecraftLanguage

/// The discrete-event core of `stagecraft simulate`: one run at a time, of one case or of
/// several cases of the same plan sharing the owners, keeping every buffer between runs so
/// that a run allocates nothing once they have grown. A struct, so that its buffers are
/// accessed under static exclusivity, without runtime checks in the inner loop.
///
/// ## Model
///
/// - A node is *ready* when all its predecessors are done or skipped (roots: when their
///   case arrives); a skipped node is done at its ready instant.
/// - Non-preemptive list scheduling in event order: a ready stage takes its owner's
///   earliest-free unit; a gate takes the `quorum` approvers whose units are free soonest
///   (ties: declaration order) and starts when all are free. Units stay reserved until the
///   node finishes (no backfilling), so every owner serves first-come, first-served.
/// - Events at one instant are processed together: completions first, then the nodes that
///   became ready, in declaration order (case by case in a portfolio).
/// - A node that finishes is first picked up again with its repeat share
///   (`CompiledPlan.repeatShare(_:after:)`): not done, ready again after its repeat pause.
///   Otherwise a gate rejects with its reject probability: the done nodes of its rework set
///   (target, gate, and every node between them) are reset, each with a `chance` drawing it
///   again, and the target is ready at once; a node of the set running again keeps running.
///   A gate rejecting more than `CompiledPlan.maxRejections` times abandons the case.
///
/// ## Critical path
///
/// Every execution records its *cause*, the execution whose end set its start: the unit's
/// previous execution when it waited for capacity (a gate: the chosen unit freeing last,
/// ties by approver order), else what made it ready: the predecessor that finished last
/// (ties: declaration order; a skipped one passes on its own cause), the rejecting gate for
/// a rework target, or none at kickoff. The critical path of a run walks causes back from
/// the node that finished last (ties: the last declared); a node is critical in a run if
/// any of its executions is on it.
struct SimulationEngine {
    private static let notReady: UInt8 = 0
    private static let scheduled: UInt8 = 1
    private static let done: UInt8 = 2

    static let running: UInt8 = 0
    static let finished: UInt8 = 1
    static let abandoned: UInt8 = 2

    struct Event {
        var time: Double
        var seq: Int
        /// An execution index (a completion), `~case` (an arrival), or `waitPayload(g)`
        /// (below every arrival) for the end of node-of-case `g`'s hand-off wait.
        var payload: Int
    }

    let plan: CompiledPlan
    let n: Int
    let cases: Int
    var table: BusinessDayTable
    var rng = SeededGenerator(seed: 0)

    // Per node of every case (index case · n + node).
    private var state: [UInt8]
    private var doneTime: [Double]
    private var doneExec: [Int]
    private var rejections: [Int]
    /// Per node of every case: its executions in a row so far (direct repeats).
    private var runLength: [Int]
    /// Skipped in this case (a false `when` of its variant, or a lost `chance` draw).
    private var skip: [Bool]
    /// When the node last became ready, and the cause of that, while it waits for hand-off.
    private var readyTime: [Double]
    private var pendingCause: [Int]

    // Per case.
    var caseArrival: [Double]
    var caseStatus: [UInt8]
    var caseFinish: [Double]
    private var caseRemaining: [Int]

    // Owner units: free instant and last execution per unit; `heap` holds, per owner
    // segment `unitBase[o] ..< unitBase[o + 1]`, the owner's units as a binary min-heap by
    // (free instant, unit index).
    private var unitFree: [Double]
    private var unitLastExec: [Int]
    private var heap: [Int]

    // Executions of the current run.
    var execNode: [Int] = []
    var execReady: [Double] = []
    /// When the hand-off wait ended and the node asked for its owners.
    var execRequest: [Double] = []
    var execStart: [Double] = []
    /// Whether an owner's earlier execution (capacity), not readiness, set the start.
    var execByCapacity: [Bool] = []
    var execFinish: [Double] = []
    var execCause: [Int] = []
    var execCompleted: [Bool] = []
    /// Owners whose capacity each execution used: `execOwn[execOwnStart[e] ..< execOwnStart[e + 1]]`.
    var execOwnStart: [Int] = [0]
    var execOwn: [Int] = []

    private var events: [Event] = []
    private var seq = 0
    private var batchNode: [Int] = []
    private var batchCause: [Int] = []
    private var chosen: [Bool]
    /// In a plain run, stop as soon as the case finishes or is abandoned.
    private var stopWhenCaseZeroEnds = false
    /// The instant a run from cases in flight starts at.
    private var asOfInstant = 0.0

    init(plan: CompiledPlan, cases: Int, tableStart: Double) {
        self.plan = plan
        n = plan.nodeCount
        self.cases = cases
        table = BusinessDayTable(calendar: plan.calendar, from: tableStart)
        let total = n * cases
        state = [UInt8](repeating: 0, count: total)
        doneTime = [Double](repeating: 0, count: total)
        doneExec = [Int](repeating: -1, count: total)
        rejections = [Int](repeating: 0, count: total)
        runLength = [Int](repeating: 0, count: total)
        skip = [Bool](repeating: false, count: total)
        readyTime = [Double](repeating: 0, count: total)
        pendingCause = [Int](repeating: -1, count: total)
        caseArrival = [Double](repeating: 0, count: cases)
        caseStatus = [UInt8](repeating: 0, count: cases)
        caseFinish = [Double](repeating: 0, count: cases)
        caseRemaining = [Int](repeating: 0, count: cases)
        let units = plan.unitBase[plan.ownerCount]
        unitFree = [Double](repeating: -.infinity, count: units)
        unitLastExec = [Int](repeating: -1, count: units)
        heap = Array(0..<units)
        let widest = (0..<n).map { plan.ownStart[$0 + 1] - plan.ownStart[$0] }.max() ?? 0
        chosen = [Bool](repeating: false, count: widest)
    }

    /// Simulates one run: run `index` of `seed`, case `c` arriving at `arrivals[c]`.
    mutating func run(seed: UInt64, index: Int, arrivals: [Double]) {
        rng = SeededGenerator(seed: seed, stream: UInt64(truncatingIfNeeded: index))
        reset(arrivals: arrivals)
        stopWhenCaseZeroEnds = cases == 1
        processEvents()
    }

    /// Simulates one run of cases already under way at `asOf`: case `c` starts from
    /// `states[c]` (nodes done, running for some time, ready and waiting for some time).
    /// A running node continues with the remaining part of its processing given the time
    /// already spent, a waiting node with the remaining part of its hand-off wait; both are
    /// conditional draws, not fresh ones. Running nodes take their owners' units first (in
    /// case order), then the ready nodes ask for theirs. Nodes not yet ready draw their
    /// skips as in any run.
    ///
    /// `newArrivals` (non-decreasing, at or after `asOf`) start new cases after those of
    /// `states`, as cases `states.count…`; they share the owners like any case.
    mutating func run(seed: UInt64, index: Int, asOf: Double, states: [InFlightState], newArrivals: [Double] = []) {
        rng = SeededGenerator(seed: seed, stream: UInt64(truncatingIfNeeded: index))
        reset(arrivals: states.map(\.started) + newArrivals, arriving: false)
        for c in states.count..<max(states.count, min(cases, states.count + newArrivals.count)) {
            pushEvent(time: caseArrival[c], payload: ~c)
        }
        stopWhenCaseZeroEnds = false
        asOfInstant = asOf
        batchNode.removeAll(keepingCapacity: true)
        batchCause.removeAll(keepingCapacity: true)
        var running: [(g: Int, remaining: Double, since: Double)] = []
        var waiting: [(g: Int, elapsed: Double, since: Double)] = []
        for c in 0..<min(cases, states.count) {
            let base = c * n
            let nodes = states[c].nodes.prefix(n)
            drawSkips(case: c, variants: states[c].variants, consistentWith: nodes)
            for (v, s) in nodes.enumerated() {
                switch s {
                case .done(let t), .passed(let t):
                    state[base + v] = SimulationEngine.done
                    doneTime[base + v] = t
                    caseRemaining[c] -= 1
                case .running(let since, let elapsed):
                    skip[base + v] = false
                    running.append((base + v, plan.processing.sampleRemaining(v, elapsed: elapsed, &rng), since))
                case .ready(let since, let elapsed):
                    if v < states[c].runChance.count {
                        skip[base + v] = rng.nextUniform() >= states[c].runChance[v]
                    }
                    waiting.append((base + v, elapsed, since))
                case .notReady:
                    break
                }
            }
            // Picked up again first; a node that is not may still have rejected (as in a run).
            for (v, k) in states[c].runLength.prefix(n).enumerated() { runLength[base + v] = k }
            for (v, q) in states[c].pendingRepeat.prefix(n).enumerated() where q > 0 && rng.nextUniform() < q {
                resume(base + v, case: c)
            }
            for (v, q) in states[c].pendingReject.prefix(n).enumerated() where q > 0 && rng.nextUniform() < q {
                reopen(gate: base + v, case: c, node: v)
            }
            if caseRemaining[c] == 0 {
                caseStatus[c] = SimulationEngine.finished
                caseFinish[c] = asOf
            }
        }
        for r in running {
            state[r.g] = SimulationEngine.scheduled
            readyTime[r.g] = r.since
            schedule(r.g, cause: -1, at: asOf, processing: r.remaining)
        }
        for w in waiting {
            let c = w.g / n
            let v = w.g - c * n
            guard caseStatus[c] == SimulationEngine.running else { continue }
            // Behind a gate drawn above as rejected: ready again once its predecessors are.
            guard predecessorsDone(w.g, case: c, node: v) else { continue }
            if skip[w.g] {
                markDone(w.g, case: c, node: v, at: asOf, exec: -1)
                continue
            }
            state[w.g] = SimulationEngine.scheduled
            readyTime[w.g] = w.since
            if let wait = drawWait(w.g, node: v, .first, elapsed: w.elapsed) {
                let end = advance(asOf, by: wait.seconds, business: wait.business, hours: plan.hours[v])
                if end > asOf {
                    pendingCause[w.g] = -1
                    pushEvent(time: end, payload: -(cases + 1 + w.g))
                    continue
                }
            }
            batchNode.append(w.g)
            batchCause.append(-1)
        }
        sortBatch()
        for k in 0..<batchNode.count { schedule(batchNode[k], cause: batchCause[k], at: asOf) }
        processEvents()
    }

    private mutating func processEvents() {
        while !events.isEmpty {
            let t = events[0].time
            batchNode.removeAll(keepingCapacity: true)
            batchCause.removeAll(keepingCapacity: true)
            repeat {
                let ev = popEvent()
                if ev.payload >= 0 {
                    complete(ev.payload, at: t)
                } else if ev.payload >= -cases {
                    arrive(~ev.payload, at: t)
                } else {
                    let g = -ev.payload - cases - 1
                    batchNode.append(g)
                    batchCause.append(pendingCause[g])
                }
            } while !events.isEmpty && events[0].time == t
            if stopWhenCaseZeroEnds && caseStatus[0] != SimulationEngine.running { break }
            sortBatch()
            for k in 0..<batchNode.count { schedule(batchNode[k], cause: batchCause[k], at: t) }
        }
        // A case neither finished nor abandoned cannot happen (every ready node runs to
        // completion), but never report it as finished.
        for c in 0..<cases where caseStatus[c] == SimulationEngine.running {
            caseStatus[c] = SimulationEngine.abandoned
        }
    }

    private mutating func reset(arrivals: [Double], arriving: Bool = true) {
        let total = n * cases
        for i in 0..<total {
            state[i] = SimulationEngine.notReady
            doneTime[i] = 0
            doneExec[i] = -1
            rejections[i] = 0
            runLength[i] = 0
        }
        for c in 0..<cases {
            caseArrival[c] = c < arrivals.count ? arrivals[c] : 0
            caseStatus[c] = SimulationEngine.running
            caseFinish[c] = 0
            caseRemaining[c] = n
        }
        for u in 0..<unitFree.count {
            unitFree[u] = -.infinity
            unitLastExec[u] = -1
            heap[u] = u
        }
        execNode.removeAll(keepingCapacity: true)
        execReady.removeAll(keepingCapacity: true)
        execRequest.removeAll(keepingCapacity: true)
        execStart.removeAll(keepingCapacity: true)
        execByCapacity.removeAll(keepingCapacity: true)
        execFinish.removeAll(keepingCapacity: true)
        execCause.removeAll(keepingCapacity: true)
        execCompleted.removeAll(keepingCapacity: true)
        execOwnStart.removeAll(keepingCapacity: true)
        execOwnStart.append(0)
        execOwn.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        seq = 0
        // Arrivals are non-decreasing, so appending them in order keeps the heap valid.
        if arriving {
            for c in 0..<cases { pushEvent(time: caseArrival[c], payload: ~c) }
        }
    }

    // MARK: - Event handling

    private mutating func arrive(_ c: Int, at t: Double) {
        if caseRemaining[c] == 0 {
            caseStatus[c] = SimulationEngine.finished
            caseFinish[c] = t
            return
        }
        let base = c * n
        drawSkips(case: c)
        for r in plan.roots { makeReady(base + r, cause: -1, at: t) }
    }

    /// Whether every predecessor of node `v` of case `c` is done.
    private func predecessorsDone(_ g: Int, case c: Int, node v: Int) -> Bool {
        let base = c * n
        for j in plan.predStart[v]..<plan.predStart[v + 1] where state[base + plan.preds[j]] != SimulationEngine.done {
            return false
        }
        return true
    }

    /// A done gate of a case in flight drawn as having rejected: its rework is undone and
    /// its target made ready, as when a gate rejects in a run.
    private mutating func reopen(gate g: Int, case c: Int, node v: Int) {
        guard plan.isGate[v], state[g] == SimulationEngine.done, plan.reworkTarget[v] >= 0 else { return }
        rejections[g] += 1
        resetRework(gate: g, case: c, node: v)
        let target = c * n + plan.reworkTarget[v]
        guard state[target] == SimulationEngine.notReady else { return }
        readyAgain(target, since: doneTime[g], pass: .rework)
    }

    /// A done node of a case in flight drawn as being picked up again: not done, and ready
    /// since it ended.
    private mutating func resume(_ g: Int, case c: Int) {
        guard state[g] == SimulationEngine.done else { return }
        state[g] = SimulationEngine.notReady
        caseRemaining[c] += 1
        readyAgain(g, since: doneTime[g], pass: .repeated)
    }

    /// Node `g` of a case in flight, ready again since `since` on `pass`: what remains of
    /// its wait is drawn given the time since.
    private mutating func readyAgain(_ g: Int, since: Double, pass: Pass) {
        let v = g % n
        skip[g] = false
        state[g] = SimulationEngine.scheduled
        readyTime[g] = since
        let (rest, business) = drawWait(g, node: v, pass, elapsed: max(0, asOfInstant - since)) ?? (0, false)
        let end = rest > 0 ? advance(asOfInstant, by: rest, business: business, hours: plan.hours[v]) : asOfInstant
        if end > asOfInstant {
            pendingCause[g] = -1
            pushEvent(time: end, payload: -(cases + 1 + g))
        } else {
            batchNode.append(g)
            batchCause.append(-1)
        }
    }

    /// Undoes a rejecting gate's rework set (every done node of it, and the gate) for a new
    /// pass; nodes with a `chance` draw it again for that pass.
    private mutating func resetRework(gate g: Int, case c: Int, node v: Int) {
        let base = c * n
        for k in plan.reworkStart[v]..<plan.reworkStart[v + 1] {
            let m = plan.rework[k]
            let gm = base + m
            guard gm != g, state[gm] == SimulationEngine.done else { continue }
            state[gm] = SimulationEngine.notReady
            caseRemaining[c] += 1
            if plan.repeatChance[m] < 1 { skip[gm] = rng.nextUniform() >= plan.repeatChance[m] }
        }
        if state[g] == SimulationEngine.done { caseRemaining[c] += 1 }
        state[g] = SimulationEngine.notReady
        if plan.repeatChance[v] < 1 { skip[g] = rng.nextUniform() >= plan.repeatChance[v] }
    }

    /// `drawSkips` for a case in flight (from its own variants when its attributes narrow
    /// them): redrawn (a few times) until no node the case has
    /// run or is running is skipped, so the variant agrees with what the log shows.
    private mutating func drawSkips(case c: Int, variants: [CaseVariant]?,
                                    consistentWith nodes: ArraySlice<InFlightState.Node>) {
        let base = c * n
        for _ in 0..<16 {
            drawSkips(case: c, variants: variants)
            let agrees = nodes.enumerated().allSatisfy { v, s in
                switch s {
                case .done, .running: return !skip[base + v]
                default: return true
                }
            }
            if agrees { return }
        }
        for (v, s) in nodes.enumerated() {
            if case .done = s { skip[base + v] = false }
        }
    }

    /// Which nodes case `c` skips: those its drawn variant skips, or whose `when` is false,
    /// and those that lose their `chance` draw. Draws nothing for a plan without variation,
    /// so such plans keep their random streams. With `variants` (a case in flight whose own
    /// params narrow the plan's), the variant is drawn from those by probability (no draw
    /// when there is one).
    private mutating func drawSkips(case c: Int, variants: [CaseVariant]? = nil) {
        let base = c * n
        if let variants {
            for v in 0..<n { skip[base + v] = false }
            var k = 0
            if variants.count > 1 {
                let total = variants.reduce(0.0) { $0 + max(0, $1.probability) }
                var u = rng.nextUniform() * total
                while k < variants.count - 1 && u >= max(0, variants[k].probability) {
                    u -= max(0, variants[k].probability)
                    k += 1
                }
            }
            if k < variants.count {
                for i in variants[k].skipped where i >= 0 && i < n { skip[base + i] = true }
            }
        } else if plan.variantCumulative.isEmpty {
            for v in 0..<n { skip[base + v] = plan.skipped[v] }
        } else {
            for v in 0..<n { skip[base + v] = false }
            let u = rng.nextUniform()
            var k = 0
            while k < plan.variantCumulative.count - 1 && u >= plan.variantCumulative[k] { k += 1 }
            for j in plan.variantSkipStart[k]..<plan.variantSkipStart[k + 1] { skip[base + plan.variantSkips[j]] = true }
        }
        if plan.hasChance {
            for v in 0..<n where plan.chance[v] < 1 {
                if rng.nextUniform() >= plan.chance[v] { skip[base + v] = true }
            }
        }
    }

    private mutating func complete(_ e: Int, at t: Double) {
        execCompleted[e] = true
        let g = execNode[e]
        let c = g / n
        guard caseStatus[c] == SimulationEngine.running else { return }
        let v = g - c * n
        // Picked up again after a pause: the node stays not done and waits its repeat pause.
        if plan.repeatStart[v + 1] > plan.repeatStart[v] {
            runLength[g] += 1
            let again = plan.repeatShare(v, after: runLength[g])
            if again > 0 && rng.nextUniform() < again {
                state[g] = SimulationEngine.notReady
                makeReady(g, cause: e, at: t, pass: .repeated)
                return
            }
            runLength[g] = 0
        }
        if plan.isGate[v] {
            let p = plan.reject[v]
            if p > 0 && rng.nextUniform() < p {
                rejections[g] += 1
                if rejections[g] > CompiledPlan.maxRejections {
                    caseStatus[c] = SimulationEngine.abandoned
                    return
                }
                resetRework(gate: g, case: c, node: v)
                let target = c * n + plan.reworkTarget[v]
                if state[target] == SimulationEngine.notReady { makeReady(target, cause: e, at: t, pass: .rework) }
                return
            }
        }
        markDone(g, case: c, node: v, at: t, exec: e)
    }

    private mutating func markDone(_ g: Int, case c: Int, node v: Int, at t: Double, exec: Int) {
        state[g] = SimulationEngine.done
        doneTime[g] = t
        doneExec[g] = exec
        caseRemaining[c] -= 1
        if caseRemaining[c] == 0 {
            caseStatus[c] = SimulationEngine.finished
            caseFinish[c] = t
            return
        }
        let base = c * n
        for k in plan.succStart[v]..<plan.succStart[v + 1] {
            let s = plan.succs[k]
            let gs = base + s
            if state[gs] != SimulationEngine.notReady { continue }
            var ready = true
            var latest = -Double.infinity
            var cause = -1
            for j in plan.predStart[s]..<plan.predStart[s + 1] {
                let gp = base + plan.preds[j]
                if state[gp] != SimulationEngine.done {
                    ready = false
                    break
                }
                if doneTime[gp] > latest {
                    latest = doneTime[gp]
                    cause = doneExec[gp]
                }
            }
            if ready { makeReady(gs, cause: cause, at: t) }
        }
    }

    /// Which hand-off wait a node ready again takes.
    enum Pass {
        /// Its first run in the case: `wait`.
        case first
        /// Sent back by a rejecting gate: `reworkWait` where recorded.
        case rework
        /// Picked up again once done: `repeatWait`, else `reworkWait`, where recorded.
        case repeated
    }

    /// A draw of what remains of node-of-case `g`'s wait (node `v`) on `pass` once `elapsed`
    /// of it has passed (0: a whole wait), and whether it is in business time; nil when it
    /// does not wait. A repeat pauses as recorded for repeats at its run position, else as
    /// work sent back, else as a first pass.
    private mutating func drawWait(_ g: Int, node v: Int, _ pass: Pass, elapsed: Double) -> (seconds: Double, business: Bool)? {
        if pass == .repeated, let entry = plan.repeatWaitEntry(v, after: runLength[g]) {
            return (plan.repeatWait.sampleRemaining(entry, elapsed: elapsed, &rng), plan.repeatWait.business[entry])
        }
        if pass != .first && plan.hasReworkWait[v] {
            return (plan.reworkWait.sampleRemaining(v, elapsed: elapsed, &rng), plan.reworkWait.business[v])
        }
        guard plan.hasWait[v] else { return nil }
        return (plan.wait.sampleRemaining(v, elapsed: elapsed, &rng), plan.wait.business[v])
    }

    /// Node `g` is ready at `t` on `pass`, and waits as that pass does.
    private mutating func makeReady(_ g: Int, cause: Int, at t: Double, pass: Pass = .first) {
        let c = g / n
        let v = g - c * n
        if skip[g] && pass != .repeated {
            markDone(g, case: c, node: v, at: t, exec: cause)
            return
        }
        state[g] = SimulationEngine.scheduled
        readyTime[g] = t
        if let wait = drawWait(g, node: v, pass, elapsed: 0) {
            let end = advance(t, by: wait.seconds, business: wait.business, hours: plan.hours[v])
            if end > t {
                pendingCause[g] = cause
                pushEvent(time: end, payload: -(cases + 1 + g))
                return
            }
        }
        batchNode.append(g)
        batchCause.append(cause)
    }

    /// The instant `x` seconds of a node's time after `t`: working time inside the node's
    /// hours (a business day of a `bd` duration is one working day), business time on the
    /// calendar for `bd`, else elapsed time.
    private mutating func advance(_ t: Double, by x: Double, business: Bool, hours: WorkingHours?) -> Double {
        if let h = hours {
            let working = business ? x / secondsPerDay * h.secondsPerWorkingDay : x
            return h.advance(t, byWorkingSeconds: working, days: &table)
        }
        return business ? table.advance(t, byBusinessSeconds: x) : t + x
    }

    /// Orders the nodes that became ready at one instant by case, then declaration order.
    private mutating func sortBatch() {
        let count = batchNode.count
        guard count > 1 else { return }
        var sorted = true
        for k in 1..<count where batchNode[k - 1] > batchNode[k] {
            sorted = false
            break
        }
        if sorted { return }
        if count <= 64 {
            for k in 1..<count {
                let g = batchNode[k], cause = batchCause[k]
                var j = k - 1
                while j >= 0 && batchNode[j] > g {
                    batchNode[j + 1] = batchNode[j]
                    batchCause[j + 1] = batchCause[j]
                    j -= 1
                }
                batchNode[j + 1] = g
                batchCause[j + 1] = cause
            }
        } else {
            // Node indices in a batch are distinct, so this order is total.
            let pairs = zip(batchNode, batchCause).sorted { $0.0 < $1.0 }
            for (k, p) in pairs.enumerated() {
                batchNode[k] = p.0
                batchCause[k] = p.1
            }
        }
    }

    // MARK: - Scheduling

    private mutating func schedule(_ g: Int, cause readyCause: Int, at t: Double, processing: Double? = nil) {
        let c = g / n
        guard caseStatus[c] == SimulationEngine.running else { return }
        let v = g - c * n
        let x = processing ?? plan.processing.sample(v, &rng)
        let e = execNode.count
        var start = t
        var cause = readyCause
        let lo = plan.ownStart[v], hi = plan.ownStart[v + 1]
        let count = hi - lo
        let k = plan.quorum[v]
        if k >= count {
            // A stage, or a gate that needs every approver.
            var latest = -Double.infinity
            var latestExec = -1
            for i in lo..<hi {
                let u = heap[plan.unitBase[plan.owns[i]]]
                if unitFree[u] > latest {
                    latest = unitFree[u]
                    latestExec = unitLastExec[u]
                }
            }
            if latest > t {
                start = latest
                cause = latestExec
            }
            for i in lo..<hi { chosen[i - lo] = true }
        } else {
            for i in 0..<count { chosen[i] = false }
            var latest = -Double.infinity
            var latestExec = -1
            for _ in 0..<k {
                var best = -1
                var bestFree = Double.infinity
                for i in 0..<count where !chosen[i] {
                    let f = unitFree[heap[plan.unitBase[plan.owns[lo + i]]]]
                    if best < 0 || f < bestFree {
                        best = i
                        bestFree = f
                    }
                }
                guard best >= 0 else { break }
                chosen[best] = true
                if bestFree > latest {
                    latest = bestFree
                    latestExec = unitLastExec[heap[plan.unitBase[plan.owns[lo + best]]]]
                }
            }
            // Selection order is by free instant; the recorded cause must be the first
            // chosen approver (declaration order) among those freeing last.
            if latest > t {
                start = latest
                for i in 0..<count where chosen[i] {
                    let u = heap[plan.unitBase[plan.owns[lo + i]]]
                    if unitFree[u] == latest {
                        latestExec = unitLastExec[u]
                        break
                    }
                }
                cause = latestExec
            }
        }
        let byCapacity = start > t
        if let h = plan.hours[v] { start = h.nextWorkingInstant(start, days: &table) }
        let finish = advance(start, by: x, business: plan.processing.business[v], hours: plan.hours[v])
        for i in 0..<count where chosen[i] {
            let o = plan.owns[lo + i]
            let root = plan.unitBase[o]
            let u = heap[root]
            unitFree[u] = finish
            unitLastExec[u] = e
            siftDown(root: root, end: plan.unitBase[o + 1])
            execOwn.append(o)
        }
        execOwnStart.append(execOwn.count)
        execNode.append(g)
        execReady.append(readyTime[g])
        execRequest.append(t)
        execStart.append(start)
        execByCapacity.append(byCapacity)
        execFinish.append(finish)
        execCause.append(cause)
        execCompleted.append(false)
        pushEvent(time: finish, payload: e)
    }

    // MARK: - Heaps

    @inline(__always)
    private func unitBefore(_ a: Int, _ b: Int) -> Bool {
        let fa = unitFree[a], fb = unitFree[b]
        return fa < fb || (fa == fb && a < b)
    }

    /// Restores the heap order of one owner's segment after its root's key grew.
    private mutating func siftDown(root: Int, end: Int) {
        let size = end - root
        guard size > 1 else { return }
        var i = 0
        let item = heap[root]
        while true {
            let l = 2 * i + 1
            if l >= size { break }
            var m = l
            let r = l + 1
            if r < size && unitBefore(heap[root + r], heap[root + l]) { m = r }
            if unitBefore(heap[root + m], item) {
                heap[root + i] = heap[root + m]
                i = m
            } else {
                break
            }
        }
        heap[root + i] = item
    }

    @inline(__always)
    private func eventBefore(_ a: Event, _ b: Event) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }

    private mutating func pushEvent(time: Double, payload: Int) {
        let ev = Event(time: time, seq: seq, payload: payload)
        seq += 1
        events.append(ev)
        var i = events.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if eventBefore(ev, events[parent]) {
                events[i] = events[parent]
                i = parent
            } else {
                break
            }
        }
        events[i] = ev
    }

    private mutating func popEvent() -> Event {
        let top = events[0]
        let last = events.removeLast()
        let size = events.count
        if size > 0 {
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= size { break }
                var m = l
                if l + 1 < size && eventBefore(events[l + 1], events[l]) { m = l + 1 }
                if eventBefore(events[m], last) {
                    events[i] = events[m]
                    i = m
                } else {
                    break
                }
            }
            events[i] = last
        }
        return top
    }

    // MARK: - Per-run summaries

    /// Business or elapsed time from ready to finish of an execution, against its SLA.
    mutating func breachesSLA(_ e: Int) -> Bool {
        let v = execNode[e] % max(n, 1)
        let sla = plan.slaSeconds[v]
        guard sla >= 0 else { return false }
        let ready = execReady[e], finish = execFinish[e]
        let spent = plan.slaBusiness[v] ? table.businessDuration(from: ready, to: finish) : finish - ready
        return spent > sla
    }

    /// The executions on the critical path of case 0 (see the type's documentation),
    /// reported through `body`. Call only after a finished plain run.
    func forEachCriticalExecution(_ body: (Int) -> Void) {
        guard n > 0 else { return }
        var last = 0
        for v in 1..<n where doneTime[v] >= doneTime[last] { last = v }
        var e = doneExec[last]
        while e >= 0 {
            body(e)
            let c = execCause[e]
            guard c < e else { break }
            e = c
        }
    }
}
