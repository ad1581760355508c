import StagecraftSyntax
import StagecraftLanguage

/// The simulator's input: a plain description of one workflow, independent of the parser
/// and the language model (which are adapted to it), so the engine can be tested on its own.
///
/// Indices refer to positions in `SimulationPlan.nodes` and `SimulationPlan.owners`.

/// How long one execution of a node takes.
public enum DurationModel: Hashable, Sendable {
    /// Recorded processing times in elapsed seconds; each execution draws one uniformly.
    case empirical([Double])
    /// Uniform between `low` and `high` (`estimate LOW..HIGH`).
    case uniform(low: Duration, high: Duration)
    /// Beta-PERT with λ = 4 (`estimate OPT LIKELY PESS`): mean (o + 4m + p)/6.
    case pert(optimistic: Duration, likely: Duration, pessimistic: Duration)
    /// Always the same duration (e.g. an SLA used as the estimate).
    case fixed(Duration)

    /// Whether sampled values are business seconds (advanced on the calendar) rather than
    /// elapsed seconds. A model is in business time when any of its durations is in `bd`.
    public var isBusiness: Bool {
        switch self {
        case .empirical: return false
        case .uniform(let l, let h): return l.isBusiness || h.isBusiness
        case .pert(let o, let m, let p): return o.isBusiness || m.isBusiness || p.isBusiness
        case .fixed(let d): return d.isBusiness
        }
    }

}

/// One stage or gate.
public struct SimNode: Hashable, Sendable {
    public var id: String
    public var title = ""
    public var isGate = false
    /// Indices of the nodes in its `after` list.
    public var predecessors: [Int] = []
    /// A stage: its one owner. A gate: its approvers.
    public var owners: [Int]
    /// A gate: how many approvers must review. A stage: 1 (ignored).
    public var quorum = 1
    public var duration: DurationModel
    /// A gate: the chance that a review rejects (0…1). Ignored for stages.
    public var rejectProbability = 0.0
    /// A gate: the node that rework goes back to (an upstream node). When nil, a rejecting
    /// gate is simply reviewed again.
    public var reworkTarget: Int?
    /// Its `when` condition is false: it is done instantly when ready and takes no capacity.
    public var skipped = false
    /// Ready → done target, in business time for `bd`.
    public var sla: Duration?
    /// The hand-off delay between ready and the request for its owner (`wait`), during
    /// which no owner is busy; nil when the node does not wait.
    public var wait: DurationModel?
    /// The probability that the node runs in a case (`chance`); otherwise it is skipped as
    /// if its `when` were false. 1 when it always runs.
    public var chance = 1.0
    /// The probability that it runs again in a new pass of a rework loop once it has run
    /// (from history: the share of its executions that are repeats); nil: `chance`.
    public var repeatChance: Double? = nil
    /// The hand-off delay when work is sent back to it by a gate (from history: the waits
    /// of its repeated occurrences); nil: `wait`.
    public var reworkWait: DurationModel? = nil
    /// The probability that, once done, it is picked up again after its 1st, 2nd, …
    /// execution in a row (the last share for every later one). Empty: never.
    public var repeatShares: [Double] = []
    /// The pause before such a repeat after its 1st, 2nd, … execution in a row (from
    /// history: the waits of those repeats; the last for every later one). Empty:
    /// `reworkWait`, else `wait`.
    public var repeatWaits: [DurationModel] = []
}

/// A person, team or role with a number of parallel work slots.
public struct SimOwner: Hashable, Sendable {
    public var id: String
    public var capacity = 1
    /// Working hours: the owner's work (and the end of a wait for it) advances only inside
    /// them, on the plan's business days. Nil: around the clock.
    public var hours: WorkingHours?
}

/// One combination of the values of params that vary per case, with its probability and
/// the nodes whose `when` is false for it.
public struct CaseVariant: Hashable, Sendable {
    public var probability: Double
    /// Node indices skipped in a case of this variant, ascending.
    public var skipped: [Int]
}

/// A workflow reduced to what the simulator needs.
public struct SimulationPlan: Hashable, Sendable {
    /// In declaration order (ties between nodes ready at the same instant are served in
    /// this order).
    public var nodes: [SimNode]
    public var owners: [SimOwner]
    public var calendar = BusinessCalendar.standard
    public var deadline: Duration?
    /// Per-case variation of params: each case draws one variant with its probability,
    /// and the variant's skipped nodes replace `SimNode.skipped`. Empty: every case uses
    /// `SimNode.skipped`.
    public var variants: [CaseVariant] = []
}

