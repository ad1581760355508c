import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory

/// Where one case in flight stands at an instant, as the simulator starts from it.
public struct InFlightState: Hashable, Sendable {
    public enum Node: Hashable, Sendable {
        /// Not all predecessors done yet.
        case notReady
        /// Done at this instant.
        case done(Double)
        /// Passed over (not run, and a later node has run): done as far as the case goes.
        case passed(Double)
        /// Running since `since`; `elapsed` of its processing has passed (working seconds
        /// where its owner keeps hours).
        case running(since: Double, elapsed: Double)
        /// Ready since `since`, waiting for hand-off; `elapsed` of the wait has passed.
        case ready(since: Double, elapsed: Double)
    }

    /// The case's first event.
    public var started: Double
    /// Per model node, in declaration order.
    public var nodes: [Node]
    /// Per ready node: the probability that it runs at all, given how long it has been
    /// ready without starting (its share of cases, weighed against how many recorded waits
    /// last this long). Empty, or 1 per node: as drawn in any run.
    public var runChance: [Double] = []
    /// Per done gate whose outcome the log does not show yet (nothing has started since it
    /// ended): the probability that it rejected, given the time since. Empty, or 0: approved.
    public var pendingReject: [Double] = []
    /// Per done node after whose end nothing has started: the probability that it is
    /// picked up again (`SimNode.repeatShare`), given the time since. Empty, or 0: not.
    public var pendingRepeat: [Double] = []
    /// Per done node: its executions in a row at the end of what the log shows (a run of
    /// direct repeats); 0 for the others.
    public var runLength: [Int] = []
    /// The param combinations this case may still be in, when its own params (case
    /// attributes) narrow the plan's `variants`; nil: the plan's.
    public var variants: [CaseVariant]?

    public init(started: Double, nodes: [Node], variants: [CaseVariant]? = nil) {
        self.started = started
        self.nodes = nodes
        self.variants = variants
    }
}

/// `stagecraft status`: where every case in flight stands at an instant, who holds it up,
/// and when it will finish, simulated from its current state with every case in flight
/// sharing the owners and the model calibrated on the cases already finished.
public enum Status {
    public struct Options: Hashable, Sendable {
        /// The instant to look from; nil: the log's last instant.
        public var asOf: Double?
        /// Runs of the forecast: by default enough that a case's P50 and P85 dates hardly
        /// move with the seed, since a lead quotes them (docs/benchmarks.md has the figures).
        public var runs: Int = Options.standardRuns
        public var seed: UInt64 = SimulationOptions.defaultSeed
        /// New launches arriving every this long from `asOf` (business time for `bd`), sharing
        /// the owners with the cases in flight; nil: none.
        public var arrival: Duration?

        public static let standardRuns = 1_000

        public init(asOf: Double? = nil, runs: Int = standardRuns, seed: UInt64 = SimulationOptions.defaultSeed,
                    arrival: Duration? = nil) {
            self.asOf = asOf
            self.runs = runs
            self.seed = seed
            self.arrival = arrival
        }
    }

    public enum NodeState: String, Hashable, Sendable {
        case done, running, ready, notReady = "not-ready", skipped
    }

    public struct NodeStatus: Hashable, Sendable {
        public var id: String
        public var state: NodeState
        /// Done: when; running: since when; ready: waiting since when.
        public var since: Double?
        /// Running: who records it (the log's resource); ready: the owners it waits for.
        public var owner: String?
    }

    /// A running or ready node past its SLA (counted from its ready instant).
    public struct Overdue: Hashable, Sendable {
        public var node: String
        public var overBySeconds: Double
    }

    public struct CaseStatus: Hashable, Sendable {
        public var id: String
        public var started: Double
        public var nodes: [NodeStatus]
        /// Overdue first: the most overdue first.
        public var overdue: [Overdue]
        /// Owners of the ready nodes (what the case waits for now), in declaration order.
        public var waitingOn: [String]
        public var remainingP50: Double
        public var remainingP85: Double
        public var completionP50: Double
        public var completionP85: Double
        public var deadline: Double?
        /// Share of runs finishing by the deadline.
        public var deadlineProbability: Double?
        /// Mean time past the deadline over the runs (0 when always met).
        public var expectedSlip: Double?
        /// Runs in which the case did not finish (abandoned after too much rework).
        public var unfinishedRuns: Int
        /// Runs in which the case needed no more work (the log may already show all of it);
        /// the remaining time is forecast from the other runs.
        public var endedRuns: Int = 0
    }

    public struct OwnerStatus: Hashable, Sendable {
        public var id: String
        /// Cases in flight with a ready node this owner serves.
        public var waitingCases: Int
        /// Mean simulated time from ready to start of the forecast executions it serves.
        public var queueMean: Double
    }

    public struct Result: Sendable {
        public var asOf: Double
        /// Ranked by risk: probability of missing the deadline, then expected slip, then
        /// P85 completion.
        public var cases: [CaseStatus]
        /// Ranked by cases waiting, then queue.
        public var owners: [OwnerStatus]
        public var summary: String
        /// Finished cases the forecast is calibrated on.
        public var calibrationCases: Int
        /// Their mean lead time (first event to last).
        public var calibrationMeanLeadTime: Double = 0
        public var runs: Int
        public var seed: UInt64
        public var warnings: [String]
        /// Cases whose final node is not done but which have been idle past nearly every
        /// recorded wait: counted as ended, not in flight.
        public var staleCases = 0
        /// The workflow's calendar, for showing the dates on it.
        public var calendar: BusinessCalendar = .standard
        /// `--arrival`: a new launch every this long from `asOf`, sharing the owners.
        public var arrival: Duration? = nil
        /// New launches simulated for `arrival`.
        public var newLaunches = 0
    }

    public enum Failure: Error, CustomStringConvertible {
        case empty(String)
        case simulation(SimulationError)
        /// A bad value in the log (a case attribute), with its location.
        case located(HistoryError)

        public var description: String {
            switch self {
            case .empty(let s): return s
            case .located(let e): return e.description
            case .simulation(let e): return "cannot simulate: \(e.description)"
            }
        }
    }

