import Foundation
import Testing
@testable import StagecraftCore

/// `stagecraft history draft`.
@Suite struct HistoryDraftTests {
    /// 100 cases on 2024-03-04 (a Monday), all with the same times:
    /// 60 cases: Register 09–10 (ann), Check 10–12:30 (bob), Approve 13:00 → next day 14:00 (bob), Notify +30m (cy);
    /// 40 cases: Register 09–10 (ann), Approve 10:30 → next day 11:30 (bob), Notify +30m (cy);
    /// case 0 also has one Escalate (1 of 361 events: under 1%, left out).
    static func log() -> String {
        var s = "case_id,activity,start_time,end_time,resource\n"
        for c in 0..<100 {
            s += "c\(c),Register,2024-03-04T09:00:00,2024-03-04T10:00:00,ann\n"
            if c < 60 {
                s += "c\(c),Check,2024-03-04T10:00:00,2024-03-04T12:30:00,bob\n"
                s += "c\(c),Approve,2024-03-04T13:00:00,2024-03-05T14:00:00,bob\n"
                s += "c\(c),Notify,2024-03-05T14:00:00,2024-03-05T14:30:00,cy\n"
            } else {
                s += "c\(c),Approve,2024-03-04T10:30:00,2024-03-05T11:30:00,bob\n"
                s += "c\(c),Notify,2024-03-05T11:30:00,2024-03-05T12:00:00,cy\n"
            }
            if c == 0 { s += "c0,Escalate,2024-03-05T15:00:00,2024-03-05T16:00:00,dan\n" }
        }
        return s
    }

    @Test func draftIsExactlyAsWorkedOut() throws {
        let log = try readLog(Self.log())
        let text = HistoryDraft.draft(log: log, name: "/some/where/runs.csv")
        // Order by median relative position: Register 0, Check 1/3, Approve 2/3 (60×) and 1/2 (40×) → 2/3,
        // Notify 1. Approve follows Check 60 times and Register 40 times → after check.
        // bob does Check 60 and Approve 100 → home Approve; Check's top resource is bob → approve_team.
        // SLAs (p85 of sojourn): Register 1 h → 1h; Check ready 10:00 → 2.5 h → 3h; Approve comes after
        // Check only: ready 12:30 in the 60 cases with Check (25.5 h), the case start 09:00 in the other 40
        // (26.5 h); p85 at 99·0.85 = 84.15 falls among the 26.5 h ones → 2d; Notify 0.5 h → 1h.
        let expected = """
        # Drafted by `stagecraft history draft` from runs.csv: 100 cases, 361 events.
        # Review the order, owners and SLAs (observed p85 of sojourn) before relying on it.
        # Left out (rare activities): Escalate (1)
        workflow "Drafted from runs.csv" {
          owner register_team "Who mostly does Register" {
            capacity 1
            members "ann"
          }
          owner approve_team "Who mostly does Approve" {
            capacity 1
            members "bob"
          }
          owner notify_team "Who mostly does Notify" {
            capacity 1
            members "cy"
          }

          stage register "Register" {
            owner register_team
            sla 1h
            matches "Register"
          }

          stage check "Check" {
            after register
            owner approve_team
            sla 3h
            matches "Check"
          }

          stage approve "Approve" {
            after check
            owner approve_team
            sla 2d
            matches "Approve"
          }

          stage notify "Notify" {
            after approve
            owner notify_team
            sla 1h
            matches "Notify"
          }
        }

        """
        #expect(text == expected)
        let checked = Checker.check(SourceFile(path: "draft.flow", text: text))
        #expect(checked.errorCount == 0)
    }

