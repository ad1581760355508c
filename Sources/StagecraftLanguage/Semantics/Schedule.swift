import StagecraftSyntax

/// The planned schedule of one run of a workflow, as docs/cli.md ("Planned dates") states
/// the rules and the critical path: `stagecraft checklist` prints it; the HTML report draws it.
public struct Schedule: Sendable {
    /// Where a node's planned length comes from.
    public enum Basis: String, Sendable, Hashable {
        case sla, estimate
        /// No SLA and no estimate: the node is unscheduled.
        case none
    }

    /// The plan of one node. Days are day numbers (days since 1970-01-01).
    public struct Entry: Sendable, Hashable {
        /// The node's index in `WorkflowModel.nodes`.
        public var index: Int
        /// The day its last `after` node is done (kickoff for a node without `after`).
        public var ready: Int
        /// The planned first day of work (the ready day for skipped and unscheduled nodes).
        public var start: Int
        /// The last planned day of work; nil when skipped or unscheduled.
        public var due: Int?
        /// The planned length in whole days (business days when `isBusiness`); nil when
        /// skipped or unscheduled.
        public var days: Int?
        /// Whether `days` counts business days (`bd`) rather than calendar days.
        public var isBusiness: Bool
        /// Where the length comes from.
        public var basis: Basis
        /// Whether the node is on the critical path.
        public var critical: Bool
        /// Whether the node's `when` is false for the param values.
        public var skipped: Bool
        /// The `when` condition that skipped the node, as written in the source.
        public var skipReason: String?
        /// True when the node has neither an SLA nor an estimate (and is not skipped).
        public var unscheduled: Bool
        /// Calendar days the node waited for a free owner unit after it could have started.
        public var capacityWait: Int
        /// The node that determined this node's start (see the type's documentation).
        public var driver: Int?
        /// The owners whose units the node holds (for a gate, the chosen approvers), in
        /// declaration order.
        public var assignedOwners: [Int]

        /// `start` as a date.
        public var startDate: CivilDate { CivilDate(dayNumber: start) }
        /// `due` as a date.
        public var dueDate: CivilDate? { due.map { CivilDate(dayNumber: $0) } }
    }

    /// No node is planned longer than this many days (about 270 years).
    public static let maximumDays = 100_000

    /// The kickoff day (the `--start` date, as given).
    public let kickoff: Int
    /// One entry per node, indexed like `WorkflowModel.nodes`.
    public let entries: [Entry]
    /// Node indices in dependency order (predecessors first, ties by declaration order).
    public let order: [Int]
    /// The planned finish: the latest due date; nil when no node is scheduled.
    public let finish: Int?
    /// The deadline date: kickoff plus the workflow's `deadline`, counted like an SLA.
    public let deadline: Int?
    /// Days from `finish` to `deadline` (negative when late): business days for a `bd`
    /// deadline, calendar days otherwise. Nil without a deadline or a finish.
    public let slack: Int?
    /// Whether `slack` counts business days.
    public let slackIsBusiness: Bool
    /// The critical path, kickoff to finish: scheduled (not skipped or unscheduled) nodes.
    public let criticalPath: [Int]

    /// Schedules a workflow; nil when its dependency graph has a cycle.
    ///
    /// - Parameters:
    ///   - model: the workflow.
    ///   - start: the kickoff date.
    ///   - values: every param's value (`model.paramValues(overrides:)`); the defaults when nil.
    ///   - source: the file, to quote skipping conditions as written; without it they are
    ///     rendered from the syntax tree.
    public init?(model: WorkflowModel, start: CivilDate, values: [String: Value]? = nil, source: SourceFile? = nil) {
        guard let order = model.graph.topologicalOrder else { return nil }
        let days = DayArithmetic(model.calendar)
        let kickoff = start.dayNumber
        let skipped = model.skipped(values: values ?? model.paramValues())
        let (lengths, basis) = Schedule.lengths(model: model, skipped: skipped)

        var entries = (0..<model.nodes.count).map { i in
            Entry(index: i, ready: kickoff, start: kickoff, due: nil, days: nil, isBusiness: false,
                  basis: basis[i], critical: false, skipped: skipped[i],
                  skipReason: skipped[i] ? model.nodes[i].condition.map { Schedule.conditionText($0, source: source) } : nil,
                  unscheduled: !skipped[i] && lengths[i] == nil, capacityWait: 0, driver: nil,
                  assignedOwners: [])
        }
        var planner = ForwardPlanner(model: model, days: days, kickoff: kickoff, lengths: lengths, entries: entries)
        planner.run(order: order)
        entries = planner.entries
        let (finishNode, path) = Schedule.markCriticalPath(&entries)

        self.kickoff = kickoff
        self.entries = entries
        self.order = order
        self.criticalPath = path
        let finish = finishNode.flatMap { entries[$0].due }
        self.finish = finish
        let deadline = model.deadline.flatMap { Schedule.deadlineDay($0, kickoff: kickoff, days: days) }
        let slackIsBusiness = deadline != nil && model.deadline?.isBusiness == true
        self.deadline = deadline
        self.slackIsBusiness = slackIsBusiness
        if let deadline, let finish {
            if slackIsBusiness {
                self.slack = deadline >= finish
                    ? days.workdays(after: finish, through: deadline)
                    : -days.workdays(after: deadline, through: finish)
            } else {
                self.slack = deadline - finish
            }
        } else {
            self.slack = nil
        }
    }

