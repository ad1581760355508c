import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

@Suite struct ActivityMatcherTests {
    @Test func normalizeIgnoresCaseSpacesUnderscoresAndDashes() {
        #expect(ActivityMatcher.normalize("Security-Review") == "securityreview")
        #expect(ActivityMatcher.normalize(" go_no_go\t") == "gonogo")
        #expect(ActivityMatcher.normalize("REVISIÓN Técnica") == "revisióntécnica")
        #expect(ActivityMatcher.normalize("İ") == "i̇")  // U+0130 lowercases to two scalars
        // A long name keeps its length (the view is built once, not copied per character).
        #expect(ActivityMatcher.normalize(String(repeating: "Ab-", count: 100_000)).count == 200_000)
    }

    @Test func matchesOrIDAndTitle() throws {
        let model = try #require(Checker.check(SourceFile(path: "m.flow", text: """
        workflow "M" {
          owner o
          stage prd "Write the PRD" { owner o; sla 1bd }
          stage build { after prd; owner o; sla 1bd; matches "Implement feature" }
        }
        """)).model)
        let m = ActivityMatcher(model: model)
        #expect(m.node(forActivity: "write the prd") == 0)
        #expect(m.node(forActivity: "PRD") == 0)
        #expect(m.node(forActivity: "implement_feature") == 1)
        // With `matches`, the ID alone no longer maps (LANGUAGE.md: by default only).
        #expect(m.node(forActivity: "build") == nil)
    }
}
