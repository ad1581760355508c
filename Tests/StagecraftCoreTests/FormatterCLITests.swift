import Foundation
import Testing
@testable import StagecraftOutput
@testable import StagecraftCLI

/// `stagecraft fmt` on real files in temporary folders, and the unified diff it prints.
@Suite struct FormatterCLITests {
    /// A fresh temporary folder, removed by the caller's `defer`.
    static func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "stagecraft-fmt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    static let canonical = "workflow \"x\" {\n  owner pm\n\n  stage a {\n    owner pm\n    sla 1bd\n  }\n}\n"
    static let messy = "workflow \"x\" {\n owner pm\n  stage a { owner pm;sla 1bd }\n}"

    @Test func shippedFilesAreCanonical() {
        let out = runCLI(["fmt", "--check", repositoryRoot + "/workflows", repositoryRoot + "/examples"])
        #expect(out.exitCode == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout == "")
    }

    @Test func checkPassesOnFormattedAndFailsWithADiffOnAMangledCopy() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = try Files.read(repositoryRoot + "/workflows/ga-launch.flow")
        let text = String(decoding: original, as: UTF8.self)
        Self.write(text, to: dir + "/ok.flow")
        #expect(runCLI(["fmt", "--check", dir + "/ok.flow"]).exitCode == 0)

        // Break indentation and spacing by hand.
        let mangled = text.replacingOccurrences(of: "    owner ", with: "\towner  ")
            .replacingOccurrences(of: "    after ", with: " after   ")
            .replacingOccurrences(of: "  }\n", with: "}   \n")
        #expect(mangled != text)
        Self.write(mangled, to: dir + "/bad.flow")
        let listed = runCLI(["fmt", "--check", dir])
        #expect(listed.exitCode == 1)
        #expect(listed.stdout == dir + "/bad.flow\n")

