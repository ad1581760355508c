/// Drafts a starting `.flow` file from an event log (`stagecraft history draft`).
///
/// - One stage per frequent activity: activities with at least 1% of the events, at most the
///   30 most frequent; each stage `matches` its activity name exactly as written.
/// - Order: activities sorted by the median of their relative position in their cases
///   (index / (length − 1) among the frequent activities' occurrences).
/// - `after` edges: each activity follows the earlier activity (in that order) that most often
///   directly precedes it; none when no earlier activity ever does. Edges only point forward, so
///   the graph is acyclic; every node has at most one `after`, except the ending.
/// - The last activity in the order is the only ending: every other node without successors is
///   added to its `after` list (keeping that list free of redundant entries).
/// - Owners: each resource belongs to the frequent activity it performs most; an activity's
///   owner is the group of its most frequent resource's home activity, with one unit of capacity
///   per member. Without resources, one `team` owner (capacity: one per stage) does everything.
/// - SLAs: the observed p85 of the stage's sojourn when the draft is replayed against the same
///   log, rounded up to whole hours (up to a day) or days.
public enum HistoryDraft {
    /// Most stages a draft gets.
    public static let maxStages = 30
    /// The least share of the events an activity needs to become a stage.
    public static let minShare = 0.01

    /// The `.flow` text drafted from `log`; `name` (the log's file name) goes into the title.
    public static func draft(log: EventLog, name: String) -> String {
        let plan = Plan(log: log)
        let skeleton = plan.render(name: name, log: log, slas: [])
        // Replay the skeleton to measure sojourn times under the drafted edges.
        let checked = Checker.check(SourceFile(path: "draft.flow", text: skeleton))
        guard let model = checked.model else { return skeleton }
        let result = Replay.run(model: model, log: log)
        let slas = result.stages.map { s in s.sojourn.map { slaText(p85: $0.p85) } }
        return plan.render(name: name, log: log, slas: slas)
    }

    /// An SLA covering `p85` seconds: whole hours up to a day, else whole days; at least 1h.
    public static func slaText(p85: Double) -> String {
        guard p85.isFinite, p85 > 0 else { return "1h" }
        let hours = (p85 / 3600).rounded(.up)
        if hours <= 24 { return "\(Int(max(1, hours)))h" }
        let days = min((p85 / 86_400).rounded(.up), 1_000_000)
        return "\(Int(days))d"
    }

