import Foundation
import Testing
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// Case attributes (`HistoryOptions.caseAttributes`): the readers keep the columns, keys and
/// XES trace attributes asked for, one value per case, and nothing else.
@Suite struct CaseAttributeReadingTests {
    var wanted: HistoryOptions {
        var o = HistoryOptions()
        o.caseAttributes = ["deadline", "tier"]
        return o
    }

    @Test func csvKeepsOnlyTheColumnsAskedFor() throws {
        let log = try readLog("""
            case_id,activity,end_time,deadline,case:Tier,notes
            a,x,2026-01-01T00:00:00Z,,gold,n1
            a,y,2026-01-02T00:00:00Z,2026-02-01,gold,n2
            b,x,2026-01-01T00:00:00Z,  2026-03-01T12:00:00Z ,,n3
            """, wanted)
        #expect(log.cases.map(\.id) == ["a", "b"])
        let a = log.cases[0].attributes, b = log.cases[1].attributes
        #expect(a == ["deadline": CaseAttribute(value: "2026-02-01", column: "deadline", line: 3),
                      "tier": CaseAttribute(value: "gold", column: "case:Tier", line: 2)])
        #expect(b == ["deadline": CaseAttribute(value: "2026-03-01T12:00:00Z", column: "deadline", line: 4)])
        // Not asked: nothing kept.
        let plain = try readLog("case_id,activity,end_time,deadline\na,x,2026-01-01T00:00:00Z,2026-02-01\n")
        #expect(plain.cases[0].attributes.isEmpty)
    }

    @Test func aCaseHasOneValuePerAttribute() throws {
        let text = """
            case_id,activity,end_time,deadline
            a,x,2026-01-01T00:00:00Z,2026-02-01
            a,y,2026-01-02T00:00:00Z,2026-02-03
            """
        #expect(throws: HistoryError(file: "test.csv", line: 3, column: "deadline",
                                     message: "case 'a' has deadline '2026-02-03' here but '2026-02-01' on line 2: a case has one deadline")) {
            try readLog(text, wanted)
        }
        var skipping = wanted
        skipping.skipBadRows = true
        let log = try readLog(text, skipping)
        #expect(log.skipped.count == 1)
        #expect(log.cases[0].occurrences.count == 1)
        #expect(log.cases[0].attributes["deadline"]?.value == "2026-02-01")
    }

    @Test func jsonlKeepsKeysAskedForWithNumbersAsText() throws {
        let log = try readLog("""
            {"case": "a", "activity": "x", "timestamp": "2026-01-01T00:00:00Z", "case:deadline": "2026-02-01", "tier": 2, "other": "z"}
            {"case": "a", "activity": "y", "timestamp": "2026-01-02T00:00:00Z", "tier": 2}
            {"case": "b", "activity": "x", "timestamp": "2026-01-01T00:00:00Z", "Tier": "caf\\u00e9"}
            """, name: "t.jsonl", wanted)
        #expect(log.cases[0].attributes == ["deadline": CaseAttribute(value: "2026-02-01", column: "case:deadline", line: 1),
                                            "tier": CaseAttribute(value: "2", column: "tier", line: 1)])
        #expect(log.cases[1].attributes == ["tier": CaseAttribute(value: "café", column: "Tier", line: 3)])
    }

    @Test func xesKeepsTraceAttributesNotEventOnes() throws {
        let log = try readLog("""
            <log>
              <trace>
                <string key="concept:name" value="a"/>
                <date key="deadline" value="2026-02-01T00:00:00.000+01:00"/>
                <event>
                  <string key="concept:name" value="x"/>
                  <string key="tier" value="event-level, ignored"/>
                  <date key="time:timestamp" value="2026-01-01T00:00:00Z"/>
                </event>
              </trace>
              <trace>
                <string key="concept:name" value="b"/>
                <string key="Tier" value="gold &amp; more"/>
                <event><string key="concept:name" value="x"/><date key="time:timestamp" value="2026-01-01T00:00:00Z"/></event>
              </trace>
            </log>
            """, name: "t.xes", wanted)
        #expect(log.cases[0].attributes == ["deadline": CaseAttribute(value: "2026-02-01T00:00:00.000+01:00", column: "deadline", line: 4)])
        #expect(log.cases[1].attributes == ["tier": CaseAttribute(value: "gold & more", column: "Tier", line: 13)])
    }
}

/// `stagecraft status` with case attributes: a case's own deadline and params, computed by hand.
@Suite struct StatusCaseAttributeTests {
    let day = Sim.day
    func instant(_ dd: Int) -> Double { Sim.instant(2026, 1, dd) }

