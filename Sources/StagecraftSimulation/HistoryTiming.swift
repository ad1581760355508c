import StagecraftLanguage
import StagecraftHistory

extension HistoryCalibration {
    /// Measures how long each recorded occurrence waited from its ready instant (the
    /// definition is in docs/forecast.md) into `waitingTimes`, `reworkWaitingTimes` and
    /// `repeatWaitingTimes`, with `casesWithNode`, `caseStarts`, `leadTimes` and
    /// `lastInstant`; returns the processing times (working seconds inside `hours`). Only
    /// occurrences beginning at or after `since` are measured.
    mutating func measureTiming(log: EventLog, model: WorkflowModel, nodeOf: [Int?], hours: [WorkingHours?],
                                since: Double) -> [[Double]] {
        let n = model.nodes.count
        let ancestors = HistoryCalibration.ancestors(model)
        var calendar = model.calendar
        waitingTimes = [[Double]](repeating: [], count: n)
        reworkWaitingTimes = [[Double]](repeating: [], count: n)
        repeatWaitingTimes = [[[Double]]](repeating: [[Double]](repeating: [], count: HistoryCalibration.repeatPositions),
                                          count: n)
        var processing = [[Double]](repeating: [], count: n)
        casesWithNode = [Int](repeating: 0, count: n)
        var starts: [Double] = []
        starts.reserveCapacity(log.cases.count)
        leadTimes = []
        leadTimes.reserveCapacity(log.cases.count)
        var seen = [Bool](repeating: false, count: n)
        var touched: [Int] = []
        lastInstant = -.infinity
        for c in log.cases {
            guard let first = c.occurrences.map({ $0.start ?? $0.end }).min(),
                  let last = c.occurrences.map(\.end).max() else { continue }
            starts.append(first)
            leadTimes.append(max(0, last - first))
            lastInstant = max(lastInstant, last)
            // Occurrences in order of start (or completion), then completion.
            let order = c.occurrences.indices.sorted { a, b in
                let x = c.occurrences[a], y = c.occurrences[b]
                let sx = x.start ?? x.end, sy = y.start ?? y.end
                return sx != sy ? sx < sy : x.end < y.end
            }
            var completions: [(node: Int, end: Double)] = []
            var previous: HistoryCalibration.Execution?
            // The run position of `previous` (0: the first of its run).
            var position = 0
            for k in order {
                let o = c.occurrences[k]
                guard o.activity >= 0, o.activity < nodeOf.count, let v = nodeOf[o.activity] else { continue }
                let begin = o.start ?? o.end
                let execution = HistoryCalibration.Execution(node: v, begin: begin, end: o.end)
                let direct = previous?.isPickedUpAgain(by: execution) ?? false
                let pausedAt = min(position, HistoryCalibration.repeatPositions - 1)
                // Two occurrences of one execution (a review with two approvers) are one.
                if previous != execution { position = direct ? position + 1 : 0 }
                previous = execution
                var ready = first
                if seen[v] {
                    for done in completions where done.end <= begin && done.end > ready { ready = done.end }
                } else {
                    for done in completions where done.end <= begin && done.end > ready && ancestors[v][done.node] {
                        ready = done.end
                    }
                }
                let h = v < hours.count ? hours[v] : nil
                func span(_ a: Double, _ b: Double) -> Double {
                    guard b > a else { return 0 }
                    guard let h else { return b - a }
                    return h.workingSeconds(from: a, to: b, days: &calendar)
                }
                let measured = begin >= since
                let wait = span(ready, begin)
                if measured, wait.isFinite, wait <= CompiledPlan.maxSeconds {
                    waitingTimes[v].append(wait)
                    if seen[v] { reworkWaitingTimes[v].append(wait) }
                    if direct { repeatWaitingTimes[v][pausedAt].append(wait) }
                }
                if measured, let s = o.start {
                    let d = span(s, o.end)
                    if d.isFinite, d <= CompiledPlan.maxSeconds { processing[v].append(d) }
                }
                if !seen[v] {
                    seen[v] = true
                    touched.append(v)
                    casesWithNode[v] += 1
                }
                completions.append((v, o.end))
            }
            for v in touched {
                seen[v] = false
            }
            touched.removeAll(keepingCapacity: true)
        }
        caseStarts = starts.sorted()
        if !lastInstant.isFinite { lastInstant = 0 }
        return processing
    }

    /// `result[v][u]`: node `u` precedes node `v` through `after` edges.
    private static func ancestors(_ model: WorkflowModel) -> [[Bool]] {
        let n = model.nodes.count
        var out = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        for v in 0..<n {
            var stack = Array(model.graph.predecessors[v])
            while let u = stack.popLast() {
                if u == v || out[v][u] { continue }
                out[v][u] = true
                stack += model.graph.predecessors[u]
            }
        }
        return out
    }
}