        let diffed = runCLI(["fmt", "--check", "--diff", dir + "/bad.flow"])
        #expect(diffed.exitCode == 1)
        #expect(diffed.stdout.hasPrefix("--- a/\(dir)/bad.flow\n+++ b/\(dir)/bad.flow\n@@ -"))
        #expect(diffed.stdout.contains("\n-\towner  "))
        #expect(diffed.stdout.contains("\n+    owner "))
        // Nothing was written.
        #expect(try Files.read(dir + "/bad.flow") == Array(mangled.utf8))
        // The diff alone writes nothing either, and is not a failure.
        let diffOnly = runCLI(["fmt", "--diff", dir + "/bad.flow"])
        #expect(diffOnly.exitCode == 0)
        #expect(diffOnly.stdout == diffed.stdout)
        #expect(try Files.read(dir + "/bad.flow") == Array(mangled.utf8))
        // Formatting it gives back the shipped file.
        #expect(runCLI(["fmt", dir + "/bad.flow"]).exitCode == 0)
        #expect(try Files.read(dir + "/bad.flow") == original)
    }

    @Test func fileWithSyntaxErrorsIsLeftExactlyAsItWas() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/broken.flow"
        let text = "workflow \"x\" {\n   owner pm\n  stage a { owner pm;   sla }\n}\n"
        Self.write(text, to: path)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        Self.write(Self.messy, to: dir + "/messy.flow")

        let out = runCLI(["fmt", dir])
        #expect(out.exitCode == 1)
        #expect(out.stderr.hasPrefix("\(path):3:29: error: expected a duration such as 5bd, found '}' [syntax]\n"))
        // The other file is still formatted.
        #expect(out.stdout == dir + "/messy.flow\n")
        #expect(try Files.read(dir + "/messy.flow") == Array(Self.canonical.utf8))
        #expect(try Files.read(path) == Array(text.utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.modificationDate] as? Date == past)
        #expect(runCLI(["fmt", "--check", path]).exitCode == 1)
    }

    @Test func rewriteKeepsPermissionsAndSkipsUnchangedFiles() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/messy.flow"
        Self.write(Self.messy, to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)

        let out = runCLI(["fmt", path])
        #expect(out.exitCode == 0)
        #expect(out.stdout == path + "\n")
        #expect(try Files.read(path) == Array(Self.canonical.utf8))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["messy.flow"])

        // A formatted file is not rewritten: same modification time, nothing listed.
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        let again = runCLI(["fmt", path])
        #expect(again.exitCode == 0)
        #expect(again.stdout == "")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == past)
    }

    @Test func standardInputGoesToStandardOutput() {
        let out = runCLI(["fmt", "-"], stdin: Self.messy)
        #expect(out.exitCode == 0)
        #expect(out.stdout == Self.canonical)
        #expect(runCLI(["fmt", "-"], stdin: Self.canonical).stdout == Self.canonical)
        #expect(runCLI(["fmt", "--check", "-"], stdin: Self.canonical).exitCode == 0)
        let check = runCLI(["fmt", "--check", "-", "--stdin-filename", "launch.flow"], stdin: Self.messy)
        #expect(check.exitCode == 1)
        #expect(check.stdout == "launch.flow\n")
        let broken = runCLI(["fmt", "-"], stdin: "workflow \"x\" { stage }")
        #expect(broken.exitCode == 1)
        #expect(broken.stdout == "")
        #expect(broken.stderr.hasPrefix("<stdin>:1:22: error: expected the stage's ID, found '}' [syntax]\n"))
    }

    @Test func diffOutputIsExact() {
        let out = runCLI(["fmt", "--diff", "-", "--stdin-filename", "x.flow"],
                         stdin: "workflow \"x\" {\n owner pm\n}\n")
        #expect(out.exitCode == 0)
        #expect(out.stdout == """
        --- a/x.flow
        +++ b/x.flow
        @@ -1,3 +1,3 @@
         workflow "x" {
        - owner pm
        +  owner pm
         }

        """)
    }

    @Test func usageAndIOErrors() throws {
        #expect(runCLI(["fmt"]).exitCode == 2)
        #expect(runCLI(["fmt", "--chek", "x.flow"]).stderr.contains("did you mean '--check'?"))
        #expect(runCLI(["fmt", "/no/such/file.flow"]).exitCode == 2)
        let help = runCLI(["help", "fmt"]).stdout
        #expect(help.hasPrefix("Usage: stagecraft fmt PATH... [--check] [--diff]"))
        #expect(help.contains("Exit codes: 0"))
        #expect(runCLI(["fmt", "--help"]).stdout == help)
    }

    // MARK: - The diff itself

    static func diff(_ a: String, _ b: String) -> String {
        FormatDiff.unified(old: Array(a.utf8), new: Array(b.utf8), oldName: "f", newName: "f")
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(Self.diff("a\nb\n", "a\nb\n") == "")
        #expect(Self.diff("", "") == "")
    }

    @Test func separateChangesGetSeparateHunks() {
        let old = (1...20).map { "l\($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l18\n", with: "")
        #expect(Self.diff(old, new) == """
        --- a/f
        +++ b/f
        @@ -1,5 +1,5 @@
         l1
        -l2
        +L2
         l3
         l4
         l5
        @@ -15,6 +15,5 @@
         l15
         l16
         l17
        -l18
         l19
         l20

        """)
    }

    @Test func nearbyChangesShareAHunk() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n"
        let new = "A\nb\nc\nd\ne\nf\ng\nH\ni\n"
        #expect(Self.diff(old, new) == "--- a/f\n+++ b/f\n@@ -1,9 +1,9 @@\n-a\n+A\n b\n c\n d\n e\n f\n g\n-h\n+H\n i\n")
    }

    @Test func missingFinalNewlineIsMarked() {
        #expect(Self.diff("a\nb", "a\nb\n") == "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")
        #expect(Self.diff("", "a\n") == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n")
        #expect(Self.diff("x\n", "y\nx\n") == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+y\n x\n".replacingOccurrences(of: "@@ -0,0 +1 @@", with: "@@ -1 +1,2 @@"))
    }

    @Test func hugeRewritesFallBackToReplacingTheMiddle() {
        let old = (0..<3000).map { "old\($0)" }.joined(separator: "\n") + "\n"
        let new = (0..<3000).map { "new\($0)" }.joined(separator: "\n") + "\n"
        let d = Self.diff(old, new)
        #expect(d.hasPrefix("--- a/f\n+++ b/f\n@@ -1,3000 +1,3000 @@\n-old0\n"))
        #expect(d.components(separatedBy: "\n").count == 3 + 6000 + 1)
    }
}