    func read(_ csv: String, model: WorkflowModel) throws -> EventLog {
        var o = HistoryOptions()
        o.caseAttributes = Status.caseAttributeNames(model)
        return try HistoryReader.read(bytes: Array(csv.utf8), name: "h.csv", options: o)
    }

    let flow = """
        workflow "W" {
          deadline 10d
          param fast: bool = false
          owner o { capacity 5 }
          stage a { owner o; estimate 2d..2d }
          stage b { after a; owner o; estimate 3d..3d; when not fast }
          stage c { after b; owner o; estimate 1d..1d }
        }
        """

    @Test func aCaseNamesItsDeadlineAndParams() throws {
        let m = try PlanBuilderTests.model(flow)
        // As of Tue the 6th both have run a for a day. x is fast: b is skipped, c follows a:
        // done on the 8th, a day past its own deadline (the end of the 6th). y runs b: a ends
        // on the 7th, b on the 10th, c on Sunday the 11th, shown as Monday the 12th; its
        // deadline is the workflow's 10 days from the 5th: the end of the 14th.
        let log = try read("""
            case_id,activity,start_time,end_time,deadline,FAST
            x,a,2026-01-05T00:00:00Z,,2026-01-06,true
            y,a,2026-01-05T00:00:00Z,,,
            """, model: m)
        let r = try Status.run(model: m, log: log, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 20))
        let byID = Dictionary(uniqueKeysWithValues: r.cases.map { ($0.id, $0) })
        let x = try #require(byID["x"]), y = try #require(byID["y"])
        #expect(x.nodes.map(\.state) == [.running, .skipped, .notReady])
        #expect(y.nodes.map(\.state) == [.running, .notReady, .notReady])
        #expect(x.deadline == instant(7))
        #expect(x.remainingP85 == 2 * day)
        #expect(x.deadlineProbability == 0)
        #expect(x.expectedSlip == day)
        #expect(y.deadline == instant(15))
        #expect(y.remainingP50 == 5 * day)
        #expect(y.completionP50 == instant(12))
        #expect(y.deadlineProbability == 1)
        #expect(r.cases.map(\.id) == ["x", "y"])
        #expect(r.summary == "1 of 2 cases is likely to miss its deadline.")
    }

    @Test func aCaseParamNarrowsAVaryingParam() throws {
        let m = try PlanBuilderTests.model("""
            workflow "V" {
              param region: string = "US" {
                "US" 60%
                "EU" 40%
              }
              owner o { capacity 5 }
              stage a { owner o; estimate 2d..2d }
              stage eu { after a; owner o; estimate 4d..4d; when region == "EU" }
            }
            """)
        // Both still in a (a day left as of the 6th). e is in the EU: eu always runs, 5 days
        // left. u says nothing: eu runs in 40% of runs, so P50 is 1 day and P85 5 days.
        let log = try read("""
            case,activity,start,end,region
            e,a,2026-01-05T00:00:00Z,,EU
            u,a,2026-01-05T00:00:00Z,,
            """, model: m)
        let r = try Status.run(model: m, log: log, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 200))
        let byID = Dictionary(uniqueKeysWithValues: r.cases.map { ($0.id, $0) })
        let e = try #require(byID["e"]), u = try #require(byID["u"])
        #expect(e.remainingP50 == 5 * day)
        #expect(e.remainingP85 == 5 * day)
        #expect(u.remainingP50 == 1 * day)
        #expect(u.remainingP85 == 5 * day)
    }

    @Test func badValuesAreLocated() throws {
        let m = try PlanBuilderTests.model(flow)
        let badParam = try read("case_id,activity,start_time,end_time,fast\nx,a,2026-01-05T00:00:00Z,,yes\n", model: m)
        #expect(throws: Status.Failure.self) {
            try Status.run(model: m, log: badParam, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 2))
        }
        do {
            _ = try Status.run(model: m, log: badParam, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 2))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "h.csv:2: column 'fast': case 'x': param 'fast' is a bool, so it takes true or false, not 'yes'")
        }
        let badDeadline = try read("case_id,activity,start_time,end_time,deadline\nx,a,2026-01-05T00:00:00Z,,next week\n", model: m)
        do {
            _ = try Status.run(model: m, log: badDeadline, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 2))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "h.csv:2: column 'deadline': case 'x': deadline 'next week' is not a date (YYYY-MM-DD) or an ISO 8601 instant")
        }
    }

    @Test func theCommandAsksOnlyForItsAttributes() throws {
        let m = try PlanBuilderTests.model(flow)
        #expect(Status.caseAttributeNames(m) == ["deadline", "fast"])
    }
}
