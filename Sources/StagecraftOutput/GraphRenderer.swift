import StagecraftSyntax
import StagecraftLanguage

/// Renders a workflow's graph as a Mermaid flowchart or Graphviz DOT, drawn as
/// `stagecraft graph --help` describes.
public enum GraphRenderer {
    /// One node, ready to draw.
    public struct Node: Sendable, Equatable {
        public var id: String
        public var kind: NodeKind
        /// Label lines: title, owner or approvers, SLA, wait and chance when written, and
        /// the skip reason if any.
        public var lines: [String]
        public var skipped: Bool
    }

    /// One edge between two node indices.
    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var rework: Bool
    }

    /// The nodes (declaration order) and edges (`after` edges by target, then rework edges).
    public static func layout(_ model: WorkflowModel, source: SourceFile, values: [String: Value]) -> (nodes: [Node], edges: [Edge]) {
        let skipped = model.skipped(values: values)
        var nodes: [Node] = []
        for (i, decl) in model.nodes.enumerated() {
            var lines = [decl.title?.value ?? decl.id.name]
            let owners = model.owners(ofNode: i).map { model.owners[$0].id.name }
            if decl.kind == .stage {
                lines.append("owner: " + (owners.first ?? "none"))
            } else {
                let quorum = decl.quorum.map { q -> String in
                    if case .all = q { return "all" }
                    return String(model.quorum(ofNode: i))
                } ?? "all"
                lines.append("approvers: " + (owners.isEmpty ? "none" : owners.joined(separator: ", "))
                             + "; quorum \(quorum == "all" ? "all" : quorum + " of \(owners.count)")")
            }
            lines.append(decl.sla.map { "SLA \($0.value)" } ?? "no SLA")
            if let wait = decl.wait { lines.append("wait " + wait.description) }
            if let chance = decl.chance { lines.append("runs in " + formatNumber(chance.value) + "%") }
            if skipped[i], let condition = decl.condition {
                let text = source.text(of: condition.range).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
                    .joined(separator: " ")
                lines.append("skipped: when " + text)
            }
            nodes.append(Node(id: decl.id.name, kind: decl.kind, lines: lines, skipped: skipped[i]))
        }
        var edges: [Edge] = []
        for (i, preds) in model.graph.predecessors.enumerated() {
            for p in preds { edges.append(Edge(from: p, to: i, rework: false)) }
        }
        for i in model.nodes.indices {
            if model.nodes[i].kind == .gate, let target = model.summaries[i].reworkTarget {
                edges.append(Edge(from: i, to: target, rework: true))
            }
        }
        return (nodes, edges)
    }

    /// A Mermaid `flowchart LR`. Node IDs get an `n_` prefix so no ID can clash with a
    /// Mermaid keyword such as `end`; labels are quoted with `"`, `#`, `<`, `>`, `&` and
    /// the backtick written as entity codes.
    public static func mermaid(_ model: WorkflowModel, source: SourceFile, values: [String: Value]) -> String {
        let (nodes, edges) = layout(model, source: source, values: values)
        var out = "flowchart LR\n"
        for n in nodes {
            let label = "\"" + n.lines.map(mermaidEscape).joined(separator: "<br/>") + "\""
            out += "  n_\(n.id)" + (n.kind == .gate ? "{{\(label)}}" : "[\(label)]") + "\n"
        }
        for e in edges {
            let from = "n_" + nodes[e.from].id, to = "n_" + nodes[e.to].id
            out += e.rework ? "  \(from) -. reject .-> \(to)\n" : "  \(from) --> \(to)\n"
        }
        let skipped = nodes.filter(\.skipped).map { "n_" + $0.id }
        if !skipped.isEmpty {
            out += "  classDef skipped fill:#eee,stroke:#999,color:#999\n"
            out += "  class \(skipped.joined(separator: ",")) skipped\n"
        }
        return out
    }

    /// A Graphviz `digraph`, left to right. Rework edges do not constrain the ranking.
    public static func dot(_ model: WorkflowModel, source: SourceFile, values: [String: Value]) -> String {
        let (nodes, edges) = layout(model, source: source, values: values)
        let title = model.workflow.title?.value ?? "workflow"
        var out = "digraph \(dotString(title)) {\n"
        out += "  rankdir=LR;\n"
        out += "  label=\(dotString(title));\n  labelloc=t;\n"
        out += "  node [shape=box, fontname=\"Helvetica\"];\n"
        out += "  edge [fontname=\"Helvetica\"];\n"
        for n in nodes {
            var attributes: [String] = []
            if n.kind == .gate { attributes.append("shape=hexagon") }
            attributes.append("label=" + dotString(n.lines.joined(separator: "\n")))
            if n.skipped { attributes += ["style=filled", "fillcolor=lightgrey", "fontcolor=gray"] }
            out += "  \(dotString(n.id)) [\(attributes.joined(separator: ", "))];\n"
        }
        for e in edges {
            let head = "  \(dotString(nodes[e.from].id)) -> \(dotString(nodes[e.to].id))"
            out += e.rework ? head + " [style=dashed, label=\"reject\", constraint=false];\n" : head + ";\n"
        }
        out += "}\n"
        return out
    }

    /// Text for inside a quoted Mermaid label.
    static func mermaidEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "`": out += "#96;"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A DOT double-quoted string: `\` and `"` escaped, a line break as `\n`, other
    /// control characters as spaces.
    static func dotString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
