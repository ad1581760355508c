import Foundation
import Testing
@testable import StagecraftHistory

@Suite struct CSVReaderTests {
    @Test func intervalLogWithQuotedFields() throws {
        let text = "case_id,activity,start_time,end_time,resource\r\n"
            + "c1,\"Pack, then ship\",2020-01-01T10:00:00,2020-01-01T11:00:00,\"Ann \"\"A\"\" Lee\"\r\n"
            + "c1,\"Two\nlines\",2020-01-01T12:00:00,2020-01-01T12:30:00,Bob\r\n"
            + "c2,Check,2020-01-02T09:00:00,2020-01-02T09:05:00,\r\n"
        let log = try readLog(text)
        #expect(log.cases.count == 2)
        #expect(log.eventCount == 3)
        let c1 = log.cases[0]
        #expect(c1.id == "c1")
        #expect(activityNames(log, c1) == ["Pack, then ship", "Two\nlines"])
        #expect(c1.occurrences[0].resource.map { log.resources[$0] } == "Ann \"A\" Lee")
        #expect(c1.occurrences[0].start == utc(2020, 1, 1, 10))
        #expect(c1.occurrences[0].end == utc(2020, 1, 1, 11))
        #expect(c1.occurrences[0].line == 2)
        #expect(c1.occurrences[1].line == 3)
        // The row after an embedded newline starts on line 5.
        #expect(log.cases[1].occurrences[0].line == 5)
        #expect(log.cases[1].occurrences[0].resource == nil)  // blank resource
        #expect(log.detection.delimiter == UInt8(ascii: ","))
    }

    @Test func bomBlankLinesAndSemicolon() throws {
        let text = "\u{FEFF}Case ID;Activity;Complete Timestamp;org:group\n\n"
            + "A;ER Registration;2014/10/22 11:15:41.000;A\n"
            + "\n"
            + "A;Leucocytes;2014/10/22 11:27:00.000;B\n\n"
        let log = try readLog(text)
        #expect(log.detection.delimiter == UInt8(ascii: ";"))
        #expect(log.detection.delimiterSniffed)
        #expect(log.detection.chosen[.caseID] == "Case ID")
        #expect(log.detection.chosen[.end] == "Complete Timestamp")
        #expect(log.detection.chosen[.resource] == "org:group")
        #expect(log.eventCount == 2)
        #expect(log.cases[0].occurrences.map(\.start) == [nil, nil])
        #expect(log.cases[0].occurrences.map(\.line) == [3, 5])
        #expect(log.resources == ["A", "B"])
    }

    @Test func tabAndPipeDelimitersSniffed() throws {
        let tab = try readLog("case\tactivity\ttimestamp\nx\ta,b\t2020-01-01\n")
        #expect(tab.detection.delimiter == 9)
        #expect(tab.activities == ["a,b"])
        let pipe = try readLog("case|activity|timestamp\nx|a;b|2020-01-01\n")
        #expect(pipe.detection.delimiter == UInt8(ascii: "|"))
        #expect(pipe.activities == ["a;b"])
    }

    @Test func resourceWrittenAsFloatIsKeptAsText() throws {
        let log = try readLog("""
            case_id,start_time,end_time,activity,resource
            196611,2011-12-30T12:14:47.813,2011-12-30T12:16:37.14,W_Completeren aanvraag,10861.0
            196611,2011-12-30T17:23:26.736,2011-12-30T17:31:05.999,W_Completeren aanvraag,
            """)
        #expect(log.resources == ["10861.0"])
        #expect(log.cases[0].occurrences[1].resource == nil)
        #expect(log.cases[0].occurrences[0].end == utc(2011, 12, 30, 12, 16, 37, ms: 140))
    }

    @Test func xesStandardColumnWinsAndIsRecorded() throws {
        let log = try readLog("""
            concept:name,org:resource,Activity,Resource,start_timestamp,time:timestamp,case:concept:name
            Turning & Milling,ID1,Turning,R9,2012-01-30 06:24:00+02:00,2012-01-30 12:43:00+02:00,Case1
            """)
        let d = log.detection
        #expect(d.chosen[.activity] == "concept:name")
        #expect(d.passedOver[.activity] == ["Activity"])
        #expect(d.chosen[.resource] == "org:resource")
        #expect(d.passedOver[.resource] == ["Resource"])
        #expect(d.chosen[.caseID] == "case:concept:name")
        #expect(d.chosen[.start] == "start_timestamp")
        #expect(d.chosen[.end] == "time:timestamp")
        #expect(log.activities == ["Turning & Milling"])
        let text = inspect(log).render()
        #expect(text.contains("activity: concept:name (chosen over 'Activity')"))
    }