    @Test func draftWritesAtomicallyAndReplays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagecraft-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let logPath = dir.appendingPathComponent("runs.csv").path
        let flowPath = dir.appendingPathComponent("runs.flow").path
        try Self.log().write(toFile: logPath, atomically: true, encoding: .utf8)
        let out = runCLI(["history", "draft", logPath, "-o", flowPath])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        let written = try String(contentsOfFile: flowPath, encoding: .utf8)
        #expect(written.hasPrefix("# Drafted by"))
        #expect(runCLI(["check", flowPath]).exitCode == 0)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["runs.csv", "runs.flow"])
        // Replaying the draft: everything but Escalate maps; no case breaks the drafted order.
        let replay = runCLI(["replay", flowPath, "--history", logPath, "--format", "json"])
        #expect(replay.exitCode == 0)
        #expect(replay.stdout.contains("\"unmapped_activities\": [\n      {\n        \"activity\": \"Escalate\",\n        \"events\": 1\n      }\n    ]"))
        // Without -o the draft goes to stdout.
        let stdout = runCLI(["history", "draft", logPath])
        #expect(stdout.stdout == written)
    }

    @Test func withoutResourcesOneTeamOwnsEverything() throws {
        let log = try readLog("case,activity,timestamp\n1,Open,2024-01-01T10:00:00\n1,Close,2024-01-01T12:00:00\n")
        let text = HistoryDraft.draft(log: log, name: "x.csv")
        #expect(text.contains("  owner team \"Team\" {\n    capacity 2\n  }\n"))
        // Close: ready at Open's completion 10:00, done 12:00 → 2 h. Open: ready = its own time → 0 → 1h.
        #expect(text.contains("  stage close \"Close\" {\n    after open\n    owner team\n    sla 2h\n"))
        #expect(text.contains("  stage open \"Open\" {\n    owner team\n    sla 1h\n"))
        #expect(Checker.check(SourceFile(path: "x.flow", text: text)).errorCount == 0)
    }

    @Test func endingCollectsEveryOtherDeadEnd() throws {
        // Two branches after Start (A in some cases, B in others), then End: Start → A, Start → B; the
        // last in order (End) comes after A and B, and not after Start (it precedes both).
        var csv = "case,activity,timestamp\n"
        for c in 0..<10 {
            csv += "\(c),Start,2024-01-01T10:00:00\n"
            csv += "\(c),\(c < 5 ? "A" : "B"),2024-01-01T11:00:00\n"
            csv += "\(c),End,2024-01-01T12:00:00\n"
        }
        let text = HistoryDraft.draft(log: try readLog(csv), name: "x.csv")
        #expect(text.contains("  stage end \"End\" {\n    after a, b\n"))
        let result = Checker.check(SourceFile(path: "x.flow", text: text))
        #expect(result.errorCount == 0 && result.warningCount == 0, "\(result.diagnostics.map(\.message))")
    }

    @Test func identifiersAndStrings() {
        var taken = Set<String>()
        #expect(HistoryDraft.identifier("W_Completeren aanvraag", taken: &taken) == "w_completeren_aanvraag")
        #expect(HistoryDraft.identifier("Turning & Milling Q.C.", taken: &taken) == "turning_milling_q_c")
        #expect(HistoryDraft.identifier("Turning  &  Milling  Q.C.", taken: &taken) == "turning_milling_q_c_2")
        #expect(HistoryDraft.identifier("03 Intake", taken: &taken) == "a_03_intake")
        #expect(HistoryDraft.identifier("???", taken: &taken) == "activity")
        #expect(FlowFormatter.quoted("Supplier's \"best\" \\ option") == "\"Supplier's \\\"best\\\" \\\\ option\"")
        #expect(HistoryDraft.slaText(p85: 0) == "1h")
        #expect(HistoryDraft.slaText(p85: 3600) == "1h")
        #expect(HistoryDraft.slaText(p85: 3601) == "2h")
        #expect(HistoryDraft.slaText(p85: 86_400) == "24h")
        #expect(HistoryDraft.slaText(p85: 86_401) == "2d")
    }

    @Test func topThirtyAtMost() throws {
        // 40 activities with equal counts (2.5% each): the 30 first by name are kept.
        var csv = "case,activity,timestamp\n"
        for a in 0..<40 { csv += "1,act\(a < 10 ? "0" : "")\(a),2024-01-01T10:\(a < 10 ? "0" : "")\(a):00\n" }
        let text = HistoryDraft.draft(log: try readLog(csv), name: "x.csv")
        #expect(text.components(separatedBy: "\n  stage ").count - 1 == 30)
        #expect(text.contains("act29") && !text.contains("stage act30"))
        #expect(Checker.check(SourceFile(path: "x.flow", text: text)).errorCount == 0)
    }
}
