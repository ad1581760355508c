import Foundation
import Testing
@testable import StagecraftHistory

@Suite struct LifecycleTests {
    static let lifecycleCSV = """
        case,activity,timestamp,lifecycle:transition,resource
        1,Repair,2020-01-01T10:00:00,start,Ann
        1,Repair,2020-01-01T09:00:00,START,Bob
        1,Repair,2020-01-01T11:00:00,complete,
        1,Repair,2020-01-01T12:00:00,Complete,Ann
        1,Repair,2020-01-01T13:00:00,complete,Cy
        1,Test,2020-01-01T12:30:00,schedule,
        1,Test,2020-01-01T14:00:00,start,Dee
        1,Register,2020-01-01T08:00:00,complete,System
        """

    @Test func fifoPairingInTimeOrder() throws {
        let log = try readLog(Self.lifecycleCSV)
        #expect(log.eventCount == 8)
        let c = log.cases[0]
        #expect(activityNames(log, c) == ["Register", "Repair", "Repair", "Repair"])
        let occ = c.occurrences
        // Register: complete without start → instant.
        #expect(occ[0].start == nil && occ[0].end == utc(2020, 1, 1, 8))
        // First start in time (09:00, Bob, line 3) pairs with the first complete (11:00, no resource → Bob).
        #expect(occ[1].start == utc(2020, 1, 1, 9) && occ[1].end == utc(2020, 1, 1, 11))
        #expect(occ[1].resource.map { log.resources[$0] } == "Bob")
        #expect(occ[1].line == 3)
        #expect(occ[2].start == utc(2020, 1, 1, 10) && occ[2].end == utc(2020, 1, 1, 12))
        #expect(occ[2].resource.map { log.resources[$0] } == "Ann")
        // Third complete has no start left.
        #expect(occ[3].start == nil && occ[3].end == utc(2020, 1, 1, 13))
        // Start without complete.
        #expect(c.unfinished.count == 1)
        #expect(c.unfinished[0].start == utc(2020, 1, 1, 14))
        #expect(log.activities[c.unfinished[0].activity] == "Test")
        #expect(log.unfinishedCount == 1)
        // Schedule is a hint, not an occurrence.
        #expect(c.readyHints.map(\.transition) == ["schedule"])
        #expect(c.readyHints[0].time == utc(2020, 1, 1, 12, 30))
        let counts = Dictionary(uniqueKeysWithValues: log.transitions.map { ($0.transition, $0.count) })
        #expect(counts == ["start": 2, "START": 1, "complete": 3, "Complete": 1, "schedule": 1])
        let report = inspect(log).render()
        #expect(report.contains("unfinished starts: 1"))
        #expect(report.contains("ready hints: 1"))
    }

    @Test func classification() {
        #expect(classifyTransition("START") == .start)
        #expect(classifyTransition(" complete ") == .complete)
        #expect(classifyTransition("") == .complete)
        #expect(classifyTransition("Schedule") == .hint)
        #expect(classifyTransition("suspend") == .hint)
        #expect(classifyTransition("UNKNOWN") == .complete)
        #expect(classifyTransition("In Progress") == .complete)
    }

    static let dupCSV = """
        case,activity,start,end,resource,note
        1,Lapping,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4882,x
        1,Lapping,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4882,y
        1,Lapping,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4883,z
        2,Lapping,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4882,x
        1,Packing,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4882,x
        1,Lapping,2012-02-14 07:00+02:00,2012-02-14 08:15+02:00,ID4882,x
        """

    @Test func duplicatesAreReportedAndKept() throws {
        let log = try readLog(Self.dupCSV)
        #expect(log.duplicates.count == 2)
        #expect(log.duplicates.firstLines == [3, 7])
        #expect(!log.dedupeApplied)
        #expect(log.cases[0].occurrences.count == 5)
        #expect(log.eventCount == 6)
        // Line 3 differs from line 2 only in an unmapped column; line 7 is identical to line 2.
        #expect(log.identicalDuplicateRows == 1)
        #expect(inspect(log).render().contains("exact duplicates: 2 (1 identical in every column; kept; lines 3, 7)"))
    }

    @Test func dedupeDropsLaterCopies() throws {
        let log = try readLog(Self.dupCSV, HistoryOptions(dedupe: true))
        #expect(log.duplicates.count == 2)
        #expect(log.dedupeApplied)
        #expect(log.cases[0].occurrences.count == 3)
        #expect(log.cases[0].occurrences.map(\.line) == [2, 4, 6])
        #expect(log.occurrenceCount == 4)
    }

    @Test func inspectionSummarises() throws {
        let log = try readLog(Self.dupCSV)
        let i = inspect(log)
        #expect(i.log.cases.count == 2)
        #expect(i.log.eventCount == 6)
        #expect(i.activities.map(\.name) == ["Lapping", "Packing"])
        #expect(i.activities.map(\.count) == [5, 1])
        #expect(i.log.resources.count == 2)
        #expect(i.dateRange?.first == utc(2012, 2, 14, 5))
        #expect(i.dateRange?.last == utc(2012, 2, 14, 6, 15))
        let text = i.render()
        #expect(text.contains("format: csv"))
        #expect(text.contains("timestamps: YYYY-MM-DD HH:MM:SS+HH:MM (12)"))
        #expect(text.contains("date range: 2012-02-14T05:00:00Z → 2012-02-14T06:15:00Z"))
        #expect(text.contains("      5  Lapping") || text.contains("  5  Lapping"))
    }
}
