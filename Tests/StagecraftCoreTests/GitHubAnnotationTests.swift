import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput

@Suite struct GitHubAnnotationTests {
    @Test func goldenFromCheck() {
        let out = runCLI(["check", "-", "--format", "github", "--stdin-filename", "workflows/launch.flow"],
                         stdin: SARIFTests.source)
        #expect(out.exitCode == 1)
        expectGolden(out.stdout, "check/launch.github.txt")
    }

    /// A rule, message and file name full of the characters GitHub's workflow commands
    /// treat specially. Property values escape `%`, CR, LF, `:` and `,`; the message
    /// escapes `%`, CR and LF only.
    @Test func goldenEscaping() {
        let source = SourceFile(path: "/repo/odd, name: 100%.flow", text: "workflow \"x\" {\n  owner pm\n}\n")
        let diagnostics = [
            Diagnostic(rule: "odd:rule,%\nnext", severity: .error, message: "50% done: a, b\r\nsecond line",
                       range: SourceRange(17, 22), help: "try: x, y"),
            Diagnostic(rule: "plain", severity: .warning, message: "a warning", range: SourceRange(0, 8)),
            Diagnostic(rule: "plain", severity: .note, message: "a note", range: SourceRange(0, 0)),
        ]
        let result = CheckResult(parsed: Parser.parse(source), diagnostics: diagnostics, model: nil)
        let text = GitHubAnnotationFormatter.annotations([result], currentDirectory: "/repo")
        #expect(text == """
        ::error file=odd%2C name%3A 100%25.flow,line=2,col=3,endLine=2,endColumn=8,title=odd%3Arule%2C%25%0Anext::50%25 done: a, b%0D%0Asecond line%0Ahelp: try: x, y
        ::warning file=odd%2C name%3A 100%25.flow,line=1,col=1,endLine=1,endColumn=9,title=plain::a warning
        ::notice file=odd%2C name%3A 100%25.flow,line=1,col=1,endLine=1,endColumn=1,title=plain::a note

        """)
        expectGolden(text, "check/escaping.github.txt")
    }

    @Test func escapingFunctions() {
        #expect(GitHubAnnotationFormatter.escapeData("%:,\r\n") == "%25:,%0D%0A")
        #expect(GitHubAnnotationFormatter.escapeProperty("%:,\r\n") == "%25%3A%2C%0D%0A")
    }

    @Test func cleanInputPrintsNothing() {
        let out = runCLI(["check", "--format", "github", repositoryRoot + "/workflows"])
        #expect(out.exitCode == 0)
        #expect(out.stdout == "")
    }
}