    /// The planned length of each node not skipped (from its SLA, else its estimate's most
    /// likely value), and where it comes from.
    private static func lengths(model: WorkflowModel, skipped: [Bool]) -> ([(days: Int, business: Bool)?], [Basis]) {
        let n = model.nodes.count
        var lengths = [(days: Int, business: Bool)?](repeating: nil, count: n)
        var basis = [Basis](repeating: .none, count: n)
        for i in 0..<n where !skipped[i] {
            if let sla = model.nodes[i].sla?.value, let d = Schedule.wholeDays(sla) {
                lengths[i] = (d, sla.isBusiness)
                basis[i] = .sla
            } else if let likely = model.nodes[i].estimate.flatMap({ Schedule.mostLikely($0, model: model) }),
                      let d = Schedule.wholeDays(likely) {
                lengths[i] = (d, likely.isBusiness)
                basis[i] = .estimate
            }
        }
        return (lengths, basis)
    }

    /// The critical path, back from the node due last (ties: first declared) through the
    /// drivers, marked on the entries; returns that node and the path, kickoff first.
    private static func markCriticalPath(_ entries: inout [Entry]) -> (finish: Int?, path: [Int]) {
        var finishNode: Int?
        for i in entries.indices {
            guard let due = entries[i].due else { continue }
            if finishNode.flatMap({ entries[$0].due }).map({ due > $0 }) ?? true { finishNode = i }
        }
        var path: [Int] = []
        var cursor = finishNode
        var seen = Set<Int>()
        while let c = cursor, seen.insert(c).inserted {
            if entries[c].due != nil {
                path.append(c)
                entries[c].critical = true
            }
            cursor = entries[c].driver
        }
        return (finishNode, path.reversed())
    }

    /// The entries in dependency order, skipped nodes left out.
    public var plannedEntries: [Entry] { order.map { entries[$0] }.filter { !$0.skipped } }

    /// The skipped entries, in dependency order.
    public var skippedEntries: [Entry] { order.map { entries[$0] }.filter(\.skipped) }

    /// The day a `deadline` falls on from a kickoff day: counted like an SLA, the kickoff
    /// day being day 1 (business days for `bd`). The one definition of the deadline that
    /// `checklist`, `simulate` and `report` share.
    static func deadlineDay(_ d: Duration, kickoff: Int, days: DayArithmetic) -> Int? {
        guard let count = wholeDays(d) else { return nil }
        return d.isBusiness ? days.nthWorkday(count, from: days.nextWorkday(onOrAfter: kickoff)) : kickoff + count - 1
    }

    /// The deadline instant of a kickoff instant: the end of its deadline day (UTC).
    public static func deadlineInstant(_ d: Duration, kickoff: Double, calendar: BusinessCalendar) -> Double? {
        let day = Int((kickoff / secondsPerDay).rounded(.down))
        return deadlineDay(d, kickoff: day, days: DayArithmetic(calendar)).map { Double($0 + 1) * secondsPerDay }
    }

    /// A duration in whole days, rounded up (at least 1, at most `maximumDays`); nil when
    /// it is not a positive finite amount. `bd` counts business days; `m`, `h`, `d` and
    /// `w` count calendar days.
    public static func wholeDays(_ d: Duration) -> Int? {
        guard d.amount.isFinite, d.amount > 0 else { return nil }
        let x = d.isBusiness ? d.amount : d.seconds / secondsPerDay
        // A little tolerance so that `0.1w` (0.7000000001 days) is still 1 day.
        let up = (x - 1e-9).rounded(.up)
        return Int(min(max(up, 1), Double(maximumDays)))
    }

    /// The most likely value of an estimate: PERT's LIKELY, or the midpoint of a range
    /// (in the range's unit; in business days when the two ends use different units).
    public static func mostLikely(_ e: Estimate, model: WorkflowModel) -> Duration? {
        switch e {
        case .pert(_, let likely, _):
            return likely.value
        case .range(let low, let high):
            let l = low.value, h = high.value
            guard l.amount.isFinite, h.amount.isFinite else { return nil }
            if l.unit == h.unit { return Duration(amount: (l.amount + h.amount) / 2, unit: l.unit) }
            return Duration(amount: (model.businessDays(l) + model.businessDays(h)) / 2, unit: .businessDays)
        }
    }

