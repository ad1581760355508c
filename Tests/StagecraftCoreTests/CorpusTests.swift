import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftCLI

/// Programs that carry their expected diagnostics in comments, Crafting Interpreters style:
/// `# expect: RULE LINE:COL`. The diagnostics found must be exactly those expected.
@Suite struct CorpusTests {
    static let files = corpusFiles()

    @Test(arguments: files)
    func corpusFile(_ path: String) throws {
        let bytes = try Files.read(path)
        let text = String(decoding: bytes, as: UTF8.self)
        var expected: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let r = line.range(of: "# expect: ") else { continue }
            expected.append(String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces))
        }
        let found = Checker.check(SourceFile(path: path, bytes: bytes)).diagnostics.map { d -> String in
            let loc = SourceFile(path: path, bytes: bytes).location(of: d.range.start)
            return "\(d.rule) \(loc.line):\(loc.column)"
        }
        #expect(found.sorted() == expected.sorted())
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.files.count >= 8)
    }
}