    /// One case of the log seen at an instant.
    struct Observed {
        var index: Int
        var started: Double
        var nodes: [NodeStatus]
        var state: InFlightState
        var finished: Bool
        /// Every event of the case is at or before the instant.
        var complete: Bool
        /// Done nodes after whose end nothing has started: the log does not show yet
        /// whether a gate approved or rejected, or whether the node is picked up again.
        var undecided: [Int] = []
        /// Its own deadline (a `deadline` case attribute); nil: the workflow's, from `started`.
        var deadline: Double? = nil
    }

    /// The case attributes status reads from a log: `deadline` and the workflow's params,
    /// lowercased as `HistoryOptions.caseAttributes` matches them.
    public static func caseAttributeNames(_ model: WorkflowModel) -> Set<String> {
        Set(["deadline"] + model.params.map { $0.name.name.lowercased() })
    }

    /// A `deadline` case attribute: a date (`YYYY-MM-DD`, the end of that day, UTC) or an
    /// ISO 8601 instant; nil when it is neither.
    static func parseDeadline(_ text: String) -> Double? {
        if let d = CivilDate.parse(text) { return Double(d.dayNumber + 1) * secondsPerDay }
        var parser = TimestampParser(timeZone: nil)
        return parser.parse(text)
    }

    /// Applies each case's attributes to how it is forecast: a `deadline` replaces the
    /// workflow's; params fix that case's `when` choices (the other params still vary as
    /// the plan says). Bad values are errors located at the row that gave them.
    static func applyCaseAttributes(_ cases: inout [Observed], model: WorkflowModel, log: EventLog,
                                    values: [String: Value], pinned: Set<String>,
                                    calibration: HistoryCalibration?) throws(Failure) {
        let paramByName = Dictionary(model.params.indices.map { (model.params[$0].name.name.lowercased(), $0) },
                                     uniquingKeysWith: { first, _ in first })
        var cache: [[String: Value]: [CaseVariant]] = [:]
        for k in cases.indices {
            let c = log.cases[cases[k].index]
            guard !c.attributes.isEmpty else { continue }
            func fail(_ a: CaseAttribute, _ message: String) -> Failure {
                .located(HistoryError(file: log.source, line: a.line, column: a.column, message: "case '\(c.id)': " + message))
            }
            if let a = c.attributes["deadline"] {
                guard let t = parseDeadline(a.value) else {
                    throw fail(a, "deadline '\(a.value)' is not a date (YYYY-MM-DD) or an ISO 8601 instant")
                }
                cases[k].deadline = t
            }
            var own: [String: Value] = [:]
            for (name, a) in c.attributes.sorted(by: { $0.key < $1.key }) {
                guard let i = paramByName[name] else { continue }
                let decl = model.params[i]
                guard let type = decl.type else { throw fail(a, "param '\(decl.name.name)' has no valid type, so it cannot take '\(a.value)'") }
                guard let v = Value.parse(a.value, as: type) else {
                    throw fail(a, "param '\(decl.name.name)' is a \(type.rawValue), so it takes \(type.expected), not '\(a.value)'")
                }
                own[decl.name.name] = v
            }
            guard !own.isEmpty else { continue }
            if cache[own] == nil {
                let merged = values.merging(own) { $1 }
                var variants = PlanBuilder.caseVariants(model: model, values: merged, pinned: pinned.union(own.keys),
                                                        calibration: calibration).0
                if variants.isEmpty {
                    let skipped = model.skipped(values: merged)
                    variants = [CaseVariant(probability: 1, skipped: skipped.indices.filter { skipped[$0] })]
                }
                cache[own] = variants
            }
            cases[k].state.variants = cache[own]
        }
        // Nodes the case's own params skip in every combination left show as skipped.
        for k in cases.indices {
            guard let variants = cases[k].state.variants, let first = variants.first else { continue }
            for v in first.skipped where v < cases[k].nodes.count && variants.allSatisfy({ $0.skipped.contains(v) }) {
                let s = cases[k].nodes[v].state
                if s == .ready || s == .notReady {
                    cases[k].nodes[v] = NodeStatus(id: cases[k].nodes[v].id, state: .skipped, since: nil, owner: nil)
                }
            }
        }
    }

