/// Maps activity names in recorded history to the stages and gates of a workflow.
///
/// A node with `matches "A", "B"` counts the activities named A and B; a node without
/// `matches` counts the activity that spells its ID or its title. Names compare
/// ignoring case, spaces, `_` and `-` (LANGUAGE.md). When two nodes claim one name, the
/// first declared wins.
public struct ActivityMatcher: Sendable {
    private var table: [String: Int] = [:]

    public init(model: WorkflowModel) {
        for (i, node) in model.nodes.enumerated() {
            let names = node.matches.isEmpty ? [node.id.name] + (node.title.map { [$0.value] } ?? []) : node.matches.map(\.value)
            for name in names {
                let key = ActivityMatcher.normalize(name)
                if table[key] == nil { table[key] = i }
            }
        }
    }

    /// The node an activity counts as, if any.
    public func node(forActivity name: String) -> Int? {
        table[ActivityMatcher.normalize(name)]
    }

    /// Lower case, without spaces, tabs, `_` and `-`.
    public static func normalize(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            switch scalar {
            case " ", "\t", "_", "-": continue
            default: out.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }
}