    /// A `.flow` identifier for a name: lower case ASCII letters, digits and `_`.
    public static func identifier(_ name: String, taken: inout Set<String>) -> String {
        var s = ""
        var lastUnderscore = true
        for scalar in name.unicodeScalars {
            let c = scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
            if (c >= "a" && c <= "z") || (c >= "0" && c <= "9") {
                s.unicodeScalars.append(c)
                lastUnderscore = false
            } else if !lastUnderscore {
                s += "_"
                lastUnderscore = true
            }
        }
        while s.hasSuffix("_") { s.removeLast() }
        if s.isEmpty { s = "activity" }
        if let f = s.unicodeScalars.first, f >= "0" && f <= "9" { s = "a_" + s }
        var candidate = s
        var k = 2
        while taken.contains(candidate) {
            candidate = "\(s)_\(k)"
            k += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// The structure of a draft before SLAs are known.
    struct Plan {
        /// Log activity index of each stage, in drafted order.
        var activities: [Int] = []
        var ids: [String] = []
        /// Stage → stages it comes after (indices into `activities`).
        var after: [[Int]] = []
        /// Owner groups: id, title, members; and each stage's owner (index into `owners`).
        var owners: [(id: String, title: String, members: [String])] = []
        var stageOwner: [Int] = []
        /// Activities left out, with their event counts.
        var leftOut: [(name: String, events: Int)] = []

        init(log: EventLog) {
            let counts = (0..<log.activities.count).map { $0 < log.activityEventCounts.count ? log.activityEventCounts[$0] : 0 }
            let total = counts.reduce(0, +)
            let byFrequency = (0..<log.activities.count).filter { counts[$0] > 0 }.sorted {
                counts[$0] != counts[$1] ? counts[$0] > counts[$1] : log.activities[$0] < log.activities[$1]
            }
            var chosen = byFrequency.filter { Double(counts[$0]) >= HistoryDraft.minShare * Double(total) }
            if chosen.count > HistoryDraft.maxStages { chosen = Array(chosen.prefix(HistoryDraft.maxStages)) }
            let chosenSet = Set(chosen)
            leftOut = byFrequency.filter { !chosenSet.contains($0) }.map { (log.activities[$0], counts[$0]) }

            // Relative positions and directly-follows counts among the chosen activities.
            var positions = [Int: [Double]]()
            var follows = [Int: [Int: Int]]()
            var sequence: [Int] = []
            for c in log.cases {
                sequence.removeAll(keepingCapacity: true)
                for o in c.occurrences where chosenSet.contains(o.activity) { sequence.append(o.activity) }
                let last = Double(max(1, sequence.count - 1))
                for (i, a) in sequence.enumerated() {
                    positions[a, default: []].append(sequence.count == 1 ? 0 : Double(i) / last)
                    if i > 0 && sequence[i - 1] != a { follows[a, default: [:]][sequence[i - 1], default: 0] += 1 }
                }
            }
            func median(_ a: Int) -> Double {
                let v = (positions[a] ?? []).sorted()
                guard !v.isEmpty else { return 1 }
                return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
            }
            let medians = Dictionary(uniqueKeysWithValues: chosen.map { ($0, median($0)) })
            let rankInFrequency = Dictionary(uniqueKeysWithValues: chosen.enumerated().map { ($1, $0) })
            activities = chosen.sorted {
                medians[$0]! != medians[$1]! ? medians[$0]! < medians[$1]! : rankInFrequency[$0]! < rankInFrequency[$1]!
            }
            var taken = Set<String>()
            ids = activities.map { HistoryDraft.identifier(log.activities[$0], taken: &taken) }

            // Edges: the most frequent earlier direct predecessor (ties: the later one in the order).
            let n = activities.count
            after = [[Int]](repeating: [], count: n)
            for k in 1..<max(1, n) {
                let incoming = follows[activities[k]] ?? [:]
                var best: Int? = nil
                var bestCount = 0
                for j in 0..<k {
                    let cnt = incoming[activities[j]] ?? 0
                    if cnt > 0 && cnt >= bestCount { best = j; bestCount = cnt }
                }
                if let b = best { after[k] = [b] }
            }
            if n > 1 {
                var hasSuccessor = [Bool](repeating: false, count: n)
                for k in 0..<n { for p in after[k] { hasSuccessor[p] = true } }
                var ending = after[n - 1]
                for k in 0..<(n - 1) where !hasSuccessor[k] && !ending.contains(k) { ending.append(k) }
                // Drop entries that precede another entry (the chain reaches the ending anyway).
                func precedes(_ a: Int, _ b: Int) -> Bool {
                    var stack = [b]
                    var seen = Set<Int>()
                    while let x = stack.popLast() {
                        for p in after[x] where seen.insert(p).inserted {
                            if p == a { return true }
                            stack.append(p)
                        }
                    }
                    return false
                }
                after[n - 1] = ending.filter { a in !ending.contains { b in b != a && precedes(a, b) } }.sorted()
            }

            // Owners from resources.
            var resourceActivity = [Int: [Int: Int]]()
            for c in log.cases {
                for o in c.occurrences where chosenSet.contains(o.activity) {
                    if let r = o.resource { resourceActivity[r, default: [:]][o.activity, default: 0] += 1 }
                }
            }
            if resourceActivity.isEmpty {
                owners = [("team", "Team", [])]
                stageOwner = [Int](repeating: 0, count: n)
                return
            }
            let order = Dictionary(uniqueKeysWithValues: activities.enumerated().map { ($1, $0) })
            // Home activity (stage index) of each resource: the one it does most, ties by order.
            var home = [Int: Int]()
            // Each stage's most frequent resource, ties by name.
            var topResource = [Int: (resource: Int, count: Int)]()
            for r in resourceActivity.keys.sorted() {
                let acts = resourceActivity[r]!
                var best = -1, bestCount = -1
                for (a, cnt) in acts {
                    let s = order[a]!
                    if cnt > bestCount || (cnt == bestCount && s < best) { best = s; bestCount = cnt }
                }
                home[r] = best
                for (a, cnt) in acts {
                    let s = order[a]!
                    if let t = topResource[s] {
                        if cnt > t.count || (cnt == t.count && log.resources[r] < log.resources[t.resource]) {
                            topResource[s] = (r, cnt)
                        }
                    } else {
                        topResource[s] = (r, cnt)
                    }
                }
            }
            // A stage's group is its top resource's home stage.
            var group = [Int](repeating: -1, count: n)
            for s in 0..<n { group[s] = topResource[s].flatMap { home[$0.resource] } ?? -1 }
            // Groups in use; stages without resources share a `team` owner.
            let used = Set(group.filter { $0 >= 0 }).sorted()
            var ownerOfGroup = [Int: Int]()
            for (k, g) in used.enumerated() {
                ownerOfGroup[g] = k
                owners.append((ids[g] + "_team", "Who mostly does " + log.activities[activities[g]], []))
            }
            var teamOwner: Int? = nil
            stageOwner = group.map { g in
                if g >= 0, let k = ownerOfGroup[g] { return k }
                if teamOwner == nil {
                    teamOwner = owners.count
                    owners.append(("team", "Team", []))
                }
                return teamOwner!
            }
            // Members: each resource joins the owner of its home stage.
            var members = [[String]](repeating: [], count: owners.count)
            for (r, h) in home { members[stageOwner[h]].append(log.resources[r]) }
            for k in 0..<owners.count { owners[k].members = members[k].sorted() }
        }

        /// The `.flow` text; `slas[i]` is stage i's SLA (missing entries: none).
        func render(name: String, log: EventLog, slas: [String?]) -> String {
            let base = name.split(separator: "/").last.map(String.init) ?? name
            var s = "# Drafted by `stagecraft history draft` from \(base): \(log.cases.count) cases, "
                + "\(log.eventCount) events.\n"
            s += "# Review the order, owners and SLAs (observed p85 of sojourn) before relying on it.\n"
            if !leftOut.isEmpty {
                let shown = leftOut.prefix(20).map { "\($0.name) (\($0.events))" }.joined(separator: ", ")
                s += "# Left out (rare activities): " + shown.replacingOccurrences(of: "\n", with: " ")
                    + (leftOut.count > 20 ? ", and \(leftOut.count - 20) more" : "") + "\n"
            }
            s += "workflow \(FlowFormatter.quoted("Drafted from " + base)) {\n"
            for o in owners {
                s += "  owner \(o.id) \(FlowFormatter.quoted(o.title)) {\n"
                // A group can work on one item per member at once; a `team` without named members is
                // not limited (one per stage), so parallel branches do not look overloaded.
                s += "    capacity \(o.members.isEmpty ? max(1, activities.count) : o.members.count)\n"
                if !o.members.isEmpty {
                    let chunks = stride(from: 0, to: o.members.count, by: 6).map {
                        o.members[$0..<min($0 + 6, o.members.count)].map(FlowFormatter.quoted).joined(separator: ", ")
                    }
                    s += "    members " + chunks.joined(separator: ",\n      ") + "\n"
                }
                s += "  }\n"
            }
            for (k, a) in activities.enumerated() {
                s += "\n  stage \(ids[k]) \(FlowFormatter.quoted(log.activities[a])) {\n"
                if !after[k].isEmpty { s += "    after " + after[k].map { ids[$0] }.joined(separator: ", ") + "\n" }
                s += "    owner \(owners[stageOwner[k]].id)\n"
                if k < slas.count, let sla = slas[k] { s += "    sla \(sla)\n" }
                s += "    matches \(FlowFormatter.quoted(log.activities[a]))\n"
                s += "  }\n"
            }
            s += "}\n"
            return s
        }
    }
}