    /// A `when` condition as written (whitespace runs collapsed), or rendered from the tree.
    static func conditionText(_ e: Expr, source: SourceFile?) -> String {
        if let source {
            let text = source.text(of: e.range)
            let collapsed = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                .joined(separator: " ")
            if !collapsed.isEmpty { return collapsed }
        }
        return render(e)
    }

    private static func render(_ e: Expr) -> String {
        switch e {
        case .string(let s): return Value.string(s.value).description
        case .number(let n): return formatNumber(n.value)
        case .bool(let b, _): return b ? "true" : "false"
        case .name(let id): return id.name
        case .paren(let inner, _): return "(" + render(inner) + ")"
        case .not(let inner, _): return "not " + render(inner)
        case .binary(let op, let l, let r, _): return render(l) + " " + op.rawValue + " " + render(r)
        case .isIn(let l, let list, _): return render(l) + " in [" + list.map(render).joined(separator: ", ") + "]"
        case .invalid: return "…"
        }
    }
}

/// The forward pass of `Schedule`: day by day, nodes become ready when their predecessors
/// are done and start when their owners have free units.
private struct ForwardPlanner {
    typealias Unit = (freeAt: Int, holder: Int?)

    let model: WorkflowModel
    let days: DayArithmetic
    let kickoff: Int
    let lengths: [(days: Int, business: Bool)?]
    var entries: [Schedule.Entry]
    /// Owner units: when each is next free, and the node that last held it.
    private var units: [[Unit]]
    /// The day each done node's successors may start.
    private var release: [Int]
    /// Predecessors not yet done, per node.
    private var remaining: [Int]
    /// Ready nodes with a length, not yet started.
    private var pending = Set<Int>()

    init(model: WorkflowModel, days: DayArithmetic, kickoff: Int, lengths: [(days: Int, business: Bool)?],
         entries: [Schedule.Entry]) {
        let n = model.nodes.count
        self.model = model
        self.days = days
        self.kickoff = kickoff
        self.lengths = lengths
        self.entries = entries
        units = (0..<model.owners.count).map { o in
            Array(repeating: (Int.min, nil), count: max(1, min(model.capacity(ofOwner: o), max(1, n))))
        }
        release = [Int](repeating: kickoff, count: n)
        remaining = model.graph.predecessors.map { $0.count }
    }

    mutating func run(order: [Int]) {
        let n = model.nodes.count
        makeReady(order.filter { model.graph.predecessors[$0].isEmpty }.reversed())
        var t = kickoff
        var steps = 0
        while !pending.isEmpty && steps <= 4 * n + 16 {
            steps += 1
            let started = startReady(at: t)
            var newlyReady: [Int] = []
            for i in started {
                pending.remove(i)
                for s in model.graph.successors[i] {
                    remaining[s] -= 1
                    if remaining[s] == 0 { newlyReady.append(s) }
                }
            }
            makeReady(newlyReady.sorted().reversed())
            if !started.isEmpty { steps = 0 }
            if pending.isEmpty { break }
            t = nextMoment(after: t)
        }
        // Unreachable for a well-formed model; never leave a node looking planned.
        for i in pending { entries[i].unscheduled = true }
    }

    /// Marks nodes ready once all their predecessors are done; skipped and unscheduled
    /// nodes are done at once, which may make their successors ready in turn.
    private mutating func makeReady(_ first: [Int]) {
        var work = first
        while let i = work.popLast() {
            var ready = kickoff
            var driver: Int?
            for p in model.graph.predecessors[i] where driver == nil || release[p] > ready {
                ready = release[p]
                driver = p
            }
            entries[i].ready = ready
            entries[i].start = ready
            entries[i].driver = driver
            if lengths[i] == nil {
                release[i] = ready
                for s in model.graph.successors[i] {
                    remaining[s] -= 1
                    if remaining[s] == 0 { work.append(s) }
                }
            } else {
                pending.insert(i)
            }
        }
    }