    /// The case's node states at `asOf`, from its events up to then; nil when it has none.
    ///
    /// A node is running when an occurrence started by `asOf` ends after it (or never);
    /// else done when an occurrence ended by `asOf` and no predecessor that is a gate's rework
    /// target ran again since (work sent back past it, which undoes what followed it too);
    /// else skipped when a node after it is done or running; else ready when every
    /// predecessor is done or skipped (since the last of them, or the case's start); else not
    /// ready. The case is finished when a final node (one without successors) is done.
    static func observe(_ c: HistoryCase, index: Int, model: WorkflowModel, nodeOf: [Int?], order: [Int],
                        hours: [WorkingHours?], reworkTargets: Set<Int>, resources: [String], asOf: Double) -> Observed? {
        let n = model.nodes.count
        var started = Double.infinity
        var complete = true
        var doneAt = [Double](repeating: -.infinity, count: n)
        var runningSince = [Double](repeating: .infinity, count: n)
        var runningBy = [String?](repeating: nil, count: n)
        func node(_ a: Int) -> Int? { a >= 0 && a < nodeOf.count ? nodeOf[a] : nil }
        func markRunning(_ v: Int, since begin: Double, by resource: Int?) {
            guard begin < runningSince[v] else { return }
            runningSince[v] = begin
            runningBy[v] = resource.flatMap { $0 < resources.count ? resources[$0] : nil }
        }
        var firstEnd = [Double](repeating: .infinity, count: n), lastBegin = [Double](repeating: -.infinity, count: n)
        for o in c.occurrences {
            let begin = o.start ?? o.end
            if o.end > asOf { complete = false }
            guard begin <= asOf else { continue }
            started = min(started, begin)
            guard let v = node(o.activity) else { continue }
            lastBegin[v] = max(lastBegin[v], begin)
            if o.end <= asOf {
                doneAt[v] = max(doneAt[v], o.end)
                firstEnd[v] = min(firstEnd[v], o.end)
            } else {
                markRunning(v, since: begin, by: o.resource)
            }
        }
        for u in c.unfinished {
            complete = false
            guard u.start <= asOf else { continue }
            started = min(started, u.start)
            guard let v = node(u.activity) else { continue }
            lastBegin[v] = max(lastBegin[v], u.start)
            markRunning(v, since: u.start, by: u.resource)
        }
        guard started.isFinite else { return nil }
        // A running node that completed again after it started is done.
        for v in 0..<n where runningSince[v].isFinite && doneAt[v] > runningSince[v] { runningSince[v] = .infinity }
        // Sent back: a node done before a predecessor of it that a gate sends work back to
        // ran again was done in an earlier pass and is to run again, and so is what followed.
        var reopened = [Double](repeating: -.infinity, count: n)
        for v in order where doneAt[v].isFinite {
            for p in model.graph.predecessors[v] {
                if reworkTargets.contains(p) && firstEnd[p] <= doneAt[v] && lastBegin[p] > doneAt[v] {
                    reopened[v] = max(reopened[v], lastBegin[p])
                }
                if reopened[p] > doneAt[v] { reopened[v] = max(reopened[v], reopened[p]) }
            }
            if reopened[v] > doneAt[v] { doneAt[v] = -.infinity }
        }
        // Passed over: a later node has run. Walk successors backwards in reverse order.
        var reached = [Bool](repeating: false, count: n)
        for v in order.reversed() {
            for s in model.graph.successors[v] where reached[s] || doneAt[s].isFinite || runningSince[s].isFinite {
                reached[v] = true
            }
        }
        var calendar = model.calendar
        var pass = [Double](repeating: started, count: n)
        var nodes = model.nodes.map { NodeStatus(id: $0.id.name, state: .notReady, since: nil, owner: nil) }
        var states = [InFlightState.Node](repeating: .notReady, count: n)
        for v in order {
            let id = model.nodes[v].id.name
            var readySince = started
            var predsPassed = true
            for p in model.graph.predecessors[v] {
                if nodes[p].state == .done || nodes[p].state == .skipped {
                    readySince = max(readySince, pass[p])
                } else {
                    predsPassed = false
                }
            }
            func span(_ a: Double) -> Double {
                guard asOf > a else { return 0 }
                guard let h = hours[v] else { return asOf - a }
                return h.workingSeconds(from: a, to: asOf, days: &calendar)
            }
            if runningSince[v].isFinite {
                nodes[v] = NodeStatus(id: id, state: .running, since: runningSince[v], owner: runningBy[v])
                states[v] = .running(since: runningSince[v], elapsed: span(runningSince[v]))
                pass[v] = readySince
            } else if doneAt[v].isFinite {
                nodes[v] = NodeStatus(id: id, state: .done, since: doneAt[v], owner: nil)
                states[v] = .done(doneAt[v])
                pass[v] = doneAt[v]
            } else if reached[v] {
                nodes[v] = NodeStatus(id: id, state: .skipped, since: nil, owner: nil)
                pass[v] = readySince
                states[v] = .passed(readySince)
            } else if predsPassed {
                let owners = model.owners(ofNode: v).map { model.owners[$0].id.name }
                nodes[v] = NodeStatus(id: id, state: .ready, since: readySince,
                                      owner: owners.isEmpty ? nil : owners.joined(separator: ", "))
                states[v] = .ready(since: readySince, elapsed: span(readySince))
                pass[v] = readySince
            }
        }
        let finished = (0..<n).contains { model.graph.successors[$0].isEmpty && nodes[$0].state == .done }
        var undecided: [Int] = []
        for v in 0..<n where nodes[v].state == .done {
            let end = doneAt[v]
            let later = c.occurrences.contains { o in
                let begin = o.start ?? o.end
                return begin <= asOf && (begin > end || (begin == end && node(o.activity) != v))
            } || c.unfinished.contains { $0.start <= asOf && $0.start >= end }
            if !later { undecided.append(v) }
        }
        var state = InFlightState(started: started, nodes: states)
        state.runLength = runLengths(c, undecided: undecided, nodeOf: nodeOf, nodes: n, asOf: asOf)
        return Observed(index: index, started: started, nodes: nodes,
                        state: state, finished: finished, complete: complete, undecided: undecided)
    }

    /// Per node: how many times in a row (each execution starting once the one before
    /// ended, no other node's between) each of `undecided` ran last, by `asOf`; 0 elsewhere.
    static func runLengths(_ c: HistoryCase, undecided: [Int], nodeOf: [Int?], nodes n: Int, asOf: Double) -> [Int] {
        var out = [Int](repeating: 0, count: n)
        guard !undecided.isEmpty else { return out }
        let distinct = HistoryCalibration.executions(of: c, nodeOf: nodeOf, asOf: asOf)
        for v in undecided {
            guard var i = distinct.lastIndex(where: { $0.node == v }) else { continue }
            var k = 1
            while i > 0 && distinct[i - 1].isPickedUpAgain(by: distinct[i]) {
                k += 1
                i -= 1
            }
            out[v] = k
        }
        return out
    }

    /// The log's cases at `asOf`: those in flight, those finished (every event by then), and
    /// the finished ones whose final node shows no outcome yet (`open`).
    static func observeAll(model: WorkflowModel, log: EventLog, asOf: Double)
        -> (inFlight: [Observed], finished: [Int], open: [Observed]) {
        let matcher = ActivityMatcher(model: model)
        let nodeOf: [Int?] = log.activities.map { matcher.node(forActivity: $0) }
        // Any order with predecessors first gives the same states. A model with a cycle
        // cannot be simulated, so its declaration order is as good as any.
        let order = model.graph.topologicalOrder ?? Array(model.nodes.indices)
        let hours = PlanBuilder.nodeHours(model)
        let reworkTargets = Set(model.summaries.compactMap(\.reworkTarget))
        var inFlight: [Observed] = []
        var finished: [Int] = []
        var open: [Observed] = []
        let finals = (0..<model.nodes.count).filter { model.graph.successors[$0].isEmpty }
        for (i, c) in log.cases.enumerated() {
            guard let o = observe(c, index: i, model: model, nodeOf: nodeOf, order: order, hours: hours,
                                  reworkTargets: reworkTargets, resources: log.resources, asOf: asOf) else { continue }
            if o.finished {
                guard o.complete else { continue }
                finished.append(i)
                // Finished by a final node whose outcome the log does not show yet.
                if finals.allSatisfy({ o.nodes[$0].state != .done || o.undecided.contains($0) }) { open.append(o) }
            } else {
                inFlight.append(o)
            }
        }
        return (inFlight, finished, open)
    }

