import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory

/// Thresholds of `stagecraft history draft` (the flags of the same names).
public struct DraftOptions: Sendable, Hashable {
    /// The least share of cases an activity must occur in to become a node, and an `after`
    /// edge must be seen in (both nodes present, in that order) to be drafted.
    public var minCaseShare: Double = 0.01
    /// The most an `after` edge may be broken: the share of the cases holding both nodes in
    /// which the later one starts before the earlier one completes.
    public var maxDisorder: Double = 0.05
    /// The quantile of each node's sojourn in the log that becomes its SLA.
    public var slaPercentile: Double = 0.85
    /// Most nodes a draft gets (the activities in most cases are kept).
    public var maxNodes: Int = 40

    /// The defaults.
    public init() {}
}

/// Drafts a starting `.flow` file from an event log (`stagecraft history draft`) with the
/// precedence miner that docs/discovery.md describes: nodes from frequent activities, `after`
/// edges that the log rarely breaks, choices and `chance` for optional nodes, rework gates for
/// repeats, owners from resources, and figures from replaying the draft against the log.
public enum HistoryDraft {
    /// The `.flow` text drafted from `log`; `name` (the log's file name) goes into the title.
    public static func draft(log: EventLog, name: String, options: DraftOptions = DraftOptions()) -> String {
        let (log, merged) = mergingSpellings(log)
        var plan = Plan(log: log, options: options)
        var render = Rendering(plan: plan, log: log, name: name, options: options)
        render.merged = merged
        // Replay the skeleton to measure waiting, processing and sojourn under the drafted edges.
        // Conformance does not depend on the figures measured, only on the structure.
        if let model = Checker.check(SourceFile(path: "draft.flow", text: render.text())).model {
            let r = Replay.runKeepingSamples(model: model, log: log)
            render.measure(r)
            render.conformance = (r.conformingCases, r.caseCount)
        }
        // Capacity: raised where the SLA schedule itself needs more than the log's peak.
        var checked = Checker.check(SourceFile(path: "draft.flow", text: render.text()))
        var raised = false
        for d in checked.diagnostics where d.rule == "owner-overloaded" {
            if let (owner, need) = overload(d.message), let k = plan.owners.firstIndex(where: { $0.id == owner }) {
                plan.owners[k].capacity = max(plan.owners[k].capacity, need)
                raised = true
            }
        }
        if raised {
            render.plan = plan
            checked = Checker.check(SourceFile(path: "draft.flow", text: render.text()))
        }
        // Rules the log itself breaks are suppressed where they fire, with the reason.
        render.suppressions = checked.diagnostics.filter { $0.severity == .warning }.compactMap { d -> (line: Int, rule: String, reason: String)? in
            guard let reason = logReason[d.rule] else { return nil }
            return (line: checked.source.location(of: d.range.start).line, rule: d.rule, reason: reason)
        }
        let text = render.text()
        return FlowFormatter.format(SourceFile(path: "draft.flow", text: text)).formatted ?? text
    }

    /// The log with the activities whose names differ only in case, spaces, `_` and `-` made
    /// one, as the matcher sees them (else the draft gets a node per spelling, and replay counts
    /// every spelling as the first node's); each keeps its most frequent spelling. Also one
    /// line per merge, for the draft's header.
    static func mergingSpellings(_ log: EventLog) -> (EventLog, [String]) {
        func oneLine(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }
        let (merged, groups) = log.mergingActivities(by: ActivityMatcher.normalize)
        let count = { (a: Int) in a < log.activityEventCounts.count ? log.activityEventCounts[a] : 0 }
        let notes = groups.map { ranked in
            let shown = ranked.prefix(6).map { "'\(oneLine(log.activities[$0]))' (\(count($0)) event\(count($0) == 1 ? "" : "s"))" }
            return "'\(oneLine(log.activities[ranked[0]]))' is one activity spelled \(ranked.count) ways (names compare "
                + "ignoring case, spaces, _ and -): " + shown.joined(separator: ", ")
                + (ranked.count > 6 ? ", and \(ranked.count - 6) more." : ".")
        }
        return (merged, notes)
    }

    /// Warnings that only repeat what the log shows, with the reason written after the suppression.
    static let logReason = [
        "multiple-endings": "the log's cases end in different ways",
        "self-approval": "in the log the same people do this work and approve it",
    ]

