import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

/// Forward scheduling, with every date worked out by hand in the comments.
///
/// December 2026: Mon 21, Tue 22, Wed 23, Thu 24, Fri 25, Sat 26, Sun 27, Mon 28,
/// Tue 29, Wed 30, Thu 31; Fri 2027-01-01, Mon 2027-01-04.
@Suite struct ScheduleTests {
    /// Checks the text (it must have no errors) and schedules it from `start`.
    func schedule(_ text: String, start: String = "2026-12-21", overrides: [String: Value] = [:]) throws -> (Schedule, WorkflowModel) {
        let result = Checker.check(SourceFile(path: "t.flow", text: text))
        #expect(result.errorCount == 0, "\(result.diagnostics.map(\.message))")
        let model = try #require(result.model)
        let day = try #require(CivilDate.parse(start))
        let s = try #require(Schedule(model: model, start: day, values: model.paramValues(overrides: overrides), source: result.source))
        return (s, model)
    }

    func entry(_ s: Schedule, _ m: WorkflowModel, _ id: String) throws -> Schedule.Entry {
        s.entries[try #require(m.nodeIndex[id])]
    }

    func date(_ day: Int?) -> String { day.map { CivilDate(dayNumber: $0).description } ?? "-" }

    @Test func businessDaysSkipHolidayAndWeekend() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          deadline 10bd
          calendar {
            holiday 2026-12-25 "Christmas"
            holiday 2027-01-01
          }
          owner pm
          stage a { owner pm; sla 3bd }
          stage b { after a; owner pm; sla 3bd }
        }
        """)
        // a: Mon 21 (1), Tue 22 (2), Wed 23 (3).
        let a = try entry(s, m, "a")
        #expect(date(a.start) == "2026-12-21")
        #expect(date(a.due) == "2026-12-23")
        // b: ready Thu 24 (1); Fri 25 is a holiday, then the weekend; Mon 28 (2), Tue 29 (3).
        let b = try entry(s, m, "b")
        #expect(date(b.ready) == "2026-12-24")
        #expect(date(b.start) == "2026-12-24")
        #expect(date(b.due) == "2026-12-29")
        #expect(date(s.finish) == "2026-12-29")
        // Deadline 10bd from Mon 21: 21, 22, 23, 24, 28, 29, 30, 31 (8), Jan 1 is a
        // holiday, Mon Jan 4 (9), Tue Jan 5 (10).
        #expect(date(s.deadline) == "2027-01-05")
        // Business days after Tue 29 through Tue Jan 5: Wed 30, Thu 31, Mon 4, Tue 5.
        #expect(s.slack == 4)
        #expect(s.slackIsBusiness)
        #expect(s.criticalPath == [0, 1])
        #expect(a.critical && b.critical)
    }

    @Test func lateDeadlineHasNegativeSlackAndElapsedDeadlineCountsCalendarDays() throws {
        let late = try schedule("""
        workflow "w" {
          deadline 4bd
          calendar { holiday 2026-12-25 }
          owner pm
          stage a { owner pm; sla 3bd }
          stage b { after a; owner pm; sla 3bd }
        }
        """).0
        // Deadline: Mon 21 .. Thu 24 (4th business day). Finish Tue 29 (as above).
        // Late by the business days after Thu 24 through Tue 29: Mon 28, Tue 29.
        #expect(date(late.deadline) == "2026-12-24")
        #expect(late.slack == -2)
        let elapsed = try schedule("""
        workflow "w" {
          deadline 2w
          calendar { holiday 2026-12-25 }
          owner pm
          stage a { owner pm; sla 3bd }
          stage b { after a; owner pm; sla 3bd }
        }
        """).0
        // 2w = 14 calendar days counting Mon 21 as day 1: Sun 2027-01-03; 5 days after Tue 29.
        #expect(date(elapsed.deadline) == "2027-01-03")
        #expect(elapsed.slack == 5)
        #expect(!elapsed.slackIsBusiness)
    }

    @Test func capacityOneRunsParallelStagesOneAfterTheOther() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner eng
          stage x { owner eng; sla 2bd }
          stage y { owner eng; sla 2bd }
        }
        """)
        // x: Mon 21, Tue 22. y (declared second) waits for the one unit: Wed 23, Thu 24.
        let x = try entry(s, m, "x"), y = try entry(s, m, "y")
        #expect(date(x.due) == "2026-12-22")
        #expect(date(y.ready) == "2026-12-21")
        #expect(date(y.start) == "2026-12-23")
        #expect(date(y.due) == "2026-12-24")
        #expect(y.capacityWait == 2)
        // y waited for eng, which x held: x drives y and both are critical.
        #expect(y.driver == x.index)
        #expect(s.criticalPath == [x.index, y.index])
    }

    @Test func capacityTwoRunsThemTogether() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner eng { capacity 2 }
          stage x { owner eng; sla 2bd }
          stage y { owner eng; sla 2bd }
        }
        """)
        #expect(date(try entry(s, m, "y").start) == "2026-12-21")
        #expect(try entry(s, m, "y").capacityWait == 0)
        // Both are due Tue 22; the first declared ends the critical path.
        #expect(s.criticalPath == [0])
    }

    @Test func gateTakesTheQuorumOfApproversFreeLongest() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner a
          owner b
          owner c
          stage s1 { owner a; sla 3bd }
          stage s2 { owner b; sla 1bd }
          gate g { approvers a, b, c; quorum 2; sla 1bd }
        }
        """)
        // Mon 21: s1 holds a (to Wed 23), s2 holds b (Mon 21 only); only c is free, the
        // gate needs two. Tue 22: b and c are free; g runs Tue 22 with c (free since
        // kickoff) and b (free since Tue 22); it waited one day, for b, held by s2.
        let g = try entry(s, m, "g")
        #expect(date(g.start) == "2026-12-22")
        #expect(date(g.due) == "2026-12-22")
        #expect(g.capacityWait == 1)
        #expect(g.assignedOwners == [1, 2])
        #expect(g.driver == 1)
        // s1 is due last (Wed 23) and is the whole critical path.
        #expect(s.criticalPath == [0])
        #expect(!g.critical)
    }

    @Test func elapsedDaysRunOverTheWeekend() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner pm
          stage a { owner pm; sla 3d }
          stage b { after a; owner pm; sla 1bd }
          stage c { after b; owner pm; sla 1w }
        }
        """, start: "2026-12-17")
        // a: Thu 17, Fri 18, Sat 19 -> due Sat 19 (calendar days do not skip weekends).
        #expect(date(try entry(s, m, "a").due) == "2026-12-19")
        // b: ready on the next business day, Mon 21; 1bd -> due Mon 21.
        #expect(date(try entry(s, m, "b").ready) == "2026-12-21")
        #expect(date(try entry(s, m, "b").due) == "2026-12-21")
        // c: ready Tue 22; 1w = 7 days: Tue 22 .. Mon 28.
        #expect(date(try entry(s, m, "c").due) == "2026-12-28")
    }

    @Test func hoursAndMinutesRoundUpToWholeDays() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner pm { capacity 3 }
          stage h4 { owner pm; sla 4h }
          stage h25 { owner pm; sla 25h }
          stage m30 { owner pm; sla 30m }
        }
        """)
        // 4h -> 1 day: due the day it starts, Mon 21. 25h -> 2 days: Tue 22. 30m -> 1 day.
        #expect(date(try entry(s, m, "h4").due) == "2026-12-21")
        #expect(date(try entry(s, m, "h25").due) == "2026-12-22")
        #expect(date(try entry(s, m, "m30").due) == "2026-12-21")
        #expect(Schedule.wholeDays(Duration(amount: 2.5, unit: .businessDays)) == 3)
        #expect(Schedule.wholeDays(Duration(amount: 24, unit: .hours)) == 1)
        #expect(Schedule.wholeDays(Duration(amount: 0, unit: .days)) == nil)
        #expect(Schedule.wholeDays(Duration(amount: 1e300, unit: .weeks)) == Schedule.maximumDays)
    }

    static let skippable = """
    workflow "w" {
      param flag: bool = false
      owner pm
      stage a { owner pm; sla 2bd }
      stage s { after a; when flag or   false; owner pm; sla 5bd }
      stage c { after s; owner pm; sla 1bd }
    }
    """

    @Test func skippedNodeTakesNoTime() throws {
        let (s, m) = try schedule(Self.skippable)
        // a: Mon 21, Tue 22. s is skipped: ready and done Wed 23. c: ready Wed 23, due Wed 23.
        let sk = try entry(s, m, "s")
        #expect(sk.skipped)
        #expect(sk.skipReason == "flag or false")
        #expect(sk.due == nil)
        #expect(date(sk.ready) == "2026-12-23")
        #expect(date(try entry(s, m, "c").due) == "2026-12-23")
        #expect(s.skippedEntries.map(\.index) == [sk.index])
        #expect(s.plannedEntries.map(\.index) == [0, 2])
        // The critical path runs through the skipped node without marking it.
        #expect(s.criticalPath == [0, 2])
    }

    @Test func setParamRunsTheNode() throws {
        let (s, m) = try schedule(Self.skippable, overrides: ["flag": .bool(true)])
        // s: Wed 23, Thu 24, Fri 25, Mon 28, Tue 29 (no holidays declared). c: Wed 30.
        #expect(!(try entry(s, m, "s").skipped))
        #expect(date(try entry(s, m, "s").due) == "2026-12-29")
        #expect(date(try entry(s, m, "c").due) == "2026-12-30")
    }

    @Test func unscheduledNodeDoesNotMoveItsSuccessors() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner pm
          stage a { owner pm; sla 2bd }
          stage u { after a; owner pm }  # stagecraft-ignore missing-sla -- test
          stage c { after u; owner pm; sla 1bd }
        }
        """)
        // a: Mon 21, Tue 22. u: ready and started Wed 23, no due date. c: ready Wed 23.
        let u = try entry(s, m, "u")
        #expect(u.unscheduled)
        #expect(u.basis == .none)
        #expect(date(u.start) == "2026-12-23")
        #expect(u.due == nil)
        #expect(!u.critical)
        #expect(date(try entry(s, m, "c").due) == "2026-12-23")
    }

    @Test func estimatesStandInForMissingSLAs() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner pm { capacity 2 }
          stage p { owner pm; estimate 1bd 2bd 4bd }  # stagecraft-ignore missing-sla -- test
          stage r { owner pm; estimate 1bd..4bd }  # stagecraft-ignore missing-sla -- test
        }
        """)
        // PERT: the likely 2bd -> Mon 21, Tue 22. Range: midpoint 2.5bd -> 3 days -> Wed 23.
        #expect(try entry(s, m, "p").basis == .estimate)
        #expect(date(try entry(s, m, "p").due) == "2026-12-22")
        #expect(date(try entry(s, m, "r").due) == "2026-12-23")
    }

    @Test func weekendKickoffStartsBusinessWorkOnMonday() throws {
        let (s, m) = try schedule("""
        workflow "w" {
          owner pm { capacity 2 }
          stage b { owner pm; sla 1bd }
          stage d { owner pm; sla 1d }
        }
        """, start: "2026-12-19")
        // Sat 19 kickoff: the bd stage starts Mon 21 (no capacity wait); the 1d stage runs Sat 19.
        let b = try entry(s, m, "b")
        #expect(date(b.ready) == "2026-12-19")
        #expect(date(b.start) == "2026-12-21")
        #expect(b.capacityWait == 0)
        #expect(date(try entry(s, m, "d").due) == "2026-12-19")
    }

    @Test func cyclicGraphHasNoSchedule() throws {
        let result = Checker.check(SourceFile(path: "t.flow", text: """
        workflow "w" {
          owner pm
          stage a { after b; owner pm; sla 1bd }
          stage b { after a; owner pm; sla 1bd }
        }
        """))
        let model = try #require(result.model)
        #expect(Schedule(model: model, start: CivilDate(year: 2026, month: 12, day: 21)) == nil)
    }

    @Test func gaLaunchSchedulesAroundTheHolidays() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/workflows/ga-launch.flow", encoding: .utf8)
        let (s, m) = try schedule(text)
        let holidays: Set<String> = ["2026-11-26", "2026-12-24", "2026-12-25", "2027-01-01"]
        var checked = 0
        for e in s.plannedEntries where e.isBusiness {
            for day in [e.start] + (e.due.map { [$0] } ?? []) {
                let d = CivilDate(dayNumber: day)
                #expect(d.weekday < 5, "\(m.nodes[e.index].id.name) on a weekend: \(d)")
                #expect(!holidays.contains(d.description), "\(m.nodes[e.index].id.name) on a holiday: \(d)")
                checked += 1
            }
        }
        #expect(checked >= 20)
        // prd, 5bd: Mon 21, Tue 22, Wed 23, (Thu 24, Fri 25 holidays, weekend), Mon 28, Tue 29.
        #expect(date(try entry(s, m, "prd").due) == "2026-12-29")
        // design_spec, 8bd from Wed 30: 30, 31, (Jan 1 holiday, weekend), Jan 4, 5, 6, 7, 8, 11.
        #expect(date(try entry(s, m, "design_spec").start) == "2026-12-30")
        #expect(date(try entry(s, m, "design_spec").due) == "2027-01-11")
        // tech_design, 5bd from Wed 30: 30, 31, 4, 5, 6.
        #expect(date(try entry(s, m, "tech_design").due) == "2027-01-06")
        // design_review, 2bd from Tue Jan 12: 12, 13.
        #expect(date(try entry(s, m, "design_review").due) == "2027-01-13")
        // Default params (tier T2, no PII, 10,000 users, not paid): three are skipped, listed in
        // dependency order (ties by declaration order).
        #expect(s.skippedEntries.map { m.nodes[$0.index].id.name } == ["privacy_review", "load_test", "pricing_terms"])
        #expect(s.criticalPath.first == m.nodeIndex["prd"])
        #expect(s.criticalPath.last == m.nodeIndex["launch_complete"])
    }
}
