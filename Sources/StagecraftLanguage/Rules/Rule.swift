import Foundation
import StagecraftSyntax

/// One example of a rule, used as its test and its documentation.
///
/// In a triggering example, `↓` marks where each expected diagnostic starts; the marker
/// is removed before the example is checked.
public struct RuleExample: Sendable {
    public var source: String

    public init(_ source: String) {
        self.source = source
    }

    /// The source without markers.
    public var text: String { source.replacingOccurrences(of: "↓", with: "") }

    /// The byte offsets (in `text`) where the markers stand.
    public var markedOffsets: [Int] {
        var offsets: [Int] = []
        var offset = 0
        for ch in source.unicodeScalars {
            if ch == "↓" {
                offsets.append(offset)
            } else {
                offset += String(ch).utf8.count
            }
        }
        return offsets
    }
}

/// What a rule is: its stable ID, default severity, summary and examples.
public struct RuleDescription: Sendable {
    /// The stable rule name, e.g. `unknown-reference`.
    public var id: String
    public var severity: Severity
    /// One line: what the rule checks.
    public var summary: String
    /// Why it matters to a product-operations team.
    public var rationale: String
    /// Examples that must produce the rule's diagnostics exactly at the `↓` markers.
    public var triggering: [RuleExample]
    /// Examples that must produce none of the rule's diagnostics.
    public var nonTriggering: [RuleExample]

    /// The memberwise initializer, declared so that the other targets can call it.
    package init(id: String, severity: Severity, summary: String, rationale: String,
                 triggering: [RuleExample], nonTriggering: [RuleExample]) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }
}

/// A lint rule: checks one property of a parsed workflow.
///
/// Each rule lives in a file of its own under `Rules/`, declares its description with
/// examples, and reports diagnostics with its own ID. The examples are run by one
/// parameterised test and printed by `stagecraft explain`.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    /// The problems this rule finds in one file.
    static func check(_ context: RuleContext) -> [Diagnostic]
}

/// A path of node IDs for a message, `a -> b -> c`; a long path keeps its first six and
/// last five IDs and says how many it leaves out, so that a 50,000-node chain gives a
/// readable line rather than half a megabyte.
func pathText(_ names: [String]) -> String {
    pathText(names.indices, name: { names[$0] })
}

/// `pathText` over a path of any kind, naming only the elements it shows.
func pathText<Path: RandomAccessCollection>(_ path: Path, name: (Path.Element) -> String) -> String {
    let head = 6, tail = 5
    guard path.count > head + tail + 1 else { return path.map(name).joined(separator: " -> ") }
    return (path.prefix(head).map(name) + ["… \(path.count - head - tail) more …"] + path.suffix(tail).map(name))
        .joined(separator: " -> ")
}

extension Rule {
    /// Shorthand for a diagnostic of this rule at its default severity.
    static func diagnostic(_ message: String, at range: SourceRange, help: String? = nil) -> Diagnostic {
        Diagnostic(rule: Self.description.id, severity: Self.description.severity,
                   message: message, range: range, help: help)
    }
}

/// What a rule can read: the source, the syntax tree and the resolved model.
public struct RuleContext: Sendable {
    public let parsed: ParsedFile
    /// The resolved model; nil when the file holds no workflow.
    public let model: WorkflowModel?

    public var source: SourceFile { parsed.source }

    /// The SLA schedule under the params' defaults; nil without a model or with a cycle.
    /// Computed once here because several rules read it.
    public let slaSchedule: SLASchedule?

    public init(parsed: ParsedFile, model: WorkflowModel?) {
        self.parsed = parsed
        self.model = model
        self.slaSchedule = model.flatMap { SLASchedule(model: $0) }
    }

    /// The line (one-based) of a byte offset.
    public func line(of offset: Int) -> Int { source.location(of: offset).line }
}
