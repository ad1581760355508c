import Foundation
import Testing
@testable import StagecraftSimulation
@testable import StagecraftOutput
@testable import StagecraftCLI

/// `stagecraft checklist`: golden files for every format, plus the behaviour behind them.
///
/// The fixture `Fixtures/checklist/cafe-launch.flow` from Mon 2026-12-21 (holidays Fri
/// 2026-12-25 and Fri 2027-01-01), worked out by hand:
/// - brief 3bd: Mon 21, Tue 22, Wed 23.                                   (critical)
/// - api 3bd, ready Thu 24: Thu 24, [Fri 25 holiday, weekend], Mon 28, Tue 29. (critical)
/// - ui 2bd, ready Thu 24, but eng (capacity 1) is busy with api through Tue 29:
///   Wed 30, Thu 31; waits 6 days; its driver is api.                      (critical)
/// - translations 4h = 1 day: Thu 24 (calendar days); successors ready Mon 28.
/// - press, no SLA, estimate 1bd 2bd 3bd -> 2bd: Thu 24, Mon 28.
/// - review 1bd, ready after ui on the next business day: [Jan 1 holiday, weekend]
///   Mon Jan 4; quorum 2 of legal, sec, pm: legal and sec (free since kickoff).  (critical)
/// - beta_test: `when beta or region == "EU"` is false: skipped, done Tue Jan 5.
/// - launch 2d, ready Tue Jan 5: Tue 5, Wed 6.                               (critical)
/// - retro: no SLA or estimate: unscheduled, starts Thu Jan 7.
/// - Deadline 12bd: Dec 21, 22, 23, 24, 28, 29, 30, 31, Jan 4, 5, 6, 7 -> Thu Jan 7;
///   slack: one business day (Thu Jan 7) after the finish, Wed Jan 6.
@Suite struct ChecklistTests {
    static let fixture = repositoryRoot + "/Tests/StagecraftCoreTests/Fixtures/checklist/cafe-launch.flow"
    static let golden = repositoryRoot + "/Tests/StagecraftCoreTests/Golden/checklist/"

    func run(_ format: String, _ extra: [String] = []) -> CommandOutput {
        runCLI(["checklist", Self.fixture, "--start", "2026-12-21", "--format", format] + extra)
    }

