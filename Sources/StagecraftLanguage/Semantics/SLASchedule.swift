/// The schedule in which every node starts as soon as its `after` nodes are done and
/// takes exactly its SLA, ignoring owner capacity; times in business days from kickoff.
///
/// `check` uses it for `deadline-unreachable` (the longest path) and `owner-overloaded`
/// (concurrent nodes per owner). Nodes whose `when` is false for the params' default
/// values are skipped and take no time; nodes without an SLA take none either.
public struct SLASchedule: Sendable {
    public let start: [Double]
    public let end: [Double]
    /// The predecessor that determined each node's start (nil at kickoff).
    public let driver: [Int?]
    public let skipped: [Bool]

    /// Nil when the graph has a cycle.
    public init?(model: WorkflowModel, values: [String: Value]? = nil) {
        guard let order = model.graph.topologicalOrder else { return nil }
        let n = model.nodes.count
        let skipped = model.skipped(values: values ?? model.paramValues())
        var start = [Double](repeating: 0, count: n)
        var end = [Double](repeating: 0, count: n)
        var driver = [Int?](repeating: nil, count: n)
        for i in order {
            var s = 0.0
            model.graph.predecessors.forEach(of: i) { p in
                guard driver[i] == nil || end[p] > s else { return }
                s = end[p]
                driver[i] = p
            }
            start[i] = s
            let length = skipped[i] ? 0 : (model.summaries[i].sla.map { max(0, model.businessDays($0.value)) } ?? 0)
            end[i] = s + length
        }
        self.start = start
        self.end = end
        self.driver = driver
        self.skipped = skipped
    }

    /// The total length: the latest end.
    public var length: Double { end.max() ?? 0 }

    /// The longest path, kickoff to the last-ending node, as node indices.
    public var criticalPath: [Int] {
        guard let last = end.indices.max(by: { end[$0] < end[$1] || (end[$0] == end[$1] && $0 > $1) }) else { return [] }
        var path = [last]
        var cur = last
        var guardCount = 0
        while let d = driver[cur], guardCount <= end.count {
            path.append(d)
            cur = d
            guardCount += 1
        }
        return path.reversed().filter { !skipped[$0] }
    }
}
