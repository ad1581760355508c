import StagecraftSyntax

/// What `stagecraft simulate` reports. Plain value types: the CLI formats them as text or
/// JSON, the report draws them.

/// Summary statistics of a sample, in seconds.
public struct LeadTimeSummary: Hashable, Sendable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 with fewer than two values.
    public var stdev: Double
    public var min: Double
    public var max: Double
    /// Percentiles by linear interpolation between closest ranks (NumPy's default);
    /// the median of an even count is the mean of the two middle values.
    public var p50: Double
    public var p85: Double
    public var p95: Double

    public static let empty = LeadTimeSummary(count: 0, mean: 0, stdev: 0, min: 0, max: 0, p50: 0, p85: 0, p95: 0)
}

extension LeadTimeSummary {
    /// Summarises values that are already sorted ascending.
    public init(sorted xs: [Double]) {
        guard !xs.isEmpty else {
            self = .empty
            return
        }
        let m = SimulationStatistics.mean(xs)
        self.init(count: xs.count, mean: m, stdev: SimulationStatistics.stdev(xs, mean: m),
                  min: xs[0], max: xs[xs.count - 1],
                  p50: SimulationStatistics.percentile(sorted: xs, 0.50),
                  p85: SimulationStatistics.percentile(sorted: xs, 0.85),
                  p95: SimulationStatistics.percentile(sorted: xs, 0.95))
    }
}

/// Per-node forecast.
public struct NodeForecast: Hashable, Sendable {
    public var id: String
    public var title: String
    /// Share of finished runs in which the node is on the critical path.
    public var criticality: Double
    /// Mean wait for owner capacity and working hours (start − end of hand-off wait) per
    /// execution, in finished runs, seconds.
    public var capacityDelayMean: Double
    /// Share of finished runs in which some execution took longer than the SLA (ready →
    /// done; business time for `bd` SLAs). 0 without an SLA.
    public var slaBreachProbability: Double
    /// Mean number of executions per finished run (above 1 with rework; 0 when skipped).
    public var executionsMean: Double
    /// Mean hand-off wait (`wait`: ready → request for the owner) per execution, seconds.
    public var waitingMean: Double = 0
    /// Mean processing time (start → done) per execution, seconds.
    public var processingMean: Double = 0
    /// Mean time per finished run that this node's hand-off waits and capacity waits add to
    /// the critical path, seconds: why it is critical when it is.
    public var criticalWaitingMean: Double = 0
}

/// Per-owner forecast.
public struct OwnerForecast: Hashable, Sendable {
    public var id: String
    public var capacity: Int
    /// Mean of start − request (capacity queueing and hours) over the items the owner
    /// served (a gate counts once per chosen approver), seconds.
    public var queueDelayMean: Double
    public var queueDelayP95: Double
    /// Busy time / (capacity × lead time), pooled over runs: total busy time over total
    /// capacity-time. A gate occupies each chosen approver for its whole review.
    public var utilisation: Double
    /// Items served per run, on average.
    public var itemsMean: Double
}

/// The forecast for one launch of a plan.
public struct SimulationResult: Hashable, Sendable {
    public var runs: Int
    public var seed: UInt64
    public var finishedRuns: Int
    /// Runs abandoned after too much rework (`CompiledPlan.maxRejections`): left out of every
    /// statistic below but the deadline probability, where they count as misses.
    public var unfinishedRuns: Int
    /// The kickoff instant used (the given start, or the default Monday 09:00).
    public var kickoff: Double
    public var startGiven: Bool
    /// Lead time (finish − kickoff) over finished runs, seconds.
    public var leadTime: LeadTimeSummary
    /// kickoff + lead-time percentile; only when a start was given.
    public var completionP50: Double?
    public var completionP85: Double?
    public var completionP95: Double?
    public var deadline: Duration?
    /// Share of all runs that finish within the deadline (business time for `bd`); nil
    /// without a deadline.
    public var deadlineProbability: Double?
    /// The mean lead time divided along the critical path: hand-off waiting, waiting for
    /// owner capacity or working hours, and processing (they sum to the mean lead time).
    public var leadTimeParts = LeadTimeParts()
    /// In declaration order.
    public var nodes: [NodeForecast]
    /// In declaration order.
    public var owners: [OwnerForecast]
    /// Lead times of the finished runs, ascending, seconds (for histograms).
    public var leadTimeSamples: [Double]
}

