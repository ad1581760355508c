import StagecraftLanguage
import StagecraftHistory
import StagecraftSyntax

/// Whether an event log says anything about a workflow: a log in which no activity
/// matches any stage or gate would replay or calibrate to nothing, and a command that
/// printed zeros and exited 0 would hide a wrong file or a naming mismatch.
public enum HistoryCoverage {
    /// When no event of `log` counts as a node of `model`, the error to print: the log's
    /// most frequent activities next to the process's nodes, with a did-you-mean where an
    /// activity is spelled close to a node's ID or title. Nil when something matches, or
    /// when the log has no events at all (readers report that themselves).
    public static func nothingMatches(model: WorkflowModel, log: EventLog, logName: String, fileName: String) -> String? {
        guard !model.nodes.isEmpty, log.eventCount > 0 else { return nil }
        let matcher = ActivityMatcher(model: model)
        var counted: [(name: String, events: Int)] = []
        for (i, name) in log.activities.enumerated() {
            let events = i < log.activityEventCounts.count ? log.activityEventCounts[i] : 0
            guard events > 0 else { continue }
            if matcher.node(forActivity: name) != nil { return nil }
            counted.append((name, events))
        }
        guard !counted.isEmpty else { return nil }
        counted.sort { $0.events != $1.events ? $0.events > $1.events : $0.name < $1.name }

        // Names a node answers to, normalised as the matcher compares them.
        var spellings: [(normalized: String, node: String)] = []
        for node in model.nodes {
            let names = node.matches.isEmpty ? [node.id.name] + (node.title.map { [$0.value] } ?? []) : node.matches.map(\.value)
            for n in names { spellings.append((ActivityMatcher.normalize(n), node.id.name)) }
        }
        var out = "no activity in \(logName) matches a stage or gate of \(fileName): nothing to count\n"
        out += "  most frequent activities in the log:\n"
        for (name, events) in counted.prefix(10) {
            out += "    '\(Excerpt.quoted(name, limit: 50))' (\(events) event\(events == 1 ? "" : "s"))"
            let key = ActivityMatcher.normalize(name)
            if let close = closestName(to: key, in: spellings.map(\.normalized)),
               let node = spellings.first(where: { $0.normalized == close })?.node {
                out += ": did you mean \(node)?"
            }
            out += "\n"
        }
        if counted.count > 10 { out += "    … and \(counted.count - 10) more\n" }
        let ids = model.nodes.prefix(20).map(\.id.name).joined(separator: ", ")
        out += "  stages and gates of the process: \(ids)\(model.nodes.count > 20 ? ", …" : "")\n"
        out += "help: name the log's activities in each node's 'matches' (matches \"\(Excerpt.quoted(counted[0].name, limit: 50))\"), "
            + "or pick other columns with --activity-column"
        return out
    }
}