    /// The owner and the count of an `owner-overloaded` message.
    static func overload(_ message: String) -> (String, Int)? {
        let parts = message.components(separatedBy: "'")
        guard parts.count > 2 else { return nil }
        let rest = parts[2].split(separator: " ")
        guard rest.count > 1, rest[0] == "has", let n = Int(rest[1]) else { return nil }
        return (parts[1], n)
    }

    /// An SLA covering `seconds`: whole hours up to a day, else whole days (at most 10,000); at least 1h.
    public static func slaText(p85 seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "1h" }
        let hours = (seconds / 3600).rounded(.up)
        if hours <= 24 { return "\(Int(max(1, hours)))h" }
        let days = min((seconds / 86_400).rounded(.up), 10_000)
        return "\(Int(days))d"
    }

    /// A duration near `seconds`: minutes under an hour, hours under a day, else days (at most
    /// 10,000); never below 1m. Rounding to the nearest unit keeps the order of values.
    public static func durationText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "1m" }
        let minutes = (seconds / 60).rounded()
        if minutes < 60 { return "\(Int(max(1, minutes)))m" }
        let hours = (seconds / 3600).rounded()
        if hours < 24 { return "\(Int(hours))h" }
        return "\(Int(min((seconds / 86_400).rounded(), 10_000)))d"
    }

    /// Seconds of a text made by `durationText` or `slaText`.
    static func seconds(of text: String) -> Double {
        let n = Double(text.dropLast()) ?? 0
        switch text.last {
        case "m": return n * 60
        case "h": return n * 3600
        default: return n * 86_400
        }
    }

    /// `OPT LIKELY PESS` from three quantiles (p10, median, p90), or one duration when they round
    /// alike; the pessimistic end is kept at or below `cap` seconds when given.
    static func threePoint(_ sorted: [Double], cap: Double? = nil, single: Bool = true) -> String? {
        guard let top = sorted.last, top > 0 else { return nil }
        var values = [0.1, 0.5, 0.9].map { durationText(DurationStats.quantile(sorted: sorted, $0)) }
        if let cap {
            let capText = durationText(cap)
            values = values.map { seconds(of: $0) > seconds(of: capText) ? capText : $0 }
            // `durationText` may round the cap itself above it: step down a unit.
            if seconds(of: capText) > cap { values = values.map { seconds(of: $0) > cap ? durationText(max(60, cap - 1800)) : $0 } }
        }
        if values[0] == values[2] { return single ? values[0] : values[0] + ".." + values[0] }
        return values.joined(separator: " ")
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

    /// Whole percentages of `counts` over `total` that sum to 100 (largest remainder), each at least 1.
    static func percentages(_ counts: [Int], total: Int) -> [Int] {
        guard total > 0, !counts.isEmpty else { return counts.map { _ in 0 } }
        let exact = counts.map { Double($0) * 100 / Double(total) }
        var p = exact.map { max(1, Int($0.rounded(.down))) }
        var order = Array(counts.indices).sorted { exact[$0] - exact[$0].rounded(.down) > exact[$1] - exact[$1].rounded(.down) }
        var k = 0
        while p.reduce(0, +) < 100 {
            p[order[k % order.count]] += 1
            k += 1
        }
        order = Array(counts.indices).sorted { p[$0] > p[$1] }
        k = 0
        while p.reduce(0, +) > 100 {
            let i = order[k % order.count]
            if p[i] > 1 { p[i] -= 1 }
            k += 1
        }
        return p
    }

    /// The drafted structure: nodes, edges, choices, rework and owners.
    struct Plan {
        struct Owner {
            var id: String
            var title: String
            var members: [String]
            var capacity: Int
        }
        struct Param {
            var name: String
            /// Values with their whole percentages, most frequent first (the default).
            var values: [(value: String, percent: Int)]
            /// A bool param (values `true`/`false`) rather than a string one.
            var isBool = false
        }

        var cases = 0
        /// Log activity of each node, in drafted (topological) order.
        var activities: [Int] = []
        var ids: [String] = []
        /// Node → nodes it comes after (indices into `activities`).
        var after: [[Int]] = []
        /// Cases in which each node occurs.
        var caseCounts: [Int] = []
        /// `chance` share of optional nodes outside a choice.
        var chance: [Double?] = []
        /// The choice a node is a branch of: index into `params` and its value.
        var branch: [(param: Int, value: String)?] = []
        var params: [Param] = []
        /// `on reject` target of nodes drafted as gates, and their reject share.
        var reworkTarget: [Int?] = []
        var rejectShare: [Double] = []
        /// Comments written before a node's statements.
        var notes: [[String]] = []
        var owners: [Owner] = []
        /// Owner of each node (stage owner; a gate's first approver).
        var nodeOwner: [Int] = []
        /// A gate's approvers (owners whose members performed it), beyond `nodeOwner`.
        var approvers: [[Int]] = []
        /// Activities left out, with the cases they occur in.
        var leftOut: [(name: String, cases: Int)] = []

        init(log: EventLog, options: DraftOptions) {
            cases = log.cases.count
            let activityCount = log.activities.count
            // Cases per activity (occurrences are completions; lifecycle pairs are one occurrence).
            var inCases = [Int](repeating: 0, count: activityCount)
            var mark = [Int](repeating: -1, count: activityCount)
            for (ci, c) in log.cases.enumerated() {
                for o in c.occurrences where mark[o.activity] != ci {
                    mark[o.activity] = ci
                    inCases[o.activity] += 1
                }
            }
            let minCases = max(1, Int((options.minCaseShare * Double(cases)).rounded(.up)))
            let byCases = (0..<activityCount).filter { inCases[$0] > 0 }.sorted {
                inCases[$0] != inCases[$1] ? inCases[$0] > inCases[$1] : log.activities[$0] < log.activities[$1]
            }
            var chosen = byCases.filter { inCases[$0] >= minCases }
            if chosen.count > options.maxNodes { chosen = Array(chosen.prefix(options.maxNodes)) }
            let chosenSet = Set(chosen)
            leftOut = byCases.filter { !chosenSet.contains($0) }.map { (log.activities[$0], inCases[$0]) }
            let n = chosen.count
            var slot = [Int](repeating: -1, count: activityCount)
            for (k, a) in chosen.enumerated() { slot[a] = k }

            // Pair statistics over cases.
            var both = [Int](repeating: 0, count: n * n)
            var before = [Int](repeating: 0, count: n * n)
            var between = [Int](repeating: 0, count: n * n)
            var repeatCases = [Int](repeating: 0, count: n)
            var immediateRepeats = [Int](repeating: 0, count: n)
            var positionSum = [Double](repeating: 0, count: n)
            var occurrences = [Int](repeating: 0, count: n)
            var followedByRepeat = [Int](repeating: 0, count: n * n)
            var firstStart = [Double](repeating: 0, count: n)
            var firstEnd = [Double](repeating: 0, count: n)
            var count = [Int](repeating: 0, count: n)
            var positioned = [Bool](repeating: false, count: n)
            var present: [Int] = []
            var seq: [Int] = []
            for c in log.cases {
                present.removeAll(keepingCapacity: true)
                seq.removeAll(keepingCapacity: true)
                for o in c.occurrences {
                    let k = slot[o.activity]
                    guard k >= 0 else { continue }
                    seq.append(k)
                    if count[k] == 0 {
                        present.append(k)
                        firstStart[k] = o.start ?? o.end
                        firstEnd[k] = o.end
                    }
                    count[k] += 1
                }
                let last = Double(max(1, seq.count - 1))
                for (i, k) in seq.enumerated() {
                    occurrences[k] += 1
                    if !positioned[k] {
                        positioned[k] = true
                        positionSum[k] += Double(i) / last
                    }
                }
                for a in present {
                    for b in present where a != b {
                        both[a * n + b] += 1
                        if firstEnd[a] <= firstStart[b] { before[a * n + b] += 1 }
                    }
                    if count[a] > 1 { repeatCases[a] += 1 }
                }
                // Rework: what runs between an activity's repeats, and who precedes a repeat.
                for (i, k) in seq.enumerated() where count[k] > 1 {
                    guard let j = seq[(i + 1)...].firstIndex(of: k) else { continue }
                    if j == i + 1 { immediateRepeats[k] += 1 }
                    var seen = Set<Int>()
                    for x in seq[(i + 1)..<j] where x != k && seen.insert(x).inserted {
                        between[k * n + x] += 1
                        followedByRepeat[x * n + k] += 1
                    }
                }
                for k in present {
                    count[k] = 0
                    positioned[k] = false
                }
            }
            let caseOf = chosen.map { inCases[$0] }

            // Edges, strongest first, without cycles; then the transitive reduction.
            let minEdge = minCases
            var candidates: [(Int, Int)] = []
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let co = both[a * n + b], ok = before[a * n + b]
                    if ok >= minEdge && Double(co - ok) <= options.maxDisorder * Double(co) { candidates.append((a, b)) }
                }
            }
            candidates.sort {
                let x = before[$0.0 * n + $0.1], y = before[$1.0 * n + $1.1]
                return x != y ? x > y : ($0.0, $0.1) < ($1.0, $1.1)
            }
            var succ = [Set<Int>](repeating: [], count: n)
            func reaches(_ from: Int, _ to: Int, skipping edge: (Int, Int)? = nil) -> Bool {
                var stack = [from]
                var seen = Set([from])
                while let x = stack.popLast() {
                    for y in succ[x] {
                        if let e = edge, e.0 == x, e.1 == y { continue }
                        if y == to { return true }
                        if seen.insert(y).inserted { stack.append(y) }
                    }
                }
                return false
            }
            for (a, b) in candidates where !reaches(b, a) { succ[a].insert(b) }
            for a in 0..<n {
                for b in succ[a].sorted() where reaches(a, b, skipping: (a, b)) { succ[a].remove(b) }
            }
            var pred = [[Int]](repeating: [], count: n)
            for a in 0..<n { for b in succ[a] { pred[b].append(a) } }

            // Drafted order: topological, ties by mean relative position of the first occurrence.
            let meanPosition = (0..<n).map { caseOf[$0] > 0 ? positionSum[$0] / Double(caseOf[$0]) : 1 }
            var indegree = pred.map(\.count)
            var order: [Int] = []
            var ready = (0..<n).filter { indegree[$0] == 0 }
            while !ready.isEmpty {
                ready.sort { meanPosition[$0] != meanPosition[$1] ? meanPosition[$0] < meanPosition[$1] : caseOf[$0] > caseOf[$1] }
                let x = ready.removeFirst()
                order.append(x)
                for y in succ[x] {
                    indegree[y] -= 1
                    if indegree[y] == 0 { ready.append(y) }
                }
            }
            var position = [Int](repeating: 0, count: n)
            for (i, k) in order.enumerated() { position[k] = i }
            activities = order.map { chosen[$0] }
            var taken = Set<String>()
            ids = activities.map { HistoryDraft.identifier(log.activities[$0], taken: &taken) }
            after = order.map { k in pred[k].map { position[$0] }.sorted() }
            caseCounts = order.map { caseOf[$0] }
            notes = [[String]](repeating: [], count: n)

            // Reachability in drafted indices, for choices and rework.
            var reach = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
            for i in (0..<n).reversed() {
                for j in 0..<n where after[j].contains(i) {
                    reach[i][j] = true
                    for k in 0..<n where reach[j][k] { reach[i][k] = true }
                }
            }

            // Optional nodes and exclusive choices (same `after` list, never together in a case).
            chance = [Double?](repeating: nil, count: n)
            branch = [(param: Int, value: String)?](repeating: nil, count: n)
            let optional = (0..<n).filter { Double(caseCounts[$0]) < 0.995 * Double(cases) }
            func moreCases(_ i: Int, _ j: Int) -> Bool { caseCounts[i] != caseCounts[j] ? caseCounts[i] > caseCounts[j] : i < j }
            func exclusive(_ i: Int, _ j: Int) -> Bool {
                let co = both[order[i] * n + order[j]]
                return Double(co) <= options.maxDisorder * Double(min(caseCounts[i], caseCounts[j])) && co * 100 < cases
            }
            let groups = Plan.greedyGroups(optional.sorted(by: moreCases), pool: optional) { after[$0] == after[$1] && exclusive($0, $1) }
            var paramNames = Set<String>()
            for group in groups.sorted(by: { $0.min()! < $1.min()! }) {
                let anchor = after[group[0]].last.map { "route_after_" + ids[$0] } ?? "route_at_start"
                let name = HistoryDraft.identifier(anchor, taken: &paramNames)
                let members = group.sorted(by: moreCases)
                var counts = members.map { caseCounts[$0] }
                var values = members.map { ids[$0] }
                let covered = counts.reduce(0, +)
                if covered < cases {
                    counts.append(cases - covered)
                    values.append("none")
                }
                let shares = HistoryDraft.percentages(counts, total: max(cases, covered))
                var pairs = zip(values, shares).map { (value: $0, percent: $1) }
                pairs.sort { $0.percent != $1.percent ? $0.percent > $1.percent : $0.value < $1.value }
                for v in members { branch[v] = (params.count, ids[v]) }
                params.append(Param(name: name, values: pairs))
            }
            // Optional nodes that run in (nearly) the same cases share one decision, a bool param,
            // so that a forecast runs them together rather than each on its own chance.
            func together(_ i: Int, _ j: Int) -> Bool {
                Double(both[order[i] * n + order[j]]) >= (1 - options.maxDisorder) * Double(max(caseCounts[i], caseCounts[j]))
            }
            let loose = optional.filter { branch[$0] == nil }.sorted(by: moreCases)
            for cluster in Plan.greedyGroups(loose, pool: loose, fit: together) {
                let i = cluster[0]
                let name = HistoryDraft.identifier("runs_" + ids[cluster.min()!], taken: &paramNames)
                let shares = HistoryDraft.percentages([caseCounts[i], cases - caseCounts[i]], total: cases)
                var pairs = [(value: "true", percent: shares[0]), (value: "false", percent: shares[1])]
                if shares[1] > shares[0] { pairs.reverse() }
                for v in cluster { branch[v] = (params.count, "true") }
                params.append(Param(name: name, values: pairs, isBool: true))
            }
            for i in optional where branch[i] == nil { chance[i] = Double(caseCounts[i]) / Double(max(1, cases)) }

            // Rework routes: a gate between a repeated node and what runs between its repeats.
            reworkTarget = [Int?](repeating: nil, count: n)
            rejectShare = [Double](repeating: 0, count: n)
            var onRoute = [Bool](repeating: false, count: n)
            func markRoutes() {
                onRoute = [Bool](repeating: false, count: n)
                for g in 0..<n {
                    guard let t = reworkTarget[g] else { continue }
                    for x in 0..<n where x == t || x == g || (reach[t][x] && reach[x][g]) { onRoute[x] = true }
                }
            }
            let repeated = (0..<n).filter { repeatCases[order[$0]] > 0 }
                .sorted { repeatCases[order[$0]] != repeatCases[order[$1]] ? repeatCases[order[$0]] > repeatCases[order[$1]] : $0 < $1 }
            for a in repeated where !onRoute[a] {
                let k = order[a]
                var best: (gate: Int, target: Int, count: Int)? = nil
                for x in 0..<n where x != a {
                    let cnt = between[k * n + order[x]]
                    guard cnt > 0, best.map({ cnt > $0.count }) ?? true else { continue }
                    if reach[a][x] { best = (x, a, cnt) } else if reach[x][a] { best = (a, x, cnt) }
                }
                /// Makes `g` a gate sending rework to `t` unless a route from further upstream is there.
                func install(gate g: Int, target t: Int, reject: Double) -> Bool {
                    if let old = reworkTarget[g], old != t, !reach[t][old] { return false }
                    reworkTarget[g] = t
                    rejectShare[g] = reject
                    markRoutes()
                    return true
                }
                if let (g, t, _) = best {
                    let reject = Double(followedByRepeat[order[g] * n + order[t]]) / Double(max(1, occurrences[order[g]]))
                    if install(gate: g, target: t, reject: reject) { continue }
                }
                // Back-to-back repeats (work resumed in several sessions): the language has no
                // self-loop, so the route runs from it to the next node (or from the one before).
                let extra = Double(occurrences[k] - caseOf[k]) / Double(max(1, occurrences[k]))
                let share = HistoryDraft.percentText(immediateRepeats[k], of: cases)
                let downstream = (0..<n).filter { after[$0].contains(a) }.sorted(by: moreCases)
                    .map { (gate: $0, target: a, why: "\(ids[$0]) sends it back") }
                let upstream = after[a].sorted(by: moreCases).map { (gate: a, target: $0, why: "the route starts at \(ids[$0])") }
                // Repeats with other work between them whose route does not fit keep the comment below.
                var done = immediateRepeats[k] == 0
                for route in downstream + upstream where !done {
                    done = install(gate: route.gate, target: route.target, reject: extra)
                    if done {
                        notes[a].append("\(log.activities[activities[a]]) repeats back to back in \(share) of cases; a gate cannot send work back to itself, so \(route.why).")
                    }
                }
            }
            for a in repeated where !onRoute[a] && notes[a].isEmpty {
                let share = HistoryDraft.percentText(repeatCases[order[a]], of: cases)
                notes[a].append("\(log.activities[activities[a]]) repeats in \(share) of cases, but no rework route through it fits the drafted order: replay counts these cases as rework outside a route.")
            }

            assignOwners(log: log, chosenSlot: slot, position: position)
        }

        /// Groups of two or more: each free item of `seeds` in turn gathers the free items of `pool`
        /// that `fit` every member so far.
        static func greedyGroups(_ seeds: [Int], pool: [Int], fit: (Int, Int) -> Bool) -> [[Int]] {
            var taken = Set<Int>()
            var groups: [[Int]] = []
            for i in seeds where !taken.contains(i) {
                var group = [i]
                for j in pool where j != i && !taken.contains(j) && group.allSatisfy({ fit($0, j) }) {
                    group.append(j)
                }
                guard group.count > 1 else { continue }
                taken.formUnion(group)
                groups.append(group)
            }
            return groups
        }

        /// Owners from resources: each resource joins the node it performs most; a node's owner is
        /// the group of its most frequent resource; capacity is the group's peak concurrency.
        mutating func assignOwners(log: EventLog, chosenSlot slot: [Int], position: [Int]) {
            let n = activities.count
            func node(_ a: Int) -> Int? { slot[a] >= 0 ? position[slot[a]] : nil }
            var work = [Int: [Int: Int]]()
            for c in log.cases {
                for o in c.occurrences {
                    if let v = node(o.activity), let r = o.resource { work[r, default: [:]][v, default: 0] += 1 }
                }
            }
            nodeOwner = [Int](repeating: 0, count: n)
            approvers = [[Int]](repeating: [], count: n)
            if work.isEmpty {
                owners = [Owner(id: "team", title: "Team", members: [], capacity: 1)]
                owners[0].capacity = peak(log: log, groups: 1) { o in node(o.activity) == nil ? nil : 0 }[0]
                return
            }
            var home = [Int: Int]()
            var top = [Int: (resource: Int, count: Int)]()
            for r in work.keys.sorted() {
                let acts = work[r]!
                var best = -1, bestCount = -1
                for (v, cnt) in acts where cnt > bestCount || (cnt == bestCount && v < best) {
                    best = v
                    bestCount = cnt
                }
                home[r] = best
                for (v, cnt) in acts {
                    if let t = top[v], !(cnt > t.count || (cnt == t.count && log.resources[r] < log.resources[t.resource])) { continue }
                    top[v] = (r, cnt)
                }
            }
            let group = (0..<n).map { v in top[v].flatMap { home[$0.resource] } ?? -1 }
            var ownerOfGroup = [Int: Int]()
            for g in Set(group.filter { $0 >= 0 }).sorted() {
                ownerOfGroup[g] = owners.count
                owners.append(Owner(id: ids[g] + "_team", title: "Who mostly does " + log.activities[activities[g]],
                                    members: [], capacity: 1))
            }
            var team: Int? = nil
            for v in 0..<n {
                if group[v] >= 0, let k = ownerOfGroup[group[v]] {
                    nodeOwner[v] = k
                } else {
                    if team == nil {
                        team = owners.count
                        owners.append(Owner(id: "team", title: "Team", members: [], capacity: 1))
                    }
                    nodeOwner[v] = team!
                }
            }
            var ownerOfResource = [Int: Int]()
            for (r, h) in home {
                ownerOfResource[r] = nodeOwner[h]
                owners[nodeOwner[h]].members.append(log.resources[r])
            }
            for k in owners.indices { owners[k].members.sort() }
            for v in 0..<n where reworkTarget[v] != nil {
                let others = Set((work.filter { $0.value[v] != nil }.keys).compactMap { ownerOfResource[$0] })
                approvers[v] = others.subtracting([nodeOwner[v]]).sorted()
            }
            let peaks = peak(log: log, groups: owners.count) { o in
                guard let v = node(o.activity) else { return nil }
                if let r = o.resource, let w = ownerOfResource[r] { return w }
                return nodeOwner[v]
            }
            for k in owners.indices { owners[k].capacity = peaks[k] }
        }

        /// Per group, the most occurrences in progress at once among those `group` assigns to it;
        /// at least 1.
        func peak(log: EventLog, groups: Int, group: (Occurrence) -> Int?) -> [Int] {
            let grouped = ReplayEngine.GroupedIntervals.grouping(groups) { _, add in
                for c in log.cases {
                    for o in c.occurrences {
                        guard let s = o.start, o.end > s, let g = group(o), g >= 0, g < groups else { continue }
                        add(g, s, o.end)
                    }
                }
            }
            return (0..<groups).map { max(1, grouped.profile($0, capacity: 1).peak) }
        }
    }

    /// `n` of `total` as a whole percentage (`<1%` for a few).
    static func percentText(_ n: Int, of total: Int) -> String {
        guard total > 0 else { return "0%" }
        let p = Double(n) * 100 / Double(total)
        return p > 0 && p < 1 ? "<1%" : "\(Int(p.rounded()))%"
    }

    /// The text of a plan, with the figures measured by replaying it.
    struct Rendering {
        var plan: Plan
        let log: EventLog
        let name: String
        let options: DraftOptions
        var waits: [String?] = []
        var estimates: [String?] = []
        var slas: [String?] = []
        var conformance: (conforming: Int, cases: Int)? = nil
        var suppressions: [(line: Int, rule: String, reason: String)] = []
        /// Notes on activities whose spellings were made one (`mergingSpellings`).
        var merged: [String] = []

        /// `wait`, `estimate` and `sla` of each node from a replay of the skeleton.
        mutating func measure(_ result: ReplayResult) {
            let q = options.slaPercentile
            slas = result.stages.map { s in
                s.samples.flatMap { $0.sojourn.isEmpty ? nil : HistoryDraft.slaText(p85: DurationStats.quantile(sorted: $0.sojourn, q)) }
            }
            waits = result.stages.map { s in
                guard let x = s.samples else { return nil }
                // Without recorded starts, waiting is not measured apart: ready → done stands for it.
                return HistoryDraft.threePoint(x.processing.isEmpty ? x.sojourn : x.waiting)
            }
            estimates = result.stages.enumerated().map { v, s in
                guard let x = s.samples, !x.processing.isEmpty else { return nil }
                return HistoryDraft.threePoint(x.processing, cap: v < slas.count ? slas[v].map(HistoryDraft.seconds(of:)) : nil,
                                              single: false)
            }
        }

        /// The `.flow` text (before `fmt`, which the caller runs).
        func text() -> String {
            var lines: [String] = []
            let base = name.split(separator: "/").last.map(String.init) ?? name
            var first = Double.infinity, last = -Double.infinity
            for c in log.cases {
                for o in c.occurrences {
                    first = min(first, o.start ?? o.end)
                    last = max(last, o.end)
                }
            }
            let period = first <= last ? ", \(String(formatInstant(first).prefix(10))) to \(String(formatInstant(last).prefix(10)))" : ""
            lines.append("# Drafted by `stagecraft history draft` from \(base): \(log.cases.count) cases, \(log.eventCount) events\(period).")
            lines.append("# Discovery: precedence miner (docs/discovery.md): nodes in at least \(pct(options.minCaseShare)) of cases, `after`")
            lines.append("# edges broken in at most \(pct(options.maxDisorder)) of the cases holding both nodes.")
            lines.append("# SLA: p\(Int((options.slaPercentile * 100).rounded())) of each node's sojourn (ready -> done) in this log; wait and estimate: p10, median, p90.")
            if let (ok, total) = conformance {
                lines.append("# Replayed against this log, the draft conforms for \(HistoryDraft.percentText(ok, of: total)) of its cases (\(ok) of \(total)).")
            }
            for note in merged { lines.append("# " + note) }
            if !plan.leftOut.isEmpty {
                let shown = plan.leftOut.prefix(12).map { "\($0.name.replacingOccurrences(of: "\n", with: " ")) (\($0.cases) cases)" }
                lines.append("# Left out (in fewer than \(pct(options.minCaseShare)) of cases): " + shown.joined(separator: ", ")
                    + (plan.leftOut.count > 12 ? ", and \(plan.leftOut.count - 12) more" : ""))
            }
            lines.append("workflow \(FlowFormatter.quoted("Drafted from " + base)) {")
            for p in plan.params {
                let literal = { (v: String) in p.isBool ? v : FlowFormatter.quoted(v) }
                let shares = p.values.map { "\(literal($0.value)) \($0.percent)%" }.joined(separator: "; ")
                lines.append("  param \(p.name): \(p.isBool ? "bool" : "string") = \(literal(p.values[0].value)) { \(shares) }")
            }
            if !plan.params.isEmpty { lines.append("") }
            for o in plan.owners {
                lines.append("  owner \(o.id) \(FlowFormatter.quoted(o.title)) {")
                lines.append("    capacity \(o.capacity)")
                if !o.members.isEmpty {
                    let chunks = stride(from: 0, to: o.members.count, by: 4).map {
                        o.members[$0..<min($0 + 4, o.members.count)].map(FlowFormatter.quoted).joined(separator: ", ")
                    }
                    lines.append("    members " + chunks.joined(separator: ",\n      "))
                }
                lines.append("  }")
            }
            for (v, a) in plan.activities.enumerated() {
                lines.append("")
                for note in plan.notes[v] { lines.append("  # " + note) }
                let isGate = plan.reworkTarget[v] != nil
                lines.append("  \(isGate ? "gate" : "stage") \(plan.ids[v]) \(FlowFormatter.quoted(log.activities[a])) {")
                if !plan.after[v].isEmpty { lines.append("    after " + plan.after[v].map { plan.ids[$0] }.joined(separator: ", ")) }
                if let b = plan.branch[v] {
                    let p = plan.params[b.param]
                    lines.append(p.isBool ? "    when \(p.name)" : "    when \(p.name) == \(FlowFormatter.quoted(b.value))")
                }
                if let c = plan.chance[v] { lines.append("    chance \(max(1, min(99, Int((c * 100).rounded()))))%") }
                let owner = plan.owners[plan.nodeOwner[v]].id
                if let t = plan.reworkTarget[v] {
                    lines.append("    approvers " + ([owner] + plan.approvers[v].map { plan.owners[$0].id }).joined(separator: ", "))
                    lines.append("    quorum 1")
                    lines.append("    reject \(max(1, min(99, Int((plan.rejectShare[v] * 100).rounded()))))%")
                    lines.append("    on reject -> \(plan.ids[t])")
                } else {
                    lines.append("    owner \(owner)")
                }
                if v < waits.count, let w = waits[v] { lines.append("    wait " + w) }
                if v < estimates.count, let e = estimates[v] { lines.append("    estimate " + e) }
                if v < slas.count, let s = slas[v] { lines.append("    sla " + s) }
                lines.append("    matches \(FlowFormatter.quoted(log.activities[a]))")
                lines.append("  }")
            }
            lines.append("}")
            // Suppressions go on the line before the one they silence (lines are 1-based).
            var text = ""
            var byLine: [Int: [(line: Int, rule: String, reason: String)]] = [:]
            for s in suppressions where !(byLine[s.line] ?? []).contains(where: { $0.rule == s.rule }) {
                byLine[s.line, default: []].append(s)
            }
            var lineNumber = 0
            for line in lines {
                for sub in line.split(separator: "\n", omittingEmptySubsequences: false) {
                    lineNumber += 1
                    for s in byLine[lineNumber] ?? [] {
                        let indent = sub.prefix { $0 == " " }
                        text += "\(indent)# stagecraft-ignore \(s.rule) -- \(s.reason)\n"
                    }
                    text += sub + "\n"
                }
            }
            return text
        }

        private func pct(_ x: Double) -> String {
            let p = x * 100
            return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
        }
    }
}