    /// A case's first instant (a start, or a completion without one) and its last (a
    /// completion or an unfinished start); infinite when it has no event.
    static func span(_ c: HistoryCase) -> (begin: Double, end: Double) {
        var begin = Double.infinity, end = -Double.infinity
        for o in c.occurrences {
            begin = min(begin, o.start ?? o.end)
            end = max(end, o.end)
        }
        for u in c.unfinished {
            begin = min(begin, u.start)
            end = max(end, u.start)
        }
        return (begin, end)
    }

    /// The log's last instant: the latest completion or unfinished start.
    static func lastInstant(_ log: EventLog) -> Double? {
        let last = log.cases.reduce(-Double.infinity) { max($0, span($1).end) }
        return last.isFinite ? last : nil
    }

    /// The calibration a status forecast draws from: choices, rework shares and lead times
    /// from the cases finished by `asOf`; processing and waits also from the work done in
    /// the cases in flight, as recorded recently (`censor` adds the work still under way).
    /// docs/forecast.md says why each.
    static func calibrate(model: WorkflowModel, log: EventLog, finished: [Int], inFlight: [Observed],
                          asOf: Double) -> HistoryCalibration {
        var calibration = calibrate(model: model, log: log, finished: finished, inFlight: inFlight, asOf: asOf,
                                    since: -.infinity)
        if let since = calibration.recentSince(asOf: asOf) {
            calibration.prefer(calibrate(model: model, log: log, finished: finished, inFlight: inFlight, asOf: asOf,
                                         since: since))
        }
        return calibration
    }

    /// The calibration from the finished cases and the parts of those in flight completed
    /// by `asOf`, with waits and processing measured from `since` on.
    static func calibrate(model: WorkflowModel, log: EventLog, finished: [Int], inFlight: [Observed],
                          asOf: Double, since: Double) -> HistoryCalibration {
        var finishedLog = log
        finishedLog.cases = finished.map { log.cases[$0] }
        var calibration = HistoryCalibration(log: finishedLog, model: model, since: since)
        var partLog = log
        partLog.cases = inFlight.map { o in
            var c = log.cases[o.index]
            c.occurrences = c.occurrences.filter { $0.end <= asOf }
            c.unfinished = []
            c.readyHints = c.readyHints.filter { $0.time <= asOf }
            return c
        }
        guard !partLog.cases.isEmpty else { return calibration }
        calibration.add(HistoryCalibration(log: partLog, model: model, inFlight: true, since: since))
        return calibration
    }

    /// `measured` with the waits and processing that may still be under way in `inFlight`
    /// counted as lasting at least as long as they have so far (Kaplan–Meier). A processing
    /// under way is one for sure; a wait, with the chance that it is one, as `condition`
    /// weighs it on `plan` for the forecast: a node that may not run (`chance`) runs with
    /// its share of cases against how many recorded waits last as long.
    static func censor(_ measured: HistoryCalibration, model: WorkflowModel, inFlight: [Observed],
                       asOf: Double, judgedBy plan: CompiledPlan) -> HistoryCalibration {
        var calibration = measured
        let n = model.nodes.count
        let judged = inFlight.map { o in
            var seen = o
            condition(&seen, plan: plan, asOf: asOf)
            return seen
        }
        var waiting = [[(Double, Double)]](repeating: [], count: n), running = waiting
        for o in judged {
            for (v, s) in o.state.nodes.enumerated() where v < n {
                switch s {
                case .ready(_, let elapsed):
                    waiting[v].append((elapsed, v < o.state.runChance.count ? o.state.runChance[v] : 1))
                case .running(_, let elapsed): running[v].append((elapsed, 1))
                default: break
                }
            }
        }
        for v in 0..<min(n, calibration.waitingTimes.count) where !waiting[v].isEmpty && !calibration.waitingTimes[v].isEmpty {
            // Only first passes are ready here (a node that ran shows as done), so the
            // repeats stay as recorded.
            let again = v < calibration.reworkWaitingTimes.count ? calibration.reworkWaitingTimes[v] : []
            let first = HistoryCalibration.removing(again, from: calibration.waitingTimes[v])
            calibration.waitingTimes[v] = kaplanMeierSample(exact: first, weighted: waiting[v]) + again
        }
        for v in 0..<min(n, calibration.processingTimes.count) where !running[v].isEmpty && !calibration.processingTimes[v].isEmpty {
            calibration.processingTimes[v] = kaplanMeierSample(exact: calibration.processingTimes[v], weighted: running[v])
        }
        return censorPauses(calibration, model: model, judged: judged, asOf: asOf)
    }

    /// `measured` with the waits that may be under way after a done node the log shows no
    /// outcome of yet: the node picked up again, and work sent back to a gate's rework
    /// target, each weighed by its chance given the time since, as `condition` has weighed
    /// it for each case in flight in `judged`. Such a wait, if it is one, has lasted at
    /// least the time since.
    static func censorPauses(_ measured: HistoryCalibration, model: WorkflowModel, judged: [Observed],
                             asOf: Double) -> HistoryCalibration {
        var calibration = measured
        let n = min(model.nodes.count, calibration.waitingTimes.count, calibration.reworkWaitingTimes.count,
                    calibration.repeatWaitingTimes.count)
        // The pauses at each run position the plan tells apart, censored by the cases
        // paused there.
        let groups = (0..<n).map { calibration.repeatWaits($0) }
        var paused = groups.map { [[(Double, Double)]](repeating: [], count: $0.count) }
        var sentBack = [[(Double, Double)]](repeating: [], count: n)
        for o in judged {
            for v in o.undecided where v < n {
                guard case .done(let end) = o.state.nodes[v] else { continue }
                let e = max(0, asOf - end)
                let again = v < o.state.pendingRepeat.count ? o.state.pendingRepeat[v] : 0
                let back = v < o.state.pendingReject.count ? (1 - again) * o.state.pendingReject[v] : 0
                let k = v < o.state.runLength.count ? o.state.runLength[v] : 1
                if again > 0 && !groups[v].isEmpty {
                    paused[v][HistoryCalibration.position(after: k, of: groups[v].count)].append((e, again))
                }
                if back > 0, let t = model.summaries[v].reworkTarget, t < n { sentBack[t].append((e, back)) }
            }
        }
        for v in 0..<n where !sentBack[v].isEmpty || paused[v].contains(where: { !$0.isEmpty }) {
            let again = calibration.reworkWaitingTimes[v], pauses = calibration.allRepeatWaits(v)
            let first = HistoryCalibration.removing(again, from: calibration.waitingTimes[v])
            let others = HistoryCalibration.removing(pauses, from: again)
            calibration.repeatWaitingTimes[v] = groups[v].indices.map {
                kaplanMeierSample(exact: groups[v][$0], weighted: paused[v][$0])
            }
            let newPauses = calibration.allRepeatWaits(v)
            let newOthers = others.isEmpty ? others : kaplanMeierSample(exact: others, weighted: sentBack[v])
            calibration.reworkWaitingTimes[v] = newOthers + newPauses
            calibration.waitingTimes[v] = first + newOthers + newPauses
        }
        return calibration
    }