    func golden(_ name: String) throws -> String {
        let data = try #require(FileManager.default.contents(atPath: Self.golden + name))
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [("markdown", "cafe-launch.md"), ("json", "cafe-launch.json"),
                      ("csv", "cafe-launch.csv"), ("ics", "cafe-launch.ics")])
    func goldenOutput(format: String, file: String) throws {
        let out = run(format)
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        let expected = try golden(file)
        #expect(out.stdout == expected)
        if out.stdout != expected {
            // Show the first differing line to make a failure readable.
            let a = out.stdout.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
            if let k = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("line \(k + 1): got \(a[k].debugDescription), want \(b[k].debugDescription)")
            }
        }
    }

    @Test func markdownIsDefaultAndHasTheHandComputedDates() {
        let out = runCLI(["checklist", Self.fixture, "--start", "2026-12-21"])
        #expect(out.exitCode == 0)
        let md = out.stdout
        #expect(md.hasPrefix("# Lancement «Café», v2 — \"Zürich\" edition\n"))
        #expect(md.contains("Kickoff **Mon 2026-12-21** · planned finish **Wed 2027-01-06** · deadline **Thu 2027-01-07** (12bd) · slack **1 business day**"))
        // The 3bd api spans the Christmas holiday and the weekend.
        #expect(md.contains("Planned: Thu 2026-12-24 → Tue 2026-12-29 · SLA 3bd"))
        #expect(md.contains("Planned: Wed 2026-12-30 → Thu 2026-12-31 · SLA 2bd · waits 6 days for a free owner"))
        #expect(md.contains("Planned: Mon 2027-01-04 → Mon 2027-01-04 · SLA 1bd"))
        #expect(md.contains("- [ ] Approved by 2 of: Legal \"counsel\" (`legal`), Sécurité (`sec`), Produkt-Management, Zürich (`pm`)"))
        #expect(md.contains("On reject: back to `api`"))
        #expect(md.contains("## Skipped\n\n- Beta test with 20% of users (`beta_test`): `when beta or region == \"EU\"` is false\n"))
        // Five nodes on the critical path, in order.
        let headings = md.components(separatedBy: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings.count == 9)
        #expect(md.components(separatedBy: "**[critical]**").count - 1 == 5)
        // Every checklist item and approval is a GitHub task-list line.
        let tasks = md.components(separatedBy: "\n").filter { $0.hasPrefix("- [ ] ") }
        #expect(tasks.count == 6)
    }

    @Test func markdownEscapesWhatGitHubWouldInterpret() {
        #expect(ChecklistFormatter.md("a *b* _c_ <d> | e") == "a \\*b\\* \\_c\\_ \\<d> \\| e")
        #expect(ChecklistFormatter.md("# heading") == "\\# heading")
        #expect(ChecklistFormatter.md("- not a list") == "\\- not a list")
        #expect(ChecklistFormatter.md("> not a quote") == "\\> not a quote")
        #expect(ChecklistFormatter.md("12. not a list") == "12\\. not a list")
        #expect(ChecklistFormatter.md("[link](x) `code` $math$ ~strike~ a\\b &amp;") ==
                "\\[link\\](x) \\`code\\` \\$math\\$ \\~strike\\~ a\\\\b \\&amp;")
        #expect(ChecklistFormatter.md("two\nlines\r\n") == "two lines")
        #expect(ChecklistFormatter.md("Größe, naïve — “ok”") == "Größe, naïve — “ok”")
        #expect(ChecklistFormatter.codeSpan("a `b` c") == "``a `b` c``")
        #expect(ChecklistFormatter.codeSpan("`x") == "`` `x ``")
    }

    @Test func jsonKeysAndValues() throws {
        let out = run("json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["format_version"] as? Int == 1)
        #expect(json["workflow"] as? String == "Lancement «Café», v2 — \"Zürich\" edition")
        #expect(json["start"] as? String == "2026-12-21")
        #expect(json["finish"] as? String == "2027-01-06")
        #expect(json["deadline"] as? String == "2027-01-07")
        #expect(json["slack_days"] as? Int == 1)
        #expect(json["critical_path"] as? [String] == ["brief", "api", "ui", "review", "launch"])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["id"] as? String } == ["brief", "api", "ui", "translations", "review", "press", "launch", "retro"])
        let review = try #require(nodes.first { $0["id"] as? String == "review" })
        #expect(review["approvers"] as? [String] == ["legal", "sec", "pm"])
        #expect(review["quorum"] as? Int == 2)
        #expect(review["owner"] == nil)
        #expect(review["rework_to"] as? String == "api")
        let items = try #require(review["items"] as? [[String: String]])
        #expect(items == [["text": "Terms reviewed", "owner": "legal"]])
        let retro = try #require(nodes.first { $0["id"] as? String == "retro" })
        #expect(retro["unscheduled"] as? Bool == true)
        #expect(retro["start"] is NSNull)
        #expect(retro["due"] is NSNull)
        let brief = try #require(nodes.first { $0["id"] as? String == "brief" })
        #expect(brief["owner"] as? String == "pm")
        #expect(brief["sla_s"] as? Int == 259_200)
        #expect(brief["critical"] as? Bool == true)
        let skipped = try #require(json["skipped"] as? [[String: String]])
        #expect(skipped == [["id": "beta_test", "title": "Beta test with 20% of users", "reason": "beta or region == \"EU\""]])
    }

    /// A small RFC 4180 reader, to check the CSV round-trips.
    func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r" && chars.first == "\n" { chars.removeFirst(); row.append(field); rows.append(row); row = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        return rows
    }

    @Test func csvQuotesAndRoundTrips() {
        let out = run("csv").stdout
        #expect(out.hasPrefix("node,kind,title,owner,start,due,item,critical\r\n"))
        #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let rows = parseCSV(out)
        #expect(rows.allSatisfy { $0.count == 8 })
        // 8 planned nodes + 6 checklist items (the skipped node is left out).
        #expect(rows.count == 1 + 8 + 5)
        #expect(rows[1] == ["brief", "stage", "Brief, scope & \"success\" metrics", "pm", "2026-12-21", "2026-12-23", "", "true"])
        #expect(rows.contains(["review", "gate", "Review: legal, security", "legal; sec; pm", "2027-01-04", "2027-01-04", "", "true"]))
        #expect(rows.contains(["retro", "stage", "Retro", "pm", "", "", "", "false"]))
        #expect(SimulatedEventLog.csvField("a\nb") == "\"a\nb\"")
        #expect(SimulatedEventLog.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SimulatedEventLog.csvField("plain; text") == "plain; text")
    }

    @Test func icsIsFoldedEscapedAndStable() throws {
        let out = run("ics").stdout
        #expect(out.hasSuffix("END:VCALENDAR\r\n"))
        let lines = out.components(separatedBy: "\r\n").dropLast()
        #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in lines { #expect(line.utf8.count <= 75, "\(line)") }
        // Unfolding restores the content lines.
        let unfolded = out.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == 7)  // 8 planned nodes, retro has no due date
        #expect(unfolded.contains("SUMMARY:Due: Build the API — Größe\\, naïve façade\\, and a title long enough to fold [critical]"))
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20261229"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20261230"))
        // New Year: an event due Thu Dec 31 ends on Jan 1 (DTEND is exclusive).
        #expect(unfolded.contains("DTEND;VALUE=DATE:20270101"))
        #expect(unfolded.filter { $0.hasPrefix("DTSTAMP:") }.allSatisfy { $0 == "DTSTAMP:20261221T000000Z" })
        #expect(unfolded.contains { $0.hasPrefix("DESCRIPTION:") && $0.contains("200ms> | p95\\; logs kept \\\\ rotated (eng)") })
        // UIDs: node ID and the FNV-1a hash of the title, the same on every run.
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        let hash = FNV1a.hex64("Lancement «Café», v2 — \"Zürich\" edition")
        #expect(unfolded.contains("UID:brief-\(hash)@stagecraft"))
        #expect(run("ics").stdout == out)
    }

    @Test func foldingNeverSplitsUTF8() {
        // 74 ASCII bytes then a 2-byte "é": the first line may hold 75 octets, so the "é"
        // (bytes 75 and 76) moves to the next line whole.
        let line = String(repeating: "a", count: 74) + "é" + String(repeating: "ü", count: 60)
        let folded = ChecklistFormatter.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts[0] == String(repeating: "a", count: 74))
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.utf8.count <= 75 })
        #expect(parts[1] == " é" + String(repeating: "ü", count: 36))
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(ChecklistFormatter.fold("short") == "short")
        #expect(ChecklistFormatter.icsText("a\\b;c,d\ne\r\nf\u{7}") == "a\\\\b\\;c\\,d\\ne\\nf")
    }

    @Test func setParamChangesThePlan() {
        let out = run("markdown", ["--set", "beta=true"])
        #expect(out.exitCode == 0)
        // beta_test runs: ready Tue Jan 5, 5bd -> Tue 5, Wed 6, Thu 7, Fri 8, Mon 11.
        // launch: ready Tue Jan 12, 2d -> Tue 12, Wed 13. The deadline is Thu Jan 7:
        // late by the business days Fri 8, Mon 11, Tue 12, Wed 13.
        #expect(out.stdout.contains("Planned: Tue 2027-01-05 → Mon 2027-01-11 · SLA 5bd"))
        #expect(out.stdout.contains("Planned: Tue 2027-01-12 → Wed 2027-01-13 · SLA 2d"))
        #expect(out.stdout.contains("**late by 4 business days**"))
        #expect(!out.stdout.contains("## Skipped"))
        #expect(run("markdown", ["--set", "region=EU"]).stdout.contains("Mon 2027-01-11 · SLA 5bd"))
    }

    @Test func usageErrorsExitTwo() {
        let missingStart = runCLI(["checklist", Self.fixture])
        #expect(missingStart.exitCode == 2)
        #expect(missingStart.stderr.contains("--start"))
        #expect(runCLI(["checklist", Self.fixture, "--start", "2026-13-01"]).exitCode == 2)
        #expect(runCLI(["checklist", Self.fixture, "--start", "21/12/2026"]).exitCode == 2)
        // The same years as simulate and report.
        let early = runCLI(["checklist", Self.fixture, "--start", "0001-01-01"])
        #expect(early.exitCode == 2)
        #expect(early.stderr.contains("--start takes a date from 1900-01-01 to 9999-12-31, not '0001-01-01'"))
        #expect(runCLI(["checklist", Self.fixture, "--start", "1900-01-01"]).exitCode == 0)
        #expect(runCLI(["checklist", "--start", "2026-12-21"]).exitCode == 2)
        #expect(run("xml").exitCode == 2)
        let unknown = run("markdown", ["--set", "regoin=EU"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("unknown param 'regoin'"))
        #expect(unknown.stderr.contains("did you mean 'region'?"))
        let wrongType = run("markdown", ["--set", "beta=yes"])
        #expect(wrongType.exitCode == 2)
        #expect(wrongType.stderr.contains("param 'beta' is a bool"))
        #expect(run("markdown", ["--set", "beta"]).exitCode == 2)
        #expect(runCLI(["checklist", "/no/such.flow", "--start", "2026-12-21"]).exitCode == 2)
        #expect(runCLI(["help", "checklist"]).stdout.contains("--start DATE"))
    }

    @Test func fileWithErrorsPrintsDiagnosticsAndExitsOne() {
        let out = runCLI(["checklist", "-", "--start", "2026-12-21"],
                         stdin: "workflow \"x\" {\n  owner pm\n  stage a { owner pmm; sla 1bd }\n}\n")
        #expect(out.exitCode == 1)
        #expect(out.stdout == "")
        #expect(out.stderr.contains("<stdin>:3:19: error: unknown owner 'pmm' [unknown-reference]"))
        #expect(!out.stderr.contains("warning:"))  // only the errors are printed
    }

    @Test func gaLaunchAcceptance() {
        let out = runCLI(["checklist", repositoryRoot + "/workflows/ga-launch.flow", "--start", "2026-12-21", "--format", "markdown"])
        #expect(out.exitCode == 0)
        let planned = out.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("Planned: ") }
        #expect(planned.count == 17)  // 20 nodes, 3 skipped by the default params
        // Every node of ga-launch.flow has a bd SLA: no date may be a weekend or a holiday.
        for line in planned {
            for bad in ["Sat ", "Sun ", "2026-12-24", "2026-12-25", "2027-01-01"] {
                #expect(!line.contains(bad), "\(line)")
            }
        }
        // prd 5bd: Mon 21, Tue 22, Wed 23, [Thu 24, Fri 25 holidays, weekend], Mon 28, Tue 29.
        #expect(planned.first == "Planned: Mon 2026-12-21 → Tue 2026-12-29 · SLA 5bd")
        // 55bd deadline: Wed 2027-03-10; finish Thu 2027-02-18; 14 business days between.
        #expect(out.stdout.contains("planned finish **Thu 2027-02-18** · deadline **Wed 2027-03-10** (55bd) · slack **14 business days**"))
        #expect(out.stdout.contains("- [ ] Problem statement and target customers (`pm`)\n"))
    }

    @Test func everyCorpusFileAndShippedWorkflowRunsWithoutCrashing() throws {
        let files = corpusFiles() + (try Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"]))
        #expect(files.count > 10)
        for file in files {
            for format in ChecklistCommand.formats {
                let out = runCLI(["checklist", file, "--start", "2027-02-27", "--format", format])
                #expect(out.exitCode == 0 || out.exitCode == 1, "\(file) \(format): \(out.stderr)")
                #expect((out.exitCode == 0) == !out.stdout.isEmpty)
            }
        }
    }
}