/// How to run a simulation.
public struct SimulationOptions: Hashable, Sendable {
    /// Number of Monte Carlo runs (replications).
    public var runs: Int
    public var seed: UInt64
    /// The kickoff instant (seconds since the epoch, UTC). When nil, the simulation starts
    /// at `SimulationOptions.defaultKickoff` (Monday 2024-01-01 09:00 UTC) on the plan's
    /// calendar *without its holidays*: the dates are fictional, so holidays of a real year
    /// would distort the forecast. Completion instants are only reported with a start.
    public var start: Double?
    /// Worker threads; nil uses the active processor count. Results do not depend on it.
    public var threads: Int?

    public init(runs: Int = 10_000, seed: UInt64 = defaultSeed, start: Double? = nil, threads: Int? = nil) {
        self.runs = runs
        self.seed = seed
        self.start = start
        self.threads = threads
    }

    /// The seed when none is given: every command's `--seed` default, and the library's.
    public static let defaultSeed: UInt64 = 1

    /// 2024-01-01T09:00:00Z, a Monday.
    public static let defaultKickoff: Double = 19_723 * 86_400 + 9 * 3_600
}

/// When the launches of a portfolio start.
public enum ArrivalModel: Hashable, Sendable {
    /// A fixed interval: case `i` starts at kickoff + i · interval (`bd` on the calendar).
    case every(Duration)
    /// Exponential inter-arrival times with this mean (`exp(2d)`), drawn per run.
    case exponential(mean: Duration)
    /// Inter-arrival times drawn per run from these recorded ones (elapsed seconds).
    case resampled([Double])
    /// Exactly these start instants (seconds since the epoch, non-decreasing), e.g. the
    /// recorded starts of the cases a backtest forecasts.
    case instants([Double])
}

extension ArrivalModel: CustomStringConvertible {
    /// As written on the command line: `2d`, `exp(2d)`, `history`, `recorded`.
    public var description: String {
        switch self {
        case .every(let d): return d.description
        case .exponential(let d): return "exp(\(d))"
        case .resampled: return "history"
        case .instants: return "recorded"
        }
    }
}

/// Several launches of the same plan sharing its owners.
public struct PortfolioOptions: Hashable, Sendable {
    /// How many instances; instance `i` (from 0) starts at kickoff + i · arrival.
    public var cases: Int
    /// When they start.
    public var arrivals: ArrivalModel

    public init(cases: Int, arrivals: ArrivalModel) {
        self.cases = cases
        self.arrivals = arrivals
    }

    public init(cases: Int, arrival: Duration) {
        self.init(cases: cases, arrivals: .every(arrival))
    }
}

/// Why a plan cannot be simulated. The checker reports most of these first with
/// friendlier wording; the simulator still refuses them rather than misbehave.
public enum SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidOption(String)
    case invalidReference(node: String, detail: String)
    case dependencyCycle([String])
    case invalidOwner(node: String, detail: String)
    case invalidCapacity(owner: String, capacity: Int)
    case invalidQuorum(node: String, quorum: Int, approvers: Int)
    case invalidDuration(node: String, detail: String)
    case invalidProbability(node: String, value: Double)
    case invalidReworkTarget(node: String, target: String)
    case invalidSLA(node: String)

    public var description: String {
        switch self {
        case .invalidOption(let s): return "invalid simulation option: \(s)"
        case .invalidReference(let n, let d), .invalidOwner(let n, let d), .invalidDuration(let n, let d):
            return "node \(n): \(d)"
        case .dependencyCycle(let ids): return "dependency cycle: \(ids.joined(separator: " -> "))"
        case .invalidCapacity(let o, let c): return "owner \(o): capacity \(c) must be at least 1"
        case .invalidQuorum(let n, let q, let a):
            return "gate \(n): quorum \(q) must be between 1 and its \(a) distinct approver(s)"
        case .invalidProbability(let n, let v): return "gate \(n): reject probability \(v) is not in 0…1"
        case .invalidReworkTarget(let n, let t): return "gate \(n): rework target \(t) is not upstream of it"
        case .invalidSLA(let n): return "node \(n): SLA must be a finite, non-negative duration"
        }
    }
}