    /// Equally weighted samples (as many as the observations) of the Kaplan–Meier estimate
    /// of a duration from `exact` durations and `censored` ones known only to last at least
    /// that long. The mass the estimate leaves beyond the last exact duration goes on as an
    /// exponential tail through the estimate at the longest duration seen (Brown, Hollander
    /// and Korwar): a wait already longer than every finished one is not about to end. Each
    /// censored duration counts with a weight: the chance that it is a duration of this kind.
    static func kaplanMeierSample(exact: [Double], weighted censored: [(Double, Double)]) -> [Double] {
        guard !censored.isEmpty, !exact.isEmpty else { return exact }
        // Observations in time order; at equal times the exact ones first.
        let all = (exact.map { ($0, 1.0, true) } + censored.map { ($0.0, $0.1, false) }).sorted { a, b in
            a.0 != b.0 ? a.0 < b.0 : (a.2 && !b.2)
        }
        var atRisk = all.reduce(0.0) { $0 + $1.1 }
        var survival = 1.0
        var steps: [(time: Double, cumulative: Double)] = []
        var i = 0
        while i < all.count {
            let t = all[i].0
            var events = 0.0, leaving = 0.0
            while i < all.count && all[i].0 == t {
                if all[i].2 { events += all[i].1 }
                leaving += all[i].1
                i += 1
            }
            if events > 0 && atRisk > 0 {
                survival *= max(0, 1 - events / atRisk)
                steps.append((t, 1 - survival))
            }
            atRisk -= leaving
        }
        let longest = censored.filter { $0.1 > 0 }.map(\.0).max() ?? 0
        let count = all.count
        var out: [Double] = []
        out.reserveCapacity(count)
        var k = 0
        for j in 0..<count {
            let q = (Double(j) + 0.5) / Double(count)
            while k < steps.count && steps[k].cumulative < q { k += 1 }
            if k < steps.count { out.append(steps[k].time); continue }
            // Beyond the estimate's last step: survival exp(-t/θ) through (seen, left).
            let seen = max(longest, steps.last?.time ?? longest), left = 1 - (steps.last?.cumulative ?? 0)
            out.append(left > 0 && left < 1 ? seen * deterministicLog(1 - q) / deterministicLog(left) : seen)
        }
        return out
    }

    /// Where every case in flight at `options.asOf` stands and when it will finish.
    public static func run(model: WorkflowModel, log: EventLog, values: [String: Value], pinned: Set<String> = [],
                           options: Options) throws(Failure) -> Result {
        guard let asOf = options.asOf ?? lastInstant(log) else { throw .empty("the log has no events") }
        var seen = observeAll(model: model, log: log, asOf: asOf)
        // Cases idle past nearly every recorded wait ended without their last, optional
        // steps (a log seldom records that nothing more will happen): they are counted as
        // finished, and the model is calibrated again with them, so that the choices they
        // made count too.
        let first = calibrate(model: model, log: log, finished: seen.finished, inFlight: seen.inFlight, asOf: asOf)
        let waits = PlanBuilder.build(model: model, values: values, calibration: first, pinned: pinned)
        let compiled: CompiledPlan
        do {
            (compiled, _) = try Simulator.prepare(waits.plan, options: SimulationOptions(runs: 1))
        } catch {
            throw .simulation(error)
        }
        let stale = seen.inFlight.filter { isStale($0, plan: compiled, asOf: asOf) }
        let ended = Set(stale.map(\.index))
        seen.inFlight.removeAll { ended.contains($0.index) }
        seen.finished = (seen.finished + ended).sorted()
        // A final gate that may still have sent work back, or a final node that may still be
        // picked up again, leaves its case in flight.
        let reopened = seen.open.filter { mayReopen($0, plan: compiled, asOf: asOf) }
        let back = Set(reopened.map(\.index))
        seen.finished.removeAll { back.contains($0) }
        seen.inFlight = (seen.inFlight + reopened).sorted { $0.index < $1.index }
        // The work that may still be under way is weighed as the idle rule weighs it, by
        // the cases whose final node is done: counting the cases taken as ended would
        // make each of their skipped steps look less likely to run, and the waits for
        // them shorter.
        let calibration = censor(calibrate(model: model, log: log, finished: seen.finished, inFlight: seen.inFlight,
                                           asOf: asOf),
                                 model: model, inFlight: seen.inFlight, asOf: asOf, judgedBy: compiled)
        let built = PlanBuilder.build(model: model, values: values, calibration: calibration, pinned: pinned)
        var inFlight = seen.inFlight
        try applyCaseAttributes(&inFlight, model: model, log: log, values: values, pinned: pinned, calibration: calibration)
        var result = try forecast(model: model, plan: built.plan, inFlight: inFlight, log: log, asOf: asOf,
                                  calibrationCases: seen.finished.count, warnings: built.warnings, options: options)
        result.staleCases = stale.count
        result.calibrationMeanLeadTime = SimulationStatistics.mean(calibration.leadTimes)
        if !stale.isEmpty {
            result.warnings.append("\(stale.count) \(stale.count == 1 ? "case has" : "cases have") waited longer than \(100 - Int(staleSurvival * 100))% of recorded waits at every ready node with nothing running: counted as ended, not in flight")
        }
        return result
    }

