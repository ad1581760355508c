import Foundation
import Testing
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftAnalysis

/// Conformance on `Fixtures/replay/conformance.{flow,csv}`.
///
/// build → review (gate: approvers sec, pm; quorum 2; on reject → build) → ship; docs (with
/// `when`, so not required) → ship. Members: alice = eng, carol = sec, dave = pm.
///
///     c1 build, review by carol and by dave, ship             conforms (review repeats, but on its route)
///     c2 build, review by carol only, ship                    gate-without-approvals (1 of 2)
///     c3 build, review without a resource, ship               conforms (no approvals recorded)
///     c4 build, ship                                          missing-required (review)
///     c5 build                                                conforms (not finished)
///     c6 build 9–11, review from 10 (carol, dave), ship        out-of-order
///     c7 build, review ×2 (CAROL, dave), build, review ×2, ship  conforms (rework on the route)
///     c8 build, review ×2, ship, ship                         rework-outside-route (ship)
@Suite struct ReplayConformanceTests {
    func conformance() throws -> (WorkflowModel, ReplayResult) {
        try replay(flow: replayFixture("conformance.flow"), csv: replayFixture("conformance.csv"))
    }

    @Test func eachViolationKind() throws {
        let (_, r) = try conformance()
        let byKind = Dictionary(uniqueKeysWithValues: r.violations.map { ($0.kind, $0) })
        #expect(r.violations.map(\.kind) == ViolationKind.allCases)
        #expect(byKind[.outOfOrder]?.count == 1 && byKind[.outOfOrder]?.examples == ["c6"])
        #expect(byKind[.missingRequired]?.count == 1 && byKind[.missingRequired]?.examples == ["c4"])
        #expect(byKind[.gateWithoutApprovals]?.count == 1 && byKind[.gateWithoutApprovals]?.examples == ["c2"])
        #expect(byKind[.reworkOutsideRoute]?.count == 1 && byKind[.reworkOutsideRoute]?.examples == ["c8"])
        // Conforming: c1, c3, c5, c7 = 4 of 8; finished: all but c5 = 7.
        #expect(r.conformingCases == 4 && close(r.conformingShare, 0.5) && r.finishedCases == 7)
    }

    @Test func reworkCountsCasesWithRepeats() throws {
        let (model, r) = try conformance()
        // review repeats in c1, c6, c7, c8; build in c7; ship in c8.
        #expect(try stage(r, "review").reworkCases == 4)
        #expect(try stage(r, "build").reworkCases == 1)
        #expect(try stage(r, "ship").reworkCases == 1)
        // docs never occurs.
        #expect(r.unobservedNodes.map { model.nodes[$0].id.name } == ["docs"])
        // The rework route of review: build and review, not ship or docs.
        #expect(Replay.reworkRoutes(model: model) == [true, true, false, false])
    }

    @Test func routeIncludesTheNodesBetween() throws {
        let model = try checkedModel("""
        workflow "Route" {
          owner o { capacity 9 }
          stage a { owner o }
          stage b { after a; owner o }
          stage side { after a; owner o }
          gate g { after b; approvers o; on reject -> a }
          stage z { after g, side; owner o }
        }
        """)
        // a (target), b (between), g (gate); not side (not before g) nor z.
        #expect(Replay.reworkRoutes(model: model) == [true, true, false, true, false])
    }

    @Test func examplesStopAtFive() throws {
        let flow = "workflow \"W\" {\n  owner o\n  stage s \"S\" { owner o }\n}\n"
        var csv = "case,activity,end\n"
        for c in 1...7 {
            csv += "case\(c),S,2024-01-01T10:00:00\ncase\(c),S,2024-01-01T11:00:00\n"
        }
        let (_, r) = try replay(flow: flow, csv: csv)
        let rework = try #require(r.violations.first { $0.kind == .reworkOutsideRoute })
        #expect(rework.count == 7 && rework.examples == ["case1", "case2", "case3", "case4", "case5"])
        #expect(r.conformingCases == 0)
    }
}

/// Resources that spell an owner's ID stand for that owner when no member name claims them.
@Suite struct ReplayResourceOwnerTests {
    static let flow = """
    workflow "Owners" {
      owner eng { members "alice" }
      owner sec { members "sam" }
      owner pm { members "sec" }
      stage build { owner eng; sla 1bd }
      gate review { after build; approvers sec, pm; quorum 2; sla 1bd }
    }
    """

    @Test func ownerIDsAndMembers() throws {
        // c1: review by "sec" (a member name of pm: pm) and "SAM" (sec, ignoring case) → 2 of 2.
        // c2: review by "eng" (no member spells it; the ID of eng, who is no approver) and
        //     "pm" (the ID of pm) → 1 of 2: gate-without-approvals.
        let csv = """
        case_id,activity,resource,start_time,end_time
        c1,build,alice,2026-01-05 09:00:00,2026-01-05 12:00:00
        c1,review,sec,2026-01-05 13:00:00,2026-01-05 14:00:00
        c1,review,SAM,2026-01-05 13:00:00,2026-01-05 15:00:00
        c2,build,alice,2026-01-06 09:00:00,2026-01-06 12:00:00
        c2,review,eng,2026-01-06 13:00:00,2026-01-06 14:00:00
        c2,review,pm,2026-01-06 13:00:00,2026-01-06 15:00:00

        """
        let (model, r) = try replay(flow: Self.flow, csv: csv)
        let log = try HistoryReader.read(bytes: Array(csv.utf8), name: "o.csv")
        let owners = Replay.resourceOwners(model: model, log: log).map { $0.map { model.owners[$0].id.name } }
        let byResource = Dictionary(uniqueKeysWithValues: zip(log.resources, owners))
        #expect(byResource["alice"] == "eng" && byResource["sec"] == "pm" && byResource["SAM"] == "sec")
        #expect(byResource["eng"] == "eng" && byResource["pm"] == "pm")
        let gate = try #require(r.violations.first { $0.kind == .gateWithoutApprovals })
        #expect(gate.count == 1 && gate.examples == ["c2"])
    }
}
