import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftCLI

/// `grammar/stagecraft.ebnf` and the lexer/parser must name the same keywords and punctuation.
@Suite struct GrammarTests {
    /// Quoted literals in the syntactic rules (those before the lexical section).
    static func syntacticLiterals() throws -> Set<String> {
        let text = String(decoding: try Files.read(repositoryRoot + "/grammar/stagecraft.ebnf"), as: UTF8.self)
        // The sections open with banner comments: "/* Syntactic grammar" and "/* Lexical grammar".
        let start = text.range(of: "/* Syntactic grammar")?.upperBound ?? text.startIndex
        let end = text.range(of: "/* Lexical grammar", range: start..<text.endIndex)?.lowerBound ?? text.endIndex
        var section = String(text[start..<end])
        // Drop comments.
        while let open = section.range(of: "/*"), let close = section.range(of: "*/", range: open.upperBound..<section.endIndex) {
            section.removeSubrange(open.lowerBound..<close.upperBound)
        }
        var literals = Set<String>()
        var rest = Substring(section)
        while let q = rest.firstIndex(of: "'") {
            let after = rest.index(after: q)
            guard let close = rest[after...].firstIndex(of: "'") else { break }
            literals.insert(String(rest[after..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return literals
    }

    @Test func keywordsAndPunctuationMatchTheLexer() throws {
        let grammar = try Self.syntacticLiterals()
        let keywords = Set(Keyword.allCases.map(\.rawValue))
        let punctuation = Set(TokenKind.allCases.compactMap(\.spelling))
        #expect(grammar == keywords.union(punctuation),
                "only in grammar: \(grammar.subtracting(keywords.union(punctuation)).sorted()); only in lexer: \(keywords.union(punctuation).subtracting(grammar).sorted())")
    }

    @Test func durationUnitsMatch() throws {
        let text = String(decoding: try Files.read(repositoryRoot + "/grammar/stagecraft.ebnf"), as: UTF8.self)
        for unit in DurationUnit.allCases {
            #expect(text.contains("'\(unit.rawValue)'"), "unit \(unit.rawValue) missing from the grammar")
        }
    }
}