    /// Simulates the cases in flight from their states and ranks them.
    static func forecast(model: WorkflowModel, plan: SimulationPlan, inFlight: [Observed], log: EventLog, asOf: Double,
                         calibrationCases: Int, warnings: [String], options: Options) throws(Failure) -> Result {
        let n = model.nodes.count
        let kickoff = inFlight.map(\.started).min() ?? asOf
        let compiled: CompiledPlan
        do {
            let simOptions = SimulationOptions(runs: options.runs, seed: options.seed, start: kickoff)
            try Simulator.validate(simOptions)
            (compiled, _) = try Simulator.prepare(plan, options: simOptions)
        } catch {
            throw .simulation(error)
        }
        var inFlight = inFlight
        for i in inFlight.indices { condition(&inFlight[i], plan: compiled, asOf: asOf) }
        let cases = inFlight.count
        let states = inFlight.map(\.state)
        let ownerCount = compiled.ownerCount
        struct Part: Sendable {
            var finish: [Double] = []
            /// Per owner: the simulated queueing (ready, or `asOf`, to start) of what it serves.
            var owners: [OwnerTotals]
        }
        let runs = options.runs, seed = options.seed
        /// Every run of the forecast; `newArrivals` start new launches that share the owners.
        func simulate(newArrivals: [Double]) -> [Part] {
            guard cases > 0 else { return [] }
            return Simulator.forEachBlock(blocks: runs, threads: Simulator.threadCount(SimulationOptions())) {
                SimulationEngine(plan: compiled, cases: cases + newArrivals.count, tableStart: kickoff)
            } work: { engine, r in
                var part = Part(owners: [OwnerTotals](repeating: OwnerTotals(), count: ownerCount))
                engine.run(seed: seed, index: r, asOf: asOf, states: states, newArrivals: newArrivals)
                for c in 0..<cases {
                    part.finish.append(engine.caseStatus[c] == SimulationEngine.finished ? engine.caseFinish[c] : .infinity)
                }
                for e in 0..<engine.execNode.count {
                    let q = engine.execStart[e] - max(engine.execReady[e], asOf)
                    for k in engine.execOwnStart[e]..<engine.execOwnStart[e + 1] {
                        part.owners[engine.execOwn[k]].add(delay: max(0, q), busy: 0)
                    }
                }
                return part
            }
        }
        var parts = simulate(newArrivals: [])
        var newLaunches = 0
        if let every = options.arrival, every.seconds > 0, cases > 0 {
            let arrivals = newArrivalInstants(every: every, asOf: asOf, calendar: compiled.calendar,
                                              until: arrivalHorizon(parts.flatMap(\.finish), asOf: asOf))
            newLaunches = arrivals.count
            parts = simulate(newArrivals: arrivals)
        }
        var table = BusinessDayTable(calendar: compiled.calendar, from: kickoff)
        var out: [CaseStatus] = []
        for (c, o) in inFlight.enumerated() {
            var finishes: [Double] = []
            var unfinished = 0
            for p in parts {
                let f = p.finish[c]
                if f.isFinite { finishes.append(f) } else { unfinished += 1 }
            }
            finishes.sort()
            // The remaining time is forecast given that work remains: runs in which the case
            // needed none (a chance node skipped, a gate approved) say it may already be over,
            // which the case shows apart, rather than pulling its dates to now.
            let all = finishes
            let ended = finishes.prefix { $0 <= asOf }.count
            let live = ended < runs ? runs - ended : runs
            if ended < runs { finishes.removeFirst(ended) }
            // Unfinished runs count as finishing never: they sit above every percentile.
            func pct(_ q: Double) -> Double {
                guard !finishes.isEmpty else { return .infinity }
                let k = Int((q * Double(live)).rounded(.up)) - 1
                return k < finishes.count ? finishes[max(0, k)] : .infinity
            }
            let p50 = pct(0.5), p85 = pct(0.85)
            var deadline: Double?
            var probability: Double?
            var slip: Double?
            // The case's own deadline, else as simulate counts the workflow's: the end of the
            // deadline day, the first event's day being day 1.
            if let due = o.deadline ?? model.deadline.map({ Schedule.deadlineInstant($0, kickoff: o.started, calendar: model.calendar) ?? o.started }) {
                deadline = due
                let met = all.filter { $0 <= due }.count
                probability = runs > 0 ? Double(met) / Double(runs) : nil
                let late = all.reduce(0.0) { $0 + max(0, $1 - due) }
                slip = all.isEmpty ? nil : late / Double(all.count)
            }
            var overdue: [Overdue] = []
            var waitingOn: [Int] = []
            for v in 0..<n {
                let s = o.nodes[v]
                guard s.state == .running || s.state == .ready else { continue }
                if s.state == .ready {
                    for w in model.owners(ofNode: v) where !waitingOn.contains(w) { waitingOn.append(w) }
                }
                let sla = compiled.slaSeconds[v]
                guard sla >= 0 else { continue }
                let ready = s.since ?? o.started
                let spent = compiled.slaBusiness[v] ? table.businessDuration(from: ready, to: asOf) : asOf - ready
                if spent > sla { overdue.append(Overdue(node: s.id, overBySeconds: spent - sla)) }
            }
            overdue.sort { $0.overBySeconds != $1.overBySeconds ? $0.overBySeconds > $1.overBySeconds : $0.node < $1.node }
            out.append(CaseStatus(
                id: log.cases[o.index].id, started: o.started, nodes: o.nodes, overdue: overdue,
                waitingOn: waitingOn.sorted().map { model.owners[$0].id.name },
                remainingP50: max(0, p50 - asOf), remainingP85: max(0, p85 - asOf),
                completionP50: onWorkingDay(p50, calendar: model.calendar),
                completionP85: onWorkingDay(p85, calendar: model.calendar), deadline: deadline,
                deadlineProbability: probability, expectedSlip: slip, unfinishedRuns: unfinished, endedRuns: ended))
        }
        out.sort { a, b in
            let ma = 1 - (a.deadlineProbability ?? 1), mb = 1 - (b.deadlineProbability ?? 1)
            if ma != mb { return ma > mb }
            let sa = a.expectedSlip ?? 0, sb = b.expectedSlip ?? 0
            if sa != sb { return sa > sb }
            if a.completionP85 != b.completionP85 { return a.completionP85 > b.completionP85 }
            return a.id < b.id
        }
        var owners: [OwnerStatus] = []
        for o in 0..<ownerCount {
            var queue = OwnerTotals()
            for p in parts { queue.merge(p.owners[o]) }
            let waiting = out.filter { $0.waitingOn.contains(compiled.ownerIDs[o]) }.count
            owners.append(OwnerStatus(id: compiled.ownerIDs[o], waitingCases: waiting, queueMean: queue.mean))
        }
        owners.sort { a, b in
            a.waitingCases != b.waitingCases ? a.waitingCases > b.waitingCases
                : a.queueMean != b.queueMean ? a.queueMean > b.queueMean : a.id < b.id
        }
        return Result(asOf: asOf, cases: out, owners: owners,
                      summary: summary(cases: out, owners: owners, hasDeadline: model.deadline != nil || out.contains { $0.deadline != nil }),
                      calibrationCases: calibrationCases, runs: runs, seed: seed, warnings: warnings,
                      calendar: model.calendar, arrival: options.arrival, newLaunches: newLaunches)
    }

