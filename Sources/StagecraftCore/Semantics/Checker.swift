import Foundation

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

    public var source: SourceFile { parsed.source }
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// What the two halves of a big file's first parallel step give back.
private struct BigFileWork: Sendable {
    var model: WorkflowModel?
    var found: [[Diagnostic]] = []
    var suppressions: [Suppression] = []
    var problems: [Diagnostic] = []
}

/// Runs the whole front end on one file: lex, parse, resolve, every rule, suppressions.
public enum Checker {
    /// Checks many files on all cores; `load` reads file `i` (on any thread) and may throw,
    /// in which case the first error in file order is rethrown. Results keep file order.
    ///
    /// The results keep the source and the diagnostics but not the syntax tree or the
    /// model: reporting needs only the former, and dropping the latter on the worker
    /// threads frees them in parallel instead of one by one at the end.
    ///
    /// `tunesHeap` lets the threads that parse a big file's pieces take huge pages (see
    /// `HeapReserve`); only the executable asks for it. Without `freesTrees` (a process
    /// that exits when the check is reported), the tree, model and bytes of a single big
    /// file are never freed: the kernel takes the whole address space back at exit at
    /// once, where freeing them node by node costs as much as a rule pass. Of several
    /// files, each is freed as before: kept, they would add up (about 57 MB for each
    /// 10 MB file).
    public static func checkAll(_ count: Int, settings: @Sendable (Int) -> RuleSettings = { _ in .defaults },
                                tunesHeap: Bool = false, freesTrees: Bool = true,
                                load: @Sendable (Int) throws -> SourceFile) throws -> [CheckResult] {
        let keepsTrees = !freesTrees && count == 1
        return try concurrentMap(count) { i in
            Result {
                var result = check(try load(i), settings: settings(i), tunesHeap: tunesHeap)
                let dropped = (result.parsed.tree, result.model)
                result.parsed.tree = FlowFile(workflow: nil, range: result.parsed.tree.range)
                result.parsed.comments = []
                result.model = nil
                if result.source.bytes.count >= parallelRulesThreshold {
                    if !keepsTrees {
                        // Freeing a big file's tree takes as long as a rule pass: let another
                        // thread do it while the results are reported.
                        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(dropped) {} }
                    } else {
                        _ = Unmanaged.passRetained(KeptForExit(tree: dropped.0, model: dropped.1, source: result.source))
                    }
                }
                return result
            }
        }.map { try $0.get() }
    }

    /// Files at least this large run their rules in parallel; smaller ones are checked
    /// in parallel with each other instead.
    public static let parallelRulesThreshold = 1 << 20

    /// Checks one source file.
    ///
    /// Files of `parallelAbove` bytes or more use every core (tests lower it to compare);
    /// for `tunesHeap`, see `checkAll`.
    public static func check(_ source: SourceFile, settings: RuleSettings = .defaults,
                             parallelAbove: Int = parallelRulesThreshold, tunesHeap: Bool = false) -> CheckResult {
        let parsed = Parser.parse(source, tunesHeap: tunesHeap)
        let suppressionRules: Set<String> = [InvalidSuppressionRule.description.id, UnusedSuppressionRule.description.id]
        let rules = RuleRegistry.all.filter { !suppressionRules.contains($0.description.id) }
        let model: WorkflowModel?
        var found = [[Diagnostic]](repeating: [], count: rules.count)
        let suppressions: [Suppression]
        let problems: [Diagnostic]
        if source.bytes.count >= parallelAbove {
            // A big file uses every core. While one resolves names and builds the model,
            // another runs the rules that read only the tree and reads the suppressions,
            // then helps resolve; then the rules that read the model run side by side, one
            // core starting with the SLA schedule. Rules are pure, and their findings are
            // put back in registry order.
            let treeRules = rules.indices.filter { !rules[$0].readsModel }
            let modelRules = rules.indices.filter { rules[$0].readsModel }
            // The rules that read only the tree take about half as long as the model: the
            // core that runs them then resolves the model's last node declarations.
            let share = ResolutionShare()
            let halves = concurrentMap(2) { k -> BigFileWork in
                var work = BigFileWork()
                if k == 0 {
                    work.model = parsed.tree.workflow.map { WorkflowModel($0, sharingWith: share) }
                } else {
                    let treeContext = RuleContext(parsed: parsed, model: nil)
                    (work.suppressions, work.problems) = Suppression.parse(parsed)
                    work.found = treeRules.map { rules[$0].init().check(treeContext) }
                    share.help()
                }
                return work
            }
            model = halves.lazy.compactMap(\.model).first
            suppressions = halves.flatMap(\.suppressions)
            problems = halves.flatMap(\.problems)
            let treeFound = halves.flatMap(\.found)
            for (k, r) in treeRules.enumerated() where k < treeFound.count { found[r] = treeFound[k] }
            // One core works out the SLA schedule and runs the rules that read it while the
            // model's other rules run.
            let scheduleRules = modelRules.filter { rules[$0].readsSLASchedule }
            let otherRules = modelRules.filter { !rules[$0].readsSLASchedule }
            let withoutSchedule = RuleContext(parsed: parsed, model: model, slaSchedule: nil)
            let modelFound = concurrentMap(1 + otherRules.count) { k -> [[Diagnostic]] in
                guard k > 0 else {
                    let context = RuleContext(parsed: parsed, model: model)
                    return scheduleRules.map { rules[$0].init().check(context) }
                }
                return [rules[otherRules[k - 1]].init().check(withoutSchedule)]
            }
            // The findings of `scheduleRules`, then of `otherRules`, one list per rule.
            let perRule = Array(modelFound.joined())
            for (k, r) in (scheduleRules + otherRules).enumerated() { found[r] = perRule[k] }
        } else {
            model = parsed.tree.workflow.map { WorkflowModel($0) }
            let context = RuleContext(parsed: parsed, model: model)
            for (r, rule) in rules.enumerated() { found[r] = rule.init().check(context) }
            (suppressions, problems) = Suppression.parse(parsed)
        }
        var diagnostics = parsed.diagnostics
        for f in found { diagnostics += Checker.withoutKnockOns(f, parsed: parsed) }
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

/// A big file's tree, model and bytes, kept until the process exits (see
/// `Checker.checkAll`): unmapping a mapped file from a process that ran threads on
/// several cores makes the kernel interrupt each of them, and exit does it once for all.
private final class KeptForExit: Sendable {
    let tree: FlowFile
    let model: WorkflowModel?
    let source: SourceFile

    init(tree: FlowFile, model: WorkflowModel?, source: SourceFile) {
        self.tree = tree
        self.model = model
        self.source = source
    }
}
