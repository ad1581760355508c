import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftCLI

/// A statement's keyword range is worked out from its kind rather than stored: it must
/// be the range of the keyword token the statement starts with.
@Suite struct KeywordRangeTests {
    @Test func everyStatementStartsWithItsKeyword() throws {
        var files = corpusFiles()
        files += try Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])
        var seen = Set<String>()
        for path in files {
            let source = SourceFile(path: path, bytes: try Files.read(path))
            guard let workflow = Parser.parse(source).tree.workflow else { continue }
            for case .node(let node) in workflow.members {
                #expect(source.text(of: node.keywordRange) == node.kind.rawValue, "\(path)")
                for statement in node.statements {
                    let keyword = String(statement.kind.keyword.prefix { $0 != " " })
                    #expect(source.text(of: statement.keywordRange) == keyword, "\(path): \(keyword)")
                    let after = statement.keywordRange.end
                    // The keyword is a whole token: what follows cannot continue it.
                    #expect(after >= source.bytes.count || !Lexer.isIdentifierContinue(source.bytes[after]), "\(path): \(keyword)")
                    seen.insert(keyword)
                }
            }
        }
        // Every kind of statement was tried.
        #expect(seen == ["after", "when", "sla", "estimate", "matches", "checklist", "owner", "approvers",
                         "quorum", "reject", "on", "wait", "chance"])
    }

    @Test func onRejectIsTheOnToken() throws {
        let text = "workflow \"w\" {\n  gate g {\n    on   reject -> g\n  }\n}\n"
        let source = SourceFile(path: "w", text: text)
        let workflow = try #require(Parser.parse(source).tree.workflow)
        guard case .node(let node) = workflow.members[0] else {
            Issue.record("expected a node")
            return
        }
        #expect(source.location(of: node.statements[0].keywordRange.start).line == 3)
        #expect(source.location(of: node.statements[0].keywordRange.start).column == 5)
        #expect(source.text(of: node.statements[0].keywordRange) == "on")
        #expect(source.text(of: node.statements[0].range) == "on   reject -> g")
    }
}