    /// Most new launches `--arrival` adds to a forecast.
    static let maxNewLaunches = 1_000

    /// Until when new launches matter to the cases in flight: twice as far past `asOf` as
    /// the latest finish forecast without them (a launch arriving later finds them done);
    /// a year when no run finished.
    static func arrivalHorizon(_ finishes: [Double], asOf: Double) -> Double {
        let last = finishes.filter(\.isFinite).max() ?? (asOf + 365 * secondsPerDay)
        return asOf + 2 * max(0, last - asOf)
    }

    /// New launches every `every` after `asOf` (business time for `bd`) up to `until`, at
    /// most `maxNewLaunches`.
    static func newArrivalInstants(every: Duration, asOf: Double, calendar: BusinessCalendar, until: Double) -> [Double] {
        guard every.seconds > 0 else { return [] }
        var out: [Double] = []
        var table = BusinessDayTable(calendar: calendar, from: asOf)
        var t = asOf
        while out.count < maxNewLaunches {
            t = every.isBusiness ? table.advance(t, byBusinessSeconds: every.seconds) : t + every.seconds
            guard t <= until else { break }
            out.append(t)
        }
        return out
    }

    /// `t`, or when it falls on a non-working day of a calendar that has working days, the
    /// start of the next working day (its working hours' start when it keeps hours): work
    /// simulated to end on a weekend is handed over when the week starts.
    static func onWorkingDay(_ t: Double, calendar: BusinessCalendar) -> Double {
        guard t.isFinite, calendar.hasWorkdays else { return t }
        let day = Int((t / secondsPerDay).rounded(.down))
        guard !calendar.isBusinessDay(day) else { return t }
        let next = calendar.nextBusinessDay(onOrAfter: day)
        return Double(next) * secondsPerDay + Double(calendar.hours?.start ?? 0) * 60
    }

    /// Weighs what the log has not shown yet (a ready node that may not run, a done node
    /// that may be picked up again, a gate that may have rejected) against the time that has
    /// passed, as docs/cli.md's status section gives the rules; without a recorded wait, time
    /// says nothing.
    static func condition(_ o: inout Observed, plan: CompiledPlan, asOf: Double) {
        let n = plan.nodeCount
        var runChance = [Double](repeating: 1, count: n)
        for v in 0..<n {
            guard case .ready(_, let elapsed) = o.state.nodes[v] else { continue }
            let share = plan.runShare(v)
            guard share < 1 else { continue }
            let s = share * plan.waitSurvival(v, beyond: elapsed)
            runChance[v] = s + (1 - share) > 0 ? s / (s + (1 - share)) : share
        }
        o.state.runChance = runChance
        guard !o.undecided.isEmpty else { return }
        var pendingReject = [Double](repeating: 0, count: n)
        var pendingRepeat = [Double](repeating: 0, count: n)
        for v in o.undecided {
            guard case .done(let end) = o.state.nodes[v] else { continue }
            let k = v < o.state.runLength.count ? o.state.runLength[v] : 0
            let r = v < o.state.runLength.count ? plan.repeatShare(v, after: k) : 0
            let p = plan.isGate[v] && plan.reworkTarget[v] >= 0 ? plan.reject[v] : 0
            guard r > 0 || p > 0 else { continue }
            let e = max(0, asOf - end)
            var goesOn = plan.succStart[v] == plan.succStart[v + 1] ? 1.0 : 0.0
            for j in plan.succStart[v]..<plan.succStart[v + 1] { goesOn = max(goesOn, plan.waitSurvival(plan.succs[j], beyond: e)) }
            let again = r * plan.repeatSurvival(v, after: k, beyond: e)
            var rejected = 0.0
            if p > 0 {
                rejected = (1 - r) * p * plan.reworkWaitSurvival(plan.reworkTarget[v], beyond: e)
            }
            let total = again + rejected + (1 - r) * (1 - p) * goesOn
            guard total > 0 else {
                (pendingRepeat[v], pendingReject[v]) = (r, (1 - r) * p)
                continue
            }
            pendingRepeat[v] = again / total
            // Drawn once the repeat is not: rejected given not repeated.
            pendingReject[v] = total - again > 0 ? rejected / (total - again) : 0
        }
        o.state.pendingReject = pendingReject
        o.state.pendingRepeat = pendingRepeat
    }

    /// Whether a case finished by a final node the log shows no outcome of yet may still go
    /// on: that node rejected or is picked up again with a chance of at least
    /// `staleSurvival`, given the time since.
    static func mayReopen(_ o: Observed, plan: CompiledPlan, asOf: Double) -> Bool {
        var seen = o
        condition(&seen, plan: plan, asOf: asOf)
        for v in o.undecided where plan.succStart[v] == plan.succStart[v + 1] {
            let again = v < seen.state.pendingRepeat.count ? seen.state.pendingRepeat[v] : 0
            let back = v < seen.state.pendingReject.count ? seen.state.pendingReject[v] : 0
            if again + (1 - again) * back >= staleSurvival { return true }
        }
        return false
    }

    /// A wait longer than all but this share of the recorded ones marks a case as idle.
    static let staleSurvival = 0.01

    /// Whether a case has nothing running and has been ready at each ready node (and since
    /// each gate whose outcome is not shown) for longer than all but `staleSurvival` of
    /// the recorded waits there. Nodes without recorded or declared waits never look idle.
    static func isStale(_ o: Observed, plan: CompiledPlan, asOf: Double) -> Bool {
        var anyReady = false
        for (v, s) in o.state.nodes.enumerated() {
            switch s {
            case .running: return false
            case .ready(_, let elapsed):
                guard plan.waitSurvival(v, beyond: elapsed) < staleSurvival else { return false }
                anyReady = true
            default: break
            }
        }
        for v in o.undecided {
            guard case .done(let end) = o.state.nodes[v] else { continue }
            let k = v < o.state.runLength.count ? o.state.runLength[v] : 1
            if plan.repeatShare(v, after: k) > 0 && plan.repeatSurvival(v, after: k, beyond: asOf - end) >= staleSurvival { return false }
            guard plan.isGate[v], plan.reject[v] > 0, plan.reworkTarget[v] >= 0 else { continue }
            guard plan.reworkWaitSurvival(plan.reworkTarget[v], beyond: asOf - end) < staleSurvival else { return false }
        }
        return anyReady
    }