/// The forecast for several launches sharing the owners.
public struct PortfolioResult: Hashable, Sendable {
    public var runs: Int
    public var seed: UInt64
    public var cases: Int
    public var arrivals: ArrivalModel
    public var kickoff: Double
    public var startGiven: Bool
    /// Arrival instant of each case in run 0 (random arrivals differ between runs).
    public var caseArrivals: [Double]
    /// Case-runs that finished / were abandoned (over all runs).
    public var finishedCases: Int
    public var unfinishedCases: Int
    /// Per case (by arrival order): mean lead time over the runs in which it finished
    /// (0 if never), seconds.
    public var caseLeadTimeMean: [Double]
    /// Per case: in how many runs it finished.
    public var caseFinishedRuns: [Int]
    /// Lead time (finish − own arrival) pooled over all finished cases of all runs.
    public var leadTime: LeadTimeSummary
    /// From kickoff to the last finished case, over runs in which some case finished.
    public var makespan: LeadTimeSummary
    /// Queueing per owner; utilisation is busy time over capacity × makespan.
    public var owners: [OwnerForecast]
}

/// Where the time of a forecast lead time goes, each a mean over finished runs, seconds.
public struct LeadTimeParts: Hashable, Sendable {
    /// Hand-off waiting (`wait`) on the critical path.
    public var waiting: Double = 0
    /// Waiting for an owner's capacity or working hours on the critical path.
    public var queueing: Double = 0
    /// Processing on the critical path.
    public var processing: Double = 0
}

/// One row of a simulated event log.
public struct SimulatedEvent: Hashable, Sendable {
    public var caseID: String
    /// The node id.
    public var activity: String
    /// The owner id (a gate gives one row per chosen approver).
    public var resource: String
    public var start: Double
    public var end: Double
}

/// The simulated events of one run, in the order they started.
public struct SimulatedEventLog: Hashable, Sendable {
    public var rows: [SimulatedEvent]

    /// RFC 4180 CSV with a header row, times as ISO 8601 UTC (`formatInstant`), `\n` line ends.
    public var csv: String {
        var out = "case_id,activity,resource,start_time,end_time\n"
        for r in rows {
            out += Self.csvField(r.caseID) + "," + Self.csvField(r.activity) + "," + Self.csvField(r.resource) + ","
                + formatInstant(r.start) + "," + formatInstant(r.end) + "\n"
        }
        return out
    }

    /// Quotes an RFC 4180 field when it holds a comma, quote, or line break, doubling its
    /// quotes (every CSV the tool writes).
    public static func csvField(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return s }
        var out = "\""
        for ch in s {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }
}

/// Small, order-deterministic statistics.
public enum SimulationStatistics {
    /// Arithmetic mean (0 for no values), summed in order.
    public static func mean(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        var s = 0.0
        for x in xs { s += x }
        return s / Double(xs.count)
    }

    /// Sample standard deviation (n − 1), two-pass; 0 with fewer than two values.
    public static func stdev(_ xs: [Double], mean m: Double) -> Double {
        guard xs.count > 1 else { return 0 }
        var s = 0.0
        for x in xs {
            let d = x - m
            s += d * d
        }
        return (s / Double(xs.count - 1)).squareRoot()
    }

    /// Percentile `p` (0…1) of ascending values by linear interpolation between closest
    /// ranks (NumPy's default); exactly the mean of the two middle values for the median
    /// of an even count. 0 for no values.
    public static func percentile(sorted xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let q = p.isNaN ? 0.5 : Swift.min(Swift.max(p, 0), 1)
        return interpolate(count: xs.count, q) { xs[$0] }
    }

    /// The value `q` (0…1) of the way through `count` ascending values read by `at`,
    /// interpolated as `percentile(sorted:_:)` says.
    static func interpolate(count: Int, _ q: Double, _ at: (Int) -> Double) -> Double {
        let h = Double(count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, count - 1)
        let frac = h - Double(lo)
        if frac == 0 || lo == hi { return at(lo) }
        if frac == 0.5 { return at(lo) * 0.5 + at(hi) * 0.5 }
        return at(lo) + (at(hi) - at(lo)) * frac
    }
}
