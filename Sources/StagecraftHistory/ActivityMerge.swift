extension EventLog {
    /// The log with the activities whose names have the same `key` made one, named by the
    /// spelling with the most events (then the first in code-point order), and the groups
    /// made one (old activity indices, that spelling first). Counts are summed; occurrences,
    /// ready hints and unfinished starts point at the merged activity. The log itself when no
    /// two names share a key.
    package func mergingActivities(by key: (String) -> String) -> (log: EventLog, groups: [[Int]]) {
        var groupOf: [String: Int] = [:]
        var groups: [[Int]] = []
        for (a, name) in activities.enumerated() {
            let k = key(name)
            if let g = groupOf[k] {
                groups[g].append(a)
            } else {
                groupOf[k] = groups.count
                groups.append([a])
            }
        }
        guard groups.count < activities.count else { return (self, []) }
        let count = { (a: Int) in a < self.activityEventCounts.count ? self.activityEventCounts[a] : 0 }
        var merged = self
        var newIndex = [Int](repeating: 0, count: activities.count)
        merged.activities = []
        merged.activityEventCounts = []
        var shared: [[Int]] = []
        for (g, members) in groups.enumerated() {
            let ranked = members.sorted {
                count($0) != count($1) ? count($0) > count($1) : activities[$0] < activities[$1]
            }
            merged.activities.append(activities[ranked[0]])
            merged.activityEventCounts.append(members.reduce(0) { $0 + count($1) })
            for a in members { newIndex[a] = g }
            if members.count > 1 { shared.append(ranked) }
        }
        for c in merged.cases.indices {
            for k in merged.cases[c].occurrences.indices {
                merged.cases[c].occurrences[k].activity = newIndex[merged.cases[c].occurrences[k].activity]
            }
            for k in merged.cases[c].readyHints.indices {
                merged.cases[c].readyHints[k].activity = newIndex[merged.cases[c].readyHints[k].activity]
            }
            for k in merged.cases[c].unfinished.indices {
                merged.cases[c].unfinished[k].activity = newIndex[merged.cases[c].unfinished[k].activity]
            }
        }
        return (merged, shared)
    }
}
