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
        // Build the scalar view locally: appending through `String.unicodeScalars` copied
        // the whole string each time, quadratic in the name's length.
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case " ", "\t", "_", "-": continue
            default:
                if scalar.isASCII {
                    let v = scalar.value
                    out.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 32)) : scalar)
                } else {
                    out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
        }
        return String(out)
    }
}