    /// The sentence a lead can paste into a status update.
    static func summary(cases: [CaseStatus], owners: [OwnerStatus], hasDeadline: Bool) -> String {
        let total = cases.count
        guard total > 0 else { return "No case is in flight." }
        let noun = total == 1 ? "case is" : "cases are"
        var s: String
        if hasDeadline {
            let late = cases.filter { ($0.deadlineProbability ?? 1) < 0.5 }.count
            s = "\(late) of \(total) \(total == 1 ? "case" : "cases") \(late == 1 || total == 1 ? "is" : "are") likely to miss \(late == 1 || total == 1 ? "its" : "their") deadline"
        } else {
            s = "\(total) \(noun) in flight"
        }
        if let top = owners.first, top.waitingCases > 0 {
            s += "; \(top.waitingCases) wait\(top.waitingCases == 1 ? "s" : "") on \(top.id), whose queue is \(formatDays(top.queueMean))"
        }
        return s + "."
    }

    static func formatDays(_ seconds: Double) -> String {
        let d = seconds / secondsPerDay
        if d >= 1 { return "\(Int(d.rounded())) day\(Int(d.rounded()) == 1 ? "" : "s")" }
        let h = seconds / 3600
        return h >= 1 ? "\(Int(h.rounded())) h" : "under an hour"
    }
}

/// `stagecraft status --backtest`: how well status would have forecast the cases in flight
/// at a past instant, against when each really finished.
public enum StatusBacktest {
    public struct CaseResult: Hashable, Sendable {
        public var id: String
        public var elapsed: Double
        public var realRemaining: Double
        public var p50: Double
        public var p85: Double
        public var naive: Double
    }

    public struct Result: Sendable {
        public var cut: Double
        public var calibrationCases: Int
        public var cases: [CaseResult]
        /// Mean absolute error of the remaining time: the forecast's P50, and the naive
        /// forecast (calibration mean lead time minus time already spent, floored at 0).
        public var mae: Double
        public var naiveMAE: Double
        public var coverageP50: Double
        public var coverageP85: Double
    }

    /// The instant by which `share` of the cases have started.
    public static func defaultCut(_ log: EventLog, share: Double = 0.7) -> Double? {
        var starts = log.cases.map { Status.span($0).begin }.filter(\.isFinite)
        guard !starts.isEmpty else { return nil }
        starts.sort()
        let k = max(0, min(starts.count - 1, Int((share * Double(starts.count)).rounded(.up)) - 1))
        return starts[k]
    }

    /// `log` as it stood at `cut`: what began after it is gone, and what was under way at it
    /// is a start without a completion; cases not begun by then are left out.
    static func truncated(_ log: EventLog, at cut: Double) -> EventLog {
        var out = log
        out.cases = log.cases.compactMap { c in
            var seen = c
            seen.occurrences = c.occurrences.filter { ($0.start ?? $0.end) <= cut && $0.end <= cut }
            let underWay = c.occurrences.filter { ($0.start ?? $0.end) <= cut && $0.end > cut }.compactMap { o in
                o.start.map { UnfinishedStart(activity: o.activity, resource: o.resource, start: $0, line: o.line) }
            }
            seen.unfinished = (c.unfinished.filter { $0.start <= cut } + underWay).sorted { $0.start < $1.start }
            seen.readyHints = c.readyHints.filter { $0.time <= cut }
            return seen.occurrences.isEmpty && seen.unfinished.isEmpty ? nil : seen
        }
        return out
    }

    /// Cuts `log` at `cut` (default: `defaultCut`) and runs `status` on what the log held
    /// then, as a lead would have, so nothing after the cut informs the forecast. Every case
    /// really in flight there (begun by the cut, its last event after it) is compared with
    /// when it really finished: at the forecast `status` showed for it, or at nothing left
    /// when `status` counted it finished or ended.
    public static func run(model: WorkflowModel, log: EventLog, values: [String: Value], pinned: Set<String> = [],
                           cut: Double?, runs: Int, seed: UInt64) throws(Status.Failure) -> Result {
        guard let at = cut ?? defaultCut(log) else { throw .empty("the log has no events") }
        let status = try Status.run(model: model, log: truncated(log, at: at), values: values, pinned: pinned,
                                    options: Status.Options(asOf: at, runs: runs, seed: seed))
        guard status.calibrationCases > 0 else { throw .empty("no case is finished by the cut: nothing to calibrate on") }
        let shown = Dictionary(status.cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [CaseResult] = []
        // A forecast of never (most runs did not finish) is compared as the longest remaining
        // time the log could show: up to its last instant.
        let horizon = max(0, (Status.lastInstant(log) ?? at) - at)
        for c in log.cases {
            let (begin, end) = Status.span(c)
            guard begin <= at, end > at else { continue }
            let forecast = shown[c.id]
            let elapsed = at - begin
            out.append(CaseResult(id: c.id, elapsed: elapsed, realRemaining: max(0, end - at),
                                  p50: min(forecast?.remainingP50 ?? 0, horizon),
                                  p85: min(forecast?.remainingP85 ?? 0, horizon),
                                  naive: max(0, status.calibrationMeanLeadTime - elapsed)))
        }
        out.sort { $0.id < $1.id }
        let count = Double(max(out.count, 1))
        let slack = 1e-6
        return Result(
            cut: at, calibrationCases: status.calibrationCases, cases: out,
            mae: out.reduce(0.0) { $0 + abs($1.p50 - $1.realRemaining) } / count,
            naiveMAE: out.reduce(0.0) { $0 + abs($1.naive - $1.realRemaining) } / count,
            coverageP50: Double(out.filter { $0.realRemaining <= $0.p50 + slack }.count) / count,
            coverageP85: Double(out.filter { $0.realRemaining <= $0.p85 + slack }.count) / count)
    }
}
