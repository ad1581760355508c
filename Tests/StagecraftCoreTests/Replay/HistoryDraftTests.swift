import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftAnalysis

/// `stagecraft history draft`: the precedence miner on small logs made for each structure.
@Suite struct HistoryDraftTests {
    /// A CSV of interval rows `(case, activity, start hour, end hour, resource)` on 2024-03-04.
    static func csv(_ rows: [(String, String, Double, Double, String)]) -> String {
        func time(_ h: Double) -> String {
            let minutes = Int((h * 60).rounded())
            let d = 4 + minutes / 1440
            let m = minutes % 1440
            return String(format: "2024-03-%02dT%02d:%02d:00", d, m / 60, m % 60)
        }
        return "case_id,activity,start_time,end_time,resource\n"
            + rows.map { "\($0.0),\($0.1),\(time($0.2)),\(time($0.3)),\($0.4)" }.joined(separator: "\n") + "\n"
    }

    static func plan(_ text: String, _ options: DraftOptions = DraftOptions()) throws -> (HistoryDraft.Plan, [String: Int]) {
        let plan = HistoryDraft.Plan(log: try readLog(text), options: options)
        return (plan, Dictionary(uniqueKeysWithValues: plan.ids.enumerated().map { ($1, $0) }))
    }

    /// Every draft checks clean (strict), is in fmt layout and replays on its log.
    static func assertClean(_ text: String, _ log: EventLog) throws -> ReplayResult {
        let checked = Checker.check(SourceFile(path: "d.flow", text: text))
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics.map(\.message))")
        #expect(FlowFormatter.format(SourceFile(path: "d.flow", text: text)).formatted == text)
        let model = try #require(checked.model)
        return Replay.run(model: model, log: log)
    }

    /// XOR: Register, then Check (6 cases) or Escalate (4), then Close; the whole draft as text.
    @Test func exclusiveChoiceIsAVaryingParam() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Register", 9, 10, "ann"))
            rows.append(("c\(c)", c < 6 ? "Check" : "Escalate", 12, 13, "bob"))
            rows.append(("c\(c)", "Close", 15, 16, "cy"))
        }
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "/x/xor.csv")
        // Check and Escalate never meet in a case and both come after Register: a param with their
        // shares (60/40) guards them. Close comes after both; Register → Close is implied.
        // wait: Check is ready at 10 (Register done) and starts at 12 → 2 h in every case; Register
        // starts the case (no wait). SLA: p85 of sojourn, 3 h (ready 10 → done 13). Capacity: all ten
        // cases run at the same hours, so each owner has 10 items in progress at once.
        let expected = """
        # Drafted by `stagecraft history draft` from xor.csv: 10 cases, 30 events, 2024-03-04 to 2024-03-04.
        # Discovery: precedence miner (docs/discovery.md): nodes in at least 1% of cases, `after`
        # edges broken in at most 5% of the cases holding both nodes.
        # SLA: p85 of each node's sojourn (ready -> done) in this log; wait and estimate: p10, median, p90.
        # Replayed against this log, the draft conforms for 100% of its cases (10 of 10).
        workflow "Drafted from xor.csv" {
          param route_after_register: string = "check" {
            "check" 60%
            "escalate" 40%
          }

          owner register_team "Who mostly does Register" {
            capacity 10
            members "ann"
          }

          owner check_team "Who mostly does Check" {
            capacity 10
            members "bob"
          }

          owner close_team "Who mostly does Close" {
            capacity 10
            members "cy"
          }

          stage register "Register" {
            owner register_team
            estimate 1h..1h
            sla 1h
            matches "Register"
          }

          stage check "Check" {
            after register
            when route_after_register == "check"
            owner check_team
            wait 2h
            estimate 1h..1h
            sla 3h
            matches "Check"
          }

          stage escalate "Escalate" {
            after register
            when route_after_register == "escalate"
            owner check_team
            wait 2h
            estimate 1h..1h
            sla 3h
            matches "Escalate"
          }

          stage close "Close" {
            after check, escalate
            owner close_team
            wait 2h
            estimate 1h..1h
            sla 3h
            matches "Close"
          }
        }

        """
        #expect(text == expected)
        let r = try Self.assertClean(text, log)
        #expect(r.conformingCases == 10)
    }

    /// Optional node: Review in 3 of 10 cases between Open and Close → `chance 30%`, not required.
    @Test func optionalNodeGetsChance() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Open", 9, 10, "ann"))
            if c < 3 { rows.append(("c\(c)", "Review", 11, 12, "bob")) }
            rows.append(("c\(c)", "Close", 13, 14, "ann"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows))
        #expect(plan.ids == ["open", "review", "close"])
        #expect(plan.after == [[], [0], [1]])
        #expect(plan.chance[id["review"]!] == 0.3 && plan.chance[id["open"]!] == nil && plan.chance[id["close"]!] == nil)
        #expect(plan.params.isEmpty)
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "opt.csv")
        #expect(text.contains("  stage review \"Review\" {\n    after open\n    chance 30%\n"))
        // The 7 cases without Review are not missing a required node.
        #expect(try Self.assertClean(text, log).conformingCases == 10)
    }

    /// Two optional nodes that run in the same 4 of 10 cases share one decision (a bool param).
    @Test func nodesRunningTogetherShareABoolParam() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Order", 9, 10, "ann"))
            if c < 4 {
                rows.append(("c\(c)", "Quote", 11, 12, "bob"))
                rows.append(("c\(c)", "Compare", 13, 14, "bob"))
            }
            rows.append(("c\(c)", "Pay", 15, 16, "ann"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows))
        #expect(plan.params.count == 1 && plan.params[0].name == "runs_quote" && plan.params[0].isBool)
        #expect(plan.params[0].values.map(\.value) == ["false", "true"] && plan.params[0].values.map(\.percent) == [60, 40])
        #expect(plan.branch[id["quote"]!]?.param == 0 && plan.branch[id["compare"]!]?.param == 0)
        #expect(plan.chance.allSatisfy { $0 == nil })
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "together.csv")
        #expect(text.contains("  param runs_quote: bool = false {\n    false 60%\n    true 40%\n  }\n"))
        #expect(text.contains("  stage compare \"Compare\" {\n    after quote\n    when runs_quote\n"))
        #expect(try Self.assertClean(text, log).conformingCases == 10)
    }

    /// Replay: a node with `chance` is optional, like one with `when`; without either it is required.
    @Test func chanceMakesANodeOptionalInReplay() throws {
        let csv = "case,activity,timestamp\n1,A,2024-01-01T10:00:00\n1,C,2024-01-01T11:00:00\n"
        func conforming(_ b: String) throws -> Int {
            let flow = """
            workflow "w" {
              owner o
              stage a { owner o; sla 1h }
              stage b { after a; owner o; sla 1h\(b) }
              stage c { after b; owner o; sla 1h }
            }
            """
            let model = try #require(Checker.check(SourceFile(path: "w.flow", text: flow)).model)
            return Replay.run(model: model, log: try readLog(csv)).conformingCases
        }
        #expect(try conforming("; chance 30%") == 1)
        #expect(try conforming("") == 0)
    }

    /// Loop: Draft, Review, (Draft, Review again in 4 cases), Publish → Review is a gate sending
    /// work back to Draft; 4 of Review's 14 runs were followed by Draft again → reject 29%.
    @Test func repeatsBecomeAReworkRoute() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Draft", 9, 10, "ann"))
            rows.append(("c\(c)", "Review", 10, 11, "bob"))
            if c < 4 {
                rows.append(("c\(c)", "Draft", 11, 12, "ann"))
                rows.append(("c\(c)", "Review", 12, 13, "bob"))
            }
            rows.append(("c\(c)", "Publish", 14, 15, "cy"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows))
        #expect(plan.ids == ["draft", "review", "publish"])
        #expect(plan.after == [[], [0], [1]])
        #expect(plan.reworkTarget == [nil, id["draft"], nil])
        #expect(abs(plan.rejectShare[id["review"]!] - 4.0 / 14) < 1e-12)
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "loop.csv")
        #expect(text.contains("""
          gate review "Review" {
            after draft
            approvers review_team
            quorum 1
            reject 29%
            on reject -> draft
        """))
        let r = try Self.assertClean(text, log)
        #expect(r.conformingCases == 10)
        #expect(r.violations.allSatisfy { $0.count == 0 })
    }

    /// Parallel: Build and Docs overlap, or come in either order, after Plan; Ship after both.
    @Test func overlappingOrBothOrdersStayParallel() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Plan", 8, 9, "ann"))
            switch c % 3 {
            case 0:  // overlapping
                rows.append(("c\(c)", "Build", 9, 12, "bob"))
                rows.append(("c\(c)", "Docs", 10, 11, "cy"))
            case 1:  // Build first
                rows.append(("c\(c)", "Build", 9, 10, "bob"))
                rows.append(("c\(c)", "Docs", 10, 11, "cy"))
            default:  // Docs first
                rows.append(("c\(c)", "Docs", 9, 10, "cy"))
                rows.append(("c\(c)", "Build", 10, 11, "bob"))
            }
            rows.append(("c\(c)", "Ship", 12, 13, "ann"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows))
        let build = id["build"]!, docs = id["docs"]!, ship = id["ship"]!
        #expect(plan.after[build] == [id["plan"]!] && plan.after[docs] == [id["plan"]!])
        #expect(plan.after[ship] == [build, docs].sorted())
        #expect(plan.params.isEmpty && plan.chance.allSatisfy { $0 == nil })
        let log = try readLog(Self.csv(rows))
        #expect(try Self.assertClean(HistoryDraft.draft(log: log, name: "par.csv"), log).conformingCases == 10)
    }

    /// Two endings: after Apply, a case is Approved (7) or Declined (3); no join into one ending,
    /// and the `multiple-endings` warning is suppressed with the reason.
    @Test func alternativeEndingsStayAlternatives() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Apply", 9, 10, "ann"))
            rows.append(("c\(c)", c < 7 ? "Approve" : "Decline", 11, 12, "bob"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows))
        #expect(plan.after[id["approve"]!] == [id["apply"]!] && plan.after[id["decline"]!] == [id["apply"]!])
        #expect(plan.params.count == 1)
        #expect(plan.params[0].name == "route_after_apply")
        #expect(plan.params[0].values.map(\.value) == ["approve", "decline"])
        #expect(plan.params[0].values.map(\.percent) == [70, 30])
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "end.csv")
        #expect(text.contains("  # stagecraft-ignore multiple-endings -- the log's cases end in different ways\n  stage decline"))
        #expect(try Self.assertClean(text, log).conformingCases == 10)
    }

    /// Starts come from what cases start with: a rare activity before the usual start does not
    /// become the start; an edge seen in fewer than `minCaseShare` of cases is not drafted.
    @Test func rareOrderIsNoEdge() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<200 {
            if c == 0 { rows.append(("c0", "Queue", 8, 8.5, "ann")) }
            rows.append(("c\(c)", "Accept", 9, 10, "ann"))
            rows.append(("c\(c)", "Done", 11, 12, "ann"))
        }
        let (plan, id) = try Self.plan(Self.csv(rows), { var o = DraftOptions(); o.minCaseShare = 0.005; return o }())
        // Queue is in 1 of 200 cases (0.5%, kept at a 0.5% threshold); Queue → Accept is seen in 1 case,
        // at least 0.5% of 200 = 1: drafted; at the default 1% Queue is left out altogether.
        #expect(plan.after[id["accept"]!] == [id["queue"]!])
        let (defaults, _) = try Self.plan(Self.csv(rows))
        #expect(defaults.ids == ["accept", "done"] && defaults.leftOut.map(\.name) == ["Queue"])
    }

    @Test func draftWritesAtomicallyAndReplays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagecraft-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let logPath = dir.appendingPathComponent("runs.csv").path
        let flowPath = dir.appendingPathComponent("runs.flow").path
        var rows: [(String, String, Double, Double, String)] = []
        for c in 0..<10 {
            rows.append(("c\(c)", "Open", 9, 10, "ann"))
            rows.append(("c\(c)", "Close", 11, 12, "bob"))
        }
        try Self.csv(rows).write(toFile: logPath, atomically: true, encoding: .utf8)
        let out = runCLI(["history", "draft", logPath, "-o", flowPath, "--sla-percentile", "p95", "--min-case-share", "2%"])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        let written = try String(contentsOfFile: flowPath, encoding: .utf8)
        #expect(written.contains("# SLA: p95 of each node's sojourn"))
        #expect(written.contains("nodes in at least 2% of cases"))
        #expect(runCLI(["check", "--strict", flowPath]).exitCode == 0)
        #expect(runCLI(["fmt", "--check", flowPath]).exitCode == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["runs.csv", "runs.flow"])
        let bad = runCLI(["history", "draft", logPath, "--max-disorder", "150%"])
        #expect(bad.exitCode == 2 && bad.stderr.contains("--max-disorder needs a share"))
    }

    /// Issue 16: "Review_2", "review 2" and "REVIEW-2" are one activity to the matcher; the
    /// draft made three stages of them and its own log then replayed with two never seen.
    @Test func spellingsOfOneActivityAreOneStage() throws {
        var rows: [(String, String, Double, Double, String)] = []
        for (c, spelling) in ["Review_2", "review 2", "REVIEW-2", "review 2"].enumerated() {
            rows.append(("c\(c)", "Open", 9, 10, "ann"))
            rows.append(("c\(c)", spelling, 11, 12, "bob"))
            rows.append(("c\(c)", "Close", 13, 14, "ann"))
        }
        let log = try readLog(Self.csv(rows))
        let text = HistoryDraft.draft(log: log, name: "spellings.csv")
        #expect(text.contains("# 'review 2' is one activity spelled 3 ways (names compare ignoring case, spaces, _ and -): "
            + "'review 2' (2 events), 'REVIEW-2' (1 event), 'Review_2' (1 event).\n"))
        let replay = try Self.assertClean(text, log)
        #expect(replay.stages.map(\.id) == ["open", "review_2", "close"])
        #expect(replay.stages.map(\.count) == [4, 4, 4])
        #expect(replay.conformingCases == 4 && replay.caseCount == 4)
        #expect(text.contains("  stage review_2 \"review 2\" {\n    after open\n"))
        #expect(text.contains("    matches \"review 2\"\n"))
    }

    /// Issue 16: an activity with only start events (never completed) was drafted as a stage
    /// that replay then reported as never seen.
    @Test func anActivityThatOnlyStartsIsNoStage() throws {
        var text = "case_id,activity,lifecycle:transition,time:timestamp\n"
        for c in 1...3 {
            text += "c\(c),Open,complete,2024-01-0\(c)T09:00:00\nc\(c),Audit,start,2024-01-0\(c)T09:30:00\n"
                + "c\(c),Close,complete,2024-01-0\(c)T11:00:00\n"
        }
        let log = try readLog(text)
        let draft = HistoryDraft.draft(log: log, name: "starts.csv")
        #expect(!draft.contains("Audit"), "\(draft)")
        let replay = try Self.assertClean(draft, log)
        #expect(replay.stages.map(\.id) == ["open", "close"])
        #expect(replay.conformingCases == 3)
    }

    /// Issue 16: a log spanning more than 10,000 days drafted "sla 10957d", which check
    /// rejects; what the draft derives is clamped to what check accepts.
    @Test func aLogSpanningDecadesDraftsAFileThatChecks() throws {
        let text = "case_id,activity,end_time\nc1,Open,1990-01-01T09:00:00\nc1,Close,2024-01-01T11:00:00\n"
            + "c2,Open,1990-01-02T09:00:00\nc2,Close,2024-01-02T11:00:00\n"
        let log = try readLog(text)
        let draft = HistoryDraft.draft(log: log, name: "decades.csv")
        #expect(draft.contains("    sla 10000d\n"), "\(draft)")
        _ = try Self.assertClean(draft, log)
    }

    @Test func withoutResourcesOneTeamOwnsEverything() throws {
        let log = try readLog("case,activity,timestamp\n1,Open,2024-01-01T10:00:00\n1,Close,2024-01-01T12:00:00\n")
        let text = HistoryDraft.draft(log: log, name: "x.csv")
        #expect(text.contains("  owner team \"Team\" {\n    capacity 1\n  }\n"))
        // Only completions: Close is ready when Open is done (10:00) and done at 12:00: the 2 h stand
        // for its wait, and its SLA.
        #expect(text.contains("  stage close \"Close\" {\n    after open\n    owner team\n    wait 2h\n    sla 2h\n"))
        _ = try Self.assertClean(text, log)
    }

    @Test func leadTimeIsDividedOnce() {
        // A 0–1 h, idle 1–2 h, B 2–4 h, C 3–5 h (overlapping B 3–4 h), U (unmapped) 5–6 h.
        // A 1; the idle hour goes to B, which starts next; B alone 2–3, shares 3–4 with C (½ each);
        // C alone 4–5; U's hour is dropped. A 1, B 2.5, C 1.5 of the 6 h.
        let h = 3600.0
        let occs = [
            Occurrence(activity: 0, resource: nil, start: 0, end: h, line: 1),
            Occurrence(activity: 1, resource: nil, start: 2 * h, end: 4 * h, line: 2),
            Occurrence(activity: 2, resource: nil, start: 3 * h, end: 5 * h, line: 3),
            Occurrence(activity: 3, resource: nil, start: 5 * h, end: 6 * h, line: 4),
        ]
        var share = [0.0, 0, 0]
        var attribution = LeadTimeAttribution()
        attribution.attribute(occs, node: { $0.activity < 3 ? $0.activity : nil }, into: &share)
        #expect(share == [1 * h, 2.5 * h, 1.5 * h])
        // Instants only: each gap goes to the instant ending it.
        share = [0, 0, 0]
        attribution.attribute([
            Occurrence(activity: 0, resource: nil, start: nil, end: 0, line: 1),
            Occurrence(activity: 1, resource: nil, start: nil, end: 2 * h, line: 2),
            Occurrence(activity: 2, resource: nil, start: nil, end: 5 * h, line: 3),
        ], node: { $0.activity }, into: &share)
        #expect(share == [0, 2 * h, 3 * h])
    }

    @Test func identifiersDurationsAndShares() {
        var taken = Set<String>()
        #expect(HistoryDraft.identifier("W_Completeren aanvraag", taken: &taken) == "w_completeren_aanvraag")
        #expect(HistoryDraft.identifier("Turning & Milling Q.C.", taken: &taken) == "turning_milling_q_c")
        #expect(HistoryDraft.identifier("Turning  &  Milling  Q.C.", taken: &taken) == "turning_milling_q_c_2")
        #expect(HistoryDraft.identifier("03 Intake", taken: &taken) == "a_03_intake")
        #expect(HistoryDraft.identifier("???", taken: &taken) == "activity")
        #expect(HistoryDraft.slaText(p85: 0) == "1h")
        #expect(HistoryDraft.slaText(p85: 3601) == "2h")
        #expect(HistoryDraft.slaText(p85: 86_401) == "2d")
        #expect(HistoryDraft.slaText(p85: 1e12) == "10000d")
        #expect(HistoryDraft.durationText(10) == "1m")
        #expect(HistoryDraft.durationText(90 * 60) == "2h")
        #expect(HistoryDraft.durationText(1e12) == "10000d")
        #expect(HistoryDraft.percentages([1, 1, 1], total: 3) == [34, 33, 33])
        #expect(HistoryDraft.percentages([999, 1], total: 1000) == [99, 1])
        #expect(HistoryDraft.threePoint([0, 0, 0]) == nil)
        #expect(HistoryDraft.threePoint([600, 3600, 7200]) == "20m 1h 2h")
    }
}