    @Test func explicitColumnsOverrideDetection() throws {
        let text = """
            id;what;when;who;activity
            7;Approve;2020-05-01 08:00;Eve;ignored
            """
        let opts = HistoryOptions(
            columns: [.caseID: "ID", .activity: "what", .end: "when", .resource: "who"], delimiter: UInt8(ascii: ";"))
        let log = try readLog(text, opts)
        #expect(log.activities == ["Approve"])
        #expect(log.resources == ["Eve"])
        #expect(log.detection.overridden.contains(.activity))
        #expect(!log.detection.delimiterSniffed)
        #expect(throws: HistoryError.self) { try readLog(text, HistoryOptions(columns: [.caseID: "nope"])) }
    }

    @Test func missingColumnsListWhatWasFound() {
        do {
            _ = try readLog("foo,bar,time:timestamp\n1,2,2020-01-01\n")
            Issue.record("expected an error")
        } catch let e as HistoryError {
            #expect(e.message.contains("case"))
            #expect(e.message.contains("activity"))
            #expect(e.message.contains("'foo', 'bar', 'time:timestamp'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func casesNeedNotBeInTimeOrder() throws {
        let log = try readLog("""
            case_id,activity,resource,start_time,end_time
            1,Create Request for Quotation,Kim,2011-01-01T12:37:00+02:00,2011-01-01T12:45:00+02:00
            1,Create Purchase Requisition,Kim,2011-01-01T07:00:00+02:00,2011-01-01T07:37:00+02:00
            1,Zero,Kim,2011-01-01T07:00:00+02:00,2011-01-01T07:00:00+02:00
            """)
        #expect(activityNames(log, log.cases[0]) == ["Zero", "Create Purchase Requisition", "Create Request for Quotation"])
        #expect(log.cases[0].occurrences.map(\.line) == [4, 3, 2])
    }

    @Test func malformedTimestampNamesLineAndColumn() {
        let text = "case_id,activity,start_time,end_time\n1,a,2020-01-01T00:00:00,2020-01-01T01:00:00\n"
            + "1,b,2020-01-01T02:00:00,2020-13-01T03:00:00\n"
        do {
            _ = try readLog(text, name: "log.csv")
            Issue.record("expected an error")
        } catch let e as HistoryError {
            #expect(e.file == "log.csv")
            #expect(e.line == 3)
            #expect(e.column == "end_time")
            #expect(e.description == "log.csv:3: column 'end_time': impossible date in timestamp '2020-13-01T03:00:00': 2020-13-01 does not exist")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func shortRowsAndBadQuotesAreErrors() {
        #expect(throws: HistoryError.self) { try readLog("case,activity,timestamp\n1,a\n") }
        #expect(throws: HistoryError.self) { try readLog("case,activity,timestamp\n1,\"a\"x,2020-01-01\n") }
        #expect(throws: HistoryError.self) { try readLog("case,activity,timestamp\n1,\"a,2020-01-01\n") }
        #expect(throws: HistoryError.self) { try readLog("case,activity,timestamp\n,a,2020-01-01\n") }
        #expect(throws: HistoryError.self) { try readLog("") }
        #expect(throws: HistoryError.self) {
            try readLog("case,activity,start,end\n1,a,2020-01-02,2020-01-01\n")
        }
    }

    @Test func skipBadRowsCountsAndReportsLines() throws {
        let text = """
            case,activity,timestamp
            1,a,2020-01-01T00:00:00
            1,b,yesterday
            1,c
            1,d,2020-01-01T01:00:00
            """
        let log = try readLog(text, HistoryOptions(skipBadRows: true))
        #expect(log.eventCount == 2)
        #expect(log.skipped.count == 2)
        #expect(log.skipped.firstLines == [3, 4])
        #expect(activityNames(log, log.cases[0]) == ["a", "d"])
        #expect(inspect(log).render().contains("skipped bad rows: 2 (lines 3, 4)"))
    }

    @Test func noTrailingNewlineAndLoneCR() throws {
        let log = try readLog("case,activity,timestamp\r1,a,2020-01-01\r1,b,2020-01-02")
        #expect(log.eventCount == 2)
        #expect(log.cases[0].occurrences.map(\.line) == [2, 3])
    }

    @Test func openIntervalIsUnfinished() throws {
        let log = try readLog("case,activity,start_time,end_time\n1,a,2020-01-01T00:00:00,\n1,b,,2020-01-01T02:00:00\n")
        #expect(log.cases[0].unfinished.count == 1)
        #expect(log.cases[0].unfinished[0].start == utc(2020, 1, 1))
        #expect(log.cases[0].occurrences.count == 1)
        #expect(log.cases[0].occurrences[0].start == nil)
    }

    @Test func naiveTimesUseTheGivenZone() throws {
        let log = try readLog(
            "case,activity,timestamp\n1,a,2014/10/22 11:15:41.000\n", HistoryOptions(timeZone: "Europe/Amsterdam"))
        #expect(log.cases[0].occurrences[0].end == utc(2014, 10, 22, 9, 15, 41))
        #expect(log.detection.timeZone == "Europe/Amsterdam")
        #expect(throws: HistoryError.self) { try readLog("case,activity,timestamp\n", HistoryOptions(timeZone: "Mars/Base")) }
    }
}
