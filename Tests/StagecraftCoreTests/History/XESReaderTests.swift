import Foundation
import Testing
@testable import StagecraftHistory

@Suite struct XESReaderTests {
    static let sample = """
        <?xml version="1.0" encoding="UTF-8" ?>
        <!-- comment with <event> inside -->
        <log xes.version="1.0" xmlns="http://www.xes-standard.org/">
        \t<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
        \t<global scope="trace">
        \t\t<string key="concept:name" value="__INVALID__"/>
        \t</global>
        \t<global scope="event">
        \t\t<string key="concept:name" value="__INVALID__"/>
        \t\t<string key="lifecycle:transition" value="complete"/>
        \t\t<string key="org:resource" value="System"/>
        \t</global>
        \t<string key="concept:name" value="log name"/>
        \t<list key="meta"><string key="concept:name" value="not an event"/></list>
        \t<trace>
        \t\t<string key="concept:name" value="T&amp;1"/>
        \t\t<event>
        \t\t\t<string key="lifecycle:transition" value="SCHEDULE"/>
        \t\t\t<string key="concept:name" value="Fix &lt;phone&gt;"/>
        \t\t\t<date key="time:timestamp" value="2012-01-01T08:00:00.000+01:00"/>
        \t\t</event>
        \t\t<event>
        \t\t\t<date key="time:timestamp" value="2012-01-01T09:00:00.000+01:00"/>
        \t\t\t<string key="org:resource" value="J&#246;rg &#x41;"/>
        \t\t\t<string key="concept:name" value="Fix &lt;phone&gt;"/>
        \t\t\t<string key="lifecycle:transition" value="Start"/>
        \t\t\t<container key="extra"><string key="concept:name" value="nested, ignored"/></container>
        \t\t</event>
        \t\t<event>
        \t\t\t<string key="concept:name" value="Fix &lt;phone&gt;"/>
        \t\t\t<date key="time:timestamp" value="2012-01-01T10:30:00.000+01:00"/>
        \t\t\t<string key="lifecycle:transition" value="COMPLETE"/>
        \t\t</event>
        \t\t<event>
        \t\t\t<string key="concept:name" value='Archive'/>
        \t\t\t<date key = "time:timestamp" value="2012-01-01T11:00:00+01:00" />
        \t\t</event>
        \t\t<![CDATA[ <event> in CDATA is text ]]>
        \t</trace>
        \t<trace>
        \t\t<event>
        \t\t\t<string key="concept:name" value="Late id"/>
        \t\t\t<date key="time:timestamp" value="2012-01-02T10:00:00Z"/>
        \t\t</event>
        \t\t<string key="concept:name" value="T2"/>
        \t</trace>
        \t<trace><string key="concept:name" value="Empty"/></trace>
        </log>
        """

    @Test func readsGlobalsLifecycleEntitiesAndNesting() throws {
        let log = try readLog(Self.sample, name: "t.xes")
        #expect(log.detection.format == .xes)
        #expect(log.cases.map(\.id) == ["T&1", "T2", "Empty"])
        #expect(log.eventCount == 5)
        let t1 = log.cases[0]
        #expect(activityNames(log, t1) == ["Fix <phone>", "Archive"])
        let fix = t1.occurrences[0]
        #expect(fix.start == utc(2012, 1, 1, 8))
        #expect(fix.end == utc(2012, 1, 1, 9, 30))
        // A pair takes the complete event's resource; here that is the `<global>` default.
        #expect(fix.resource.map { log.resources[$0] } == "System")
        #expect(log.resources.contains("Jörg A"))
        #expect(t1.occurrences[1].resource.map { log.resources[$0] } == "System")
        #expect(t1.occurrences[1].start == nil)
        #expect(t1.readyHints.count == 1)
        #expect(t1.readyHints[0].transition == "SCHEDULE")
        #expect(t1.readyHints[0].time == utc(2012, 1, 1, 7))
        #expect(fix.line == 22)  // line of the start <event>
        #expect(activityNames(log, log.cases[1]) == ["Late id"])
        #expect(log.cases[2].occurrences.isEmpty)
        #expect(!log.activities.contains("nested, ignored"))
        #expect(!log.activities.contains("not an event"))
        let counts = Dictionary(uniqueKeysWithValues: log.transitions.map { ($0.transition, $0.count) })
        #expect(counts == ["SCHEDULE": 1, "Start": 1, "COMPLETE": 1, "complete": 2])
        // The event attributes' keys, globals first, then as the events bring them; not
        // the trace's or the log's, nor those nested in a container.
        #expect(log.detection.columns == ["concept:name", "lifecycle:transition", "org:resource", "time:timestamp"])
    }

