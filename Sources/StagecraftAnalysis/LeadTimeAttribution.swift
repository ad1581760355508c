import StagecraftHistory

/// Divides one case's lead time among the nodes without counting any stretch twice, for the
/// bottleneck shares of `replay`, as docs/discovery.md ("Bottleneck shares") describes.
struct LeadTimeAttribution {
    private var times: [Double] = []
    private var active: [Int32] = []
    private var startsAt: [Int32] = []

    /// Adds each node's part of the case's lead time to `share[node]`.
    mutating func attribute(_ occurrences: [Occurrence], node: (Occurrence) -> Int?, into share: inout [Double]) {
        guard occurrences.count > 0 else { return }
        times.removeAll(keepingCapacity: true)
        for o in occurrences {
            times.append(o.start ?? o.end)
            times.append(o.end)
        }
        times.sort()
        var m = 0
        for t in times where m == 0 || times[m - 1] != t {
            times[m] = t
            m += 1
        }
        times.removeLast(times.count - m)
        guard m > 1 else { return }
        active.removeAll(keepingCapacity: true)
        active.append(contentsOf: repeatElement(0, count: m))
        startsAt.removeAll(keepingCapacity: true)
        startsAt.append(contentsOf: repeatElement(0, count: m))
        // Difference array of the occurrences in progress per piece [times[k], times[k + 1]).
        for o in occurrences {
            let s = index(o.start ?? o.end)
            let e = index(o.end)
            startsAt[s] += 1
            if e > s {
                active[s] += 1
                active[e] -= 1
            }
        }
        for k in 1..<m { active[k] += active[k - 1] }
        for o in occurrences {
            guard let v = node(o) else { continue }
            let s = index(o.start ?? o.end)
            let e = index(o.end)
            var part = 0.0
            // Pieces in progress, shared with whatever else is in progress.
            for k in s..<e { part += (times[k + 1] - times[k]) / Double(active[k]) }
            // The idle piece just before it starts, shared with the others starting then.
            if s > 0 && active[s - 1] == 0 { part += (times[s] - times[s - 1]) / Double(startsAt[s]) }
            share[v] += part
        }
    }

    /// The index of `t` in `times` (present by construction).
    private func index(_ t: Double) -> Int {
        var lo = 0, hi = times.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
