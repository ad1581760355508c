import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

/// Runs every rule's own examples: the SwiftLint model, where a rule's documentation is its test.
@Suite struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var index: Int
        var triggering: Bool
        var example: RuleExample
        var testDescription: String { "\(rule) \(triggering ? "triggering" : "non-triggering") #\(index + 1)" }
    }

    static let cases: [Case] = RuleRegistry.all.flatMap { rule -> [Case] in
        let d = rule.description
        return d.triggering.enumerated().map { Case(rule: d.id, index: $0.offset, triggering: true, example: $0.element) }
            + d.nonTriggering.enumerated().map { Case(rule: d.id, index: $0.offset, triggering: false, example: $0.element) }
    }

    @Test(arguments: cases)
    func example(_ c: Case) {
        let result = Checker.check(SourceFile(path: "example.flow", text: c.example.text))
        let found = result.diagnostics.filter { $0.rule == c.rule }.map(\.range.start)
        if c.triggering {
            #expect(!c.example.markedOffsets.isEmpty, "a triggering example must mark where it triggers")
            #expect(found.sorted() == c.example.markedOffsets.sorted(),
                    "\(result.diagnostics.map { "\($0.rule): \($0.message)" })")
        } else {
            #expect(found.isEmpty, "\(result.diagnostics.map { "\($0.rule): \($0.message)" })")
        }
    }

    @Test func everyRuleHasExamplesAndAUniqueID() {
        var ids = Set<String>()
        for rule in RuleRegistry.all {
            let d = rule.description
            #expect(ids.insert(d.id).inserted, "duplicate rule id \(d.id)")
            #expect(!d.triggering.isEmpty, "\(d.id) has no triggering example")
            #expect(!d.nonTriggering.isEmpty, "\(d.id) has no non-triggering example")
            #expect(!d.summary.isEmpty && !d.rationale.isEmpty)
        }
    }

    @Test func nonTriggeringExamplesOfErrorRulesAreFreeOfErrors() {
        for rule in RuleRegistry.all {
            for example in rule.description.nonTriggering {
                let result = Checker.check(SourceFile(path: "x.flow", text: example.text))
                #expect(result.errorCount == 0, "\(rule.description.id): \(result.diagnostics.map(\.message))")
            }
        }
    }
}
