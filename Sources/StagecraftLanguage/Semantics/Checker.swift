import Foundation
import StagecraftSyntax

/// The effective severity of each rule: defaults, changed by configuration.
public struct RuleSettings: Sendable, Equatable {
    /// Rule ID → severity, or nil for `off`. Rules not listed keep their default.
    public var overrides: [String: Severity?]

    public init(overrides: [String: Severity?] = [:]) {
        self.overrides = overrides
    }

    public static let defaults = RuleSettings()

    /// The severity of a rule, or nil when it is off.
    public func severity(of rule: String) -> Severity? {
        if let o = overrides[rule] { return o }
        return RuleRegistry.descriptions[rule]?.severity ?? .error
    }

    public func isOff(_ rule: String) -> Bool { severity(of: rule) == nil }
}

/// The outcome of checking one file.
public struct CheckResult: Sendable {
    public var parsed: ParsedFile
    /// Every diagnostic, sorted by position, with configured severities.
    public var diagnostics: [Diagnostic]
    public var model: WorkflowModel?

    /// The memberwise initializer, declared so that the other targets can call it.
    package init(parsed: ParsedFile, diagnostics: [Diagnostic], model: WorkflowModel?) {
        self.parsed = parsed
        self.diagnostics = diagnostics
        self.model = model
    }

    public var source: SourceFile { parsed.source }
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// Runs the whole front end on one file: lex, parse, resolve, every rule, suppressions.
public enum Checker {
    /// Checks many files on all cores, each file on one thread; `load` reads file `i` (on
    /// any thread) and may throw, in which case the first error in file order is
    /// rethrown. Results keep file order.
    ///
    /// The results keep the source and the diagnostics but not the syntax tree or the
    /// model: reporting needs only the former, and dropping the latter on the worker
    /// threads frees them in parallel instead of one by one at the end.
    public static func checkAll(_ count: Int, settings: @Sendable (Int) -> RuleSettings = { _ in .defaults },
                                load: @Sendable (Int) throws -> SourceFile) throws -> [CheckResult] {
        try concurrentMap(count) { i in
            Result {
                var result = check(try load(i), settings: settings(i))
                result.parsed.tree = FlowFile(workflow: nil, range: result.parsed.tree.range)
                result.parsed.comments = []
                result.model = nil
                return result
            }
        }.map { try $0.get() }
    }

    /// Checks one source file.
    public static func check(_ source: SourceFile, settings: RuleSettings = .defaults) -> CheckResult {
        let parsed = Parser.parse(source)
        let suppressionRules: Set<String> = [InvalidSuppressionRule.description.id, UnusedSuppressionRule.description.id]
        let model = parsed.tree.workflow.map { WorkflowModel($0) }
        let context = RuleContext(parsed: parsed, model: model)
        var diagnostics = parsed.diagnostics
        for rule in RuleRegistry.all where !suppressionRules.contains(rule.description.id) {
            diagnostics += Checker.withoutKnockOns(rule.check(context), parsed: parsed)
        }
        let (suppressions, problems) = Suppression.parse(parsed)
        let applied = Suppression.apply(suppressions, to: diagnostics, source: source, isOff: settings.isOff)
        diagnostics = applied.kept + problems + applied.unused
        // Configured severities; `off` drops the diagnostic. Syntax errors always stay errors.
        diagnostics = diagnostics.compactMap { d in
            if d.rule == SyntaxRule.description.id || d.severity == .note { return d }
            guard let s = settings.severity(of: d.rule) else { return nil }
            var d = d
            d.severity = s
            return d
        }
        diagnostics.sort { a, b in
            (a.range.start, a.range.end, a.rule, a.message) < (b.range.start, b.range.end, b.rule, b.message)
        }
        return CheckResult(parsed: parsed, diagnostics: diagnostics, model: model)
    }
}

extension Checker {
    /// Rules whose findings about a node follow from a statement missing from it, which a
    /// statement that failed to parse may be (`sla 1 bd` is no SLA).
    static let nodeKnockOnRules: Set<String> = [
        MissingSLARule.description.id, StageWithoutOwnerRule.description.id, GateWithoutApproversRule.description.id,
        QuorumExceedsApproversRule.description.id, EstimateExceedsSLARule.description.id,
    ]
    /// Rules that say nothing uses a declaration, which a statement that failed to parse may have.
    static let fileKnockOnRules: Set<String> = [UnusedOwnerRule.description.id, UnusedParamRule.description.id]

    /// `findings` less those that follow from a syntax error rather than from the file: in
    /// a node with a syntax error, the rules of `nodeKnockOnRules`; in a file with one,
    /// those of `fileKnockOnRules`. A file that parses keeps every finding.
    static func withoutKnockOns(_ findings: [Diagnostic], parsed: ParsedFile) -> [Diagnostic] {
        guard !findings.isEmpty, let first = findings.first,
              nodeKnockOnRules.contains(first.rule) || fileKnockOnRules.contains(first.rule) else { return findings }
        let errors = parsed.diagnostics.filter { $0.rule == SyntaxRule.description.id }.map(\.range.start)
        guard !errors.isEmpty else { return findings }
        if fileKnockOnRules.contains(first.rule) { return [] }
        let broken = (parsed.tree.workflow?.nodes ?? []).map(\.range).filter { r in errors.contains { r.start <= $0 && $0 < r.end } }
        return findings.filter { d in !broken.contains { $0.start <= d.range.start && d.range.start < $0.end } }
    }
}
