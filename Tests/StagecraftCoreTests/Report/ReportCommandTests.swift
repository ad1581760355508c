import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

@Suite struct ReportCommandTests {
    let flow = """
    workflow "Tiny <launch>" {
      description "Two steps & a gate."
      deadline 5bd
      param eu: bool = false
      owner pm
      owner legal
      stage spec "Spec" {
        owner pm
        sla 2bd
      }
      gate review "Review" {
        after spec
        approvers legal
        sla 1bd
        reject 10%
        on reject -> spec
      }
      gate gdpr "GDPR check" {
        after spec
        when eu
        approvers legal
        sla 1bd
      }
    }

    """

    func temporaryPath(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "stagecraft-report-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }

    @Test func writesTheSelfContainedPage() throws {
        let out = temporaryPath("report.html")
        let result = runCLI(["report", "-", "--stdin-filename", "tiny.flow", "--start", "2024-03-04", "-o", out], stdin: flow)
        #expect(result.exitCode == 0)
        #expect(result.stdout.isEmpty)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<h1>Tiny &lt;launch&gt;</h1>"))
        #expect(html.contains("Two steps &amp; a gate."))
        #expect(html.contains("<code>tiny.flow</code>"))
        #expect(html.contains("class=\"chart chart-graph\"") && html.contains("class=\"chart chart-gantt\""))
        #expect(!html.contains("id=\"history\"") && !html.contains("<script"))
        // Spec Mon 4 – Tue 5 March, review Wed 6; the 5bd deadline is Fri 8 March.
        #expect(html.contains("<td>2024-03-04</td><td>2024-03-05</td>"))
        #expect(html.contains("<td>2024-03-06</td><td>2024-03-06</td>"))
        #expect(html.contains("<dt>Deadline</dt><dd>5bd<span class=\"detail\">by 2024-03-08</span>"))
        #expect(html.contains("<dt>Planned finish</dt><dd>2024-03-06<span class=\"detail\">2 d before the deadline</span>"))
        #expect(html.contains("skipped: when eu"))
        #expect(html.contains("rework 10%"))
        // The same input gives the same bytes.
        let again = temporaryPath("again.html")
        _ = runCLI(["report", "-", "--stdin-filename", "tiny.flow", "--start", "2024-03-04", "-o", again], stdin: flow)
        #expect(try String(contentsOfFile: again, encoding: .utf8) == html)
    }

    @Test func dashWritesThePageToStandardOutput() throws {
        let file = temporaryPath("report.html")
        #expect(runCLI(["report", "-", "--start", "2024-03-04", "-o", file], stdin: flow).exitCode == 0)
        let piped = runCLI(["report", "-", "--start", "2024-03-04", "-o", "-"], stdin: flow)
        #expect(piped.exitCode == 0)
        #expect(piped.stderr.isEmpty)
        #expect(piped.stdout == (try String(contentsOfFile: file, encoding: .utf8)))
        #expect(piped.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(!FileManager.default.fileExists(atPath: "-"))
    }

    @Test func paramsAndDefaultKickoffAreStated() throws {
        let out = temporaryPath("report.html")
        let result = runCLI(["report", "-", "--set", "eu=true", "--output", out], stdin: flow)
        #expect(result.exitCode == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Planned from the default kickoff 2024-01-01"))
        #expect(html.contains("Params: eu = true (--set)."))
        #expect(!html.contains("skipped: when eu"))
    }

    @Test func ownerCapacityWaitsAreDrawnAndListed() throws {
        let out = temporaryPath("report.html")
        let busy = "workflow \"w\" {\n owner pm\n stage a {\n owner pm\n sla 2bd\n }\n stage b {\n owner pm\n sla 1bd\n }\n}\n"
        #expect(runCLI(["report", "-", "--start", "2024-03-04", "-o", out], stdin: busy).exitCode == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        // b is ready on Monday but pm works on a until Tuesday: it waits two days.
        #expect(html.contains("<td>b</td><td>stage</td><td>pm</td><td>1bd</td><td>2024-03-06</td><td>2024-03-06</td><td class=\"num\">2 d</td>"))
        #expect(svgElements(html, "rect", class: "gantt-wait").map { $0["data-id"] } == ["b"])
    }

    @Test func usageErrors() {
        let noOutput = runCLI(["report", "-"], stdin: flow)
        #expect(noOutput.exitCode == 2)
        #expect(noOutput.stderr.contains("report needs -o FILE"))
        let badStart = runCLI(["report", "-", "--start", "2024-02-30", "-o", temporaryPath("x.html")], stdin: flow)
        #expect(badStart.exitCode == 2)
        #expect(badStart.stderr.contains("--start: 2024-02-30 is not a real date: February 2024 has 29 days"))
        let badSet = runCLI(["report", "-", "--set", "nope=1", "-o", temporaryPath("x.html")], stdin: flow)
        #expect(badSet.exitCode == 2)
        let noFile = runCLI(["report", "-o", temporaryPath("x.html")])
        #expect(noFile.exitCode == 2)
    }

    @Test func aFileWithErrorsWritesNothing() {
        let out = temporaryPath("report.html")
        let result = runCLI(["report", "-", "-o", out], stdin: "workflow \"x\" {\n stage a {\n owner nobody\n }\n}\n")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("unknown-reference"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite struct ReportRobustnessTests {
    /// Every corpus file, valid or not, gives a page whose every SVG parses, without a trap.
    @Test func everyCorpusFileRenders() throws {
        var rendered = 0
        for path in try corpusFiles() + Files.flowFiles([repositoryRoot + "/examples"]) {
            let bytes = try Files.read(path)
            let result = Checker.check(SourceFile(path: path, bytes: bytes))
            guard let model = result.model else { continue }
            let values = model.paramValues()
            let doc = ReportBuilder.document(model: model, source: result.source, sourceName: path, values: values,
                                             overrides: [:], start: CivilDate(year: 2026, month: 12, day: 1), startGiven: true)
            let html = HTMLReport.render(doc)
            var rest = html[...]
            while let start = rest.range(of: "<svg "), let end = rest[start.lowerBound...].range(of: "</svg>") {
                #expect(parsesAsXML(String(rest[start.lowerBound..<end.upperBound])), "\(path)")
                rest = rest[end.upperBound...]
            }
            #expect(!html.contains("=\"nan") && !html.contains("=\"-nan") && !html.contains("inf\""), "\(path)")
            rendered += 1
        }
        #expect(rendered > 1)
    }
}