    /// Starts, in declaration order, every pending node that can start on day `t`.
    private mutating func startReady(at t: Int) -> [Int] {
        var started: [Int] = []
        for i in pending.sorted() where entries[i].ready <= t {
            guard let length = lengths[i] else { continue }
            if length.business && !days.isWorkday(t) { continue }
            guard let taken = ForwardPlanner.acquire(node: i, at: t, model: model, units: units) else { continue }
            let due = length.business ? days.nthWorkday(length.days, from: t) : t + length.days - 1
            let earliest = length.business ? days.nextWorkday(onOrAfter: entries[i].ready) : entries[i].ready
            entries[i].start = t
            entries[i].due = due
            entries[i].days = length.days
            entries[i].isBusiness = length.business
            entries[i].capacityWait = max(0, t - earliest)
            entries[i].assignedOwners = taken.map(\.owner).sorted()
            if t > earliest {
                // The unit freed last is the one the node waited for.
                let last = taken.max { units[$0.owner][$0.unit].freeAt < units[$1.owner][$1.unit].freeAt }
                if let last, let holder = units[last.owner][last.unit].holder {
                    entries[i].driver = holder
                }
            }
            for u in taken { units[u.owner][u.unit] = (due + 1, i) }
            release[i] = days.nextWorkday(onOrAfter: due + 1)
            started.append(i)
        }
        return started
    }

    /// The next moment anything can change: a node becomes ready, a unit frees up, or a
    /// business day begins for a waiting `bd` node.
    private func nextMoment(after t: Int) -> Int {
        var next = Int.max
        for i in pending {
            if entries[i].ready > t {
                next = min(next, entries[i].ready)
                continue
            }
            if lengths[i]?.business == true && !days.isWorkday(t) {
                next = min(next, days.nextWorkday(onOrAfter: t + 1))
            }
            for o in model.owners(ofNode: i) {
                for u in units[o] where u.freeAt > t { next = min(next, u.freeAt) }
            }
        }
        return next == Int.max ? t + 1 : next
    }

    /// Chooses the owner units a node takes at day `t`, or nil when not enough are free.
    private static func acquire(node i: Int, at t: Int, model: WorkflowModel,
                                units: [[Unit]]) -> [(owner: Int, unit: Int)]? {
        let owners = model.owners(ofNode: i)
        guard !owners.isEmpty else { return [] }
        // Each owner's unit that has been free longest (ties: lowest unit).
        var free: [(owner: Int, unit: Int, freeAt: Int)] = []
        for o in owners {
            var best: (Int, Int)?
            for (k, u) in units[o].enumerated() where u.freeAt <= t {
                if best.map({ u.freeAt < $0.1 }) ?? true { best = (k, u.freeAt) }
            }
            if let best { free.append((o, best.0, best.1)) }
        }
        let needed = model.nodes[i].kind == .gate ? min(model.quorum(ofNode: i), owners.count) : 1
        guard free.count >= needed else { return nil }
        free.sort { ($0.freeAt, $0.owner) < ($1.freeAt, $1.owner) }
        return free.prefix(needed).map { ($0.owner, $0.unit) }
    }
}

/// Whole-day arithmetic on a business calendar; a calendar without workdays treats every
/// day as a business day. Runs of a week without holidays are skipped in one step.
struct DayArithmetic: Sendable {
    let calendar: BusinessCalendar
    let holidays: [Int]
    let perWeek: Int

    init(_ calendar: BusinessCalendar) {
        self.calendar = calendar
        self.holidays = calendar.holidays.keys.sorted()
        self.perWeek = calendar.workdays.filter { $0 }.count
    }

    func isWorkday(_ d: Int) -> Bool { !calendar.hasWorkdays || calendar.isBusinessDay(d) }

    func nextWorkday(onOrAfter d: Int) -> Int { calendar.hasWorkdays ? calendar.nextBusinessDay(onOrAfter: d) : d }

    /// Whether a holiday falls in `lo...hi`.
    private func hasHoliday(_ lo: Int, _ hi: Int) -> Bool {
        var a = 0, b = holidays.count
        while a < b {
            let m = (a + b) / 2
            if holidays[m] < lo { a = m + 1 } else { b = m }
        }
        return a < holidays.count && holidays[a] <= hi
    }

    /// The `n`-th business day counting business day `start` as day 1 (n ≥ 1).
    func nthWorkday(_ n: Int, from start: Int) -> Int {
        guard calendar.hasWorkdays else { return start + max(1, n) - 1 }
        var day = start
        var left = max(1, n) - 1
        while left > 0 {
            if left > perWeek && !hasHoliday(day + 1, day + 7) {
                day += 7
                left -= perWeek
            } else {
                day += 1
                if isWorkday(day) { left -= 1 }
            }
        }
        return day
    }

    /// How many business days fall in `(after, through]`.
    func workdays(after a: Int, through b: Int) -> Int {
        guard b > a else { return 0 }
        guard calendar.hasWorkdays else { return b - a }
        var count = 0
        var day = a
        while day < b {
            if day + 7 <= b && !hasHoliday(day + 1, day + 7) {
                day += 7
                count += perWeek
            } else {
                day += 1
                if isWorkday(day) { count += 1 }
            }
        }
        return count
    }
}