    @Test func attributeKeysComeFromTheFirstEventsOnly() throws {
        // A key first seen after the sampled events is not listed.
        func event(_ i: Int, extra: String = "") -> String {
            "<event><string key=\"concept:name\" value=\"a\"/>\(extra)<date key=\"time:timestamp\" value=\"2012-01-01T08:00:00Z\"/></event>"
        }
        var text = "<log><trace><string key=\"concept:name\" value=\"c\"/>"
        text += event(0, extra: "<int key=\"cost\" value=\"3\"/>")
        for i in 1..<XESReader.eventsSampledForKeys { text += event(i) }
        text += event(XESReader.eventsSampledForKeys, extra: "<string key=\"late\" value=\"x\"/>")
        text += "</trace></log>"
        let log = try readLog(text, name: "t.xes")
        #expect(log.eventCount == XESReader.eventsSampledForKeys + 1)
        #expect(log.detection.columns == ["concept:name", "cost", "time:timestamp"])
    }

    @Test func missingTimestampNamesTheEventLine() {
        let xes = "<log>\n<trace>\n<string key=\"concept:name\" value=\"1\"/>\n<event>\n"
            + "<string key=\"concept:name\" value=\"a\"/>\n</event>\n</trace>\n</log>\n"
        do {
            _ = try readLog(xes, name: "bad.xes")
            Issue.record("expected an error")
        } catch let e as HistoryError {
            #expect(e.line == 4)
            #expect(e.column == "event")
            #expect(e.message.contains("time:timestamp"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        let skipped = try? readLog(xes, name: "bad.xes", HistoryOptions(skipBadRows: true))
        #expect(skipped?.skipped.count == 1)
        #expect(skipped?.skipped.firstLines == [4])
    }

    @Test func malformedXMLIsAnError() {
        #expect(throws: HistoryError.self) { try readLog("<log><trace><event>", name: "t.xes") }
        #expect(throws: HistoryError.self) { try readLog("<log><trace <event/></log>", name: "t.xes") }
        #expect(throws: HistoryError.self) { try readLog("<log></log></log>", name: "t.xes") }
        #expect(throws: HistoryError.self) { try readLog("<log><!-- never closed", name: "t.xes") }
        #expect(throws: HistoryError.self) { try readLog("<log><string key=a value=\"b\"/></log>", name: "t.xes") }
        #expect(throws: HistoryError.self) {
            try readLog("<log><trace><string key=\"concept:name\" value=\"1\"/><event>"
                + "<string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"soon\"/>"
                + "</event></trace></log>", name: "t.xes")
        }
    }

    @Test func subStatusTransitionsAreInstants() throws {
        let xes = """
            <log><trace><string key="concept:name" value="1-1"/>
            <event><string key="concept:name" value="Queued"/><string key="lifecycle:transition" value="Awaiting Assignment"/>
            <date key="time:timestamp" value="2006-01-11T15:49:42+01:00"/></event>
            <event><string key="concept:name" value="Accepted"/><string key="lifecycle:transition" value="In Progress"/>
            <date key="time:timestamp" value="2006-01-12T15:49:42+01:00"/></event>
            </trace></log>
            """
        let log = try readLog(xes, name: "x.xes")
        #expect(activityNames(log, log.cases[0]) == ["Queued", "Accepted"])
        #expect(log.cases[0].occurrences.allSatisfy { $0.start == nil })
    }

    @Test func entityDecoding() {
        func decode(_ s: String) -> String {
            var out: [UInt8] = []
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { decodeXMLEntities(base, 0, b.count, into: &out) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(decode("a &amp; b") == "a & b")
        #expect(decode("&lt;&gt;&quot;&apos;") == "<>\"'")
        #expect(decode("&#246;&#xF6;&#x1F600;") == "öö😀")
        #expect(decode("&unknown; & &#xZZ;") == "&unknown; & &#xZZ;")
        #expect(decode("&#1114112;") == "\u{FFFD}")
    }
}
