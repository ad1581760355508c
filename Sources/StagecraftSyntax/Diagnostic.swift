/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .note: return 0
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in a source file: a stable rule ID, a severity, a message and a range.
///
/// Modelled on swift-syntax's `DiagnosticMessage`: the rule ID never changes between
/// releases, so CI configurations and suppressions can name it.
public struct Diagnostic: Hashable, Sendable {
    /// The stable rule name, e.g. `unknown-reference`.
    public var rule: String
    public var severity: Severity
    public var message: String
    /// Byte range in the file the diagnostic belongs to.
    public var range: SourceRange
    /// A one-line suggestion for the fix, when there is one.
    public var help: String?

    public init(rule: String, severity: Severity, message: String, range: SourceRange, help: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.range = range
        self.help = help
    }
}
