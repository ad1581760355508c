import Foundation
@testable import StagecraftSyntax
@testable import StagecraftHistory

/// Reads an in-memory log for tests.
func readLog(_ text: String, name: String = "test.csv", _ options: HistoryOptions = HistoryOptions()) throws -> EventLog {
    try HistoryReader.read(bytes: Array(text.utf8), name: name, options: options)
}

/// Seconds since the epoch of a UTC civil time, for expectations.
func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, ms: Int = 0) -> Double {
    let days = CivilDate(year: y, month: mo, day: d).dayNumber
    let seconds: Int = days * 86_400 + h * 3600 + mi * 60 + s
    let millis: Int = seconds * 1000 + ms
    return Double(millis) / 1000
}

/// The activity names of a case's occurrences, in order.
func activityNames(_ log: EventLog, _ c: HistoryCase) -> [String] {
    c.occurrences.map { log.activities[$0.activity] }
}

/// Parses one timestamp string with a fresh parser.
func parseTime(_ s: String, zone: String? = nil) -> Double? {
    var p = TimestampParser(timeZone: zone.flatMap { TimeZone(identifier: $0) })
    return p.parse(s)
}
