import Foundation
import Testing
@testable import StagecraftHistory

@Suite struct TimestampParserTests {
    @Test func isoForms() {
        let base = utc(2012, 3, 14, 15, 4, 54)
        #expect(parseTime("2012-03-14T15:04:54") == base)
        #expect(parseTime("2012-03-14 15:04:54") == base)
        #expect(parseTime("2012-03-14t15:04:54") == base)
        #expect(parseTime("2012-03-14T15:04:54Z") == base)
        #expect(parseTime("2012-03-14T15:04:54z") == base)
        #expect(parseTime("  2012-03-14T15:04:54  ") == base)
        #expect(parseTime("2012-03-14T15:04") == utc(2012, 3, 14, 15, 4))
    }

    @Test func fractionsOfEveryWidthKeepMilliseconds() {
        #expect(parseTime("2012-03-14T15:04:54.681") == utc(2012, 3, 14, 15, 4, 54, ms: 681))
        #expect(parseTime("2012-03-14T15:04:54.68") == utc(2012, 3, 14, 15, 4, 54, ms: 680))
        #expect(parseTime("2012-03-14T15:04:54.7") == utc(2012, 3, 14, 15, 4, 54, ms: 700))
        #expect(parseTime("2012-03-14T15:04:54.681000") == utc(2012, 3, 14, 15, 4, 54, ms: 681))
        #expect(parseTime("2012-03-14T15:04:54,5") == utc(2012, 3, 14, 15, 4, 54, ms: 500))
        let nine = parseTime("2012-03-14T15:04:54.123456789")
        #expect(nine != nil)
        #expect(abs((nine ?? 0) - (utc(2012, 3, 14, 15, 4, 54) + 0.123456789)) < 1e-6)
        #expect(parseTime("2012-03-14T15:04:54.1234567890") == nil)  // 10 digits
        #expect(parseTime("2012-03-14T15:04:54.") == nil)
        // Millisecond values are exactly the double nearest ms/1000.
        #expect(parseTime("2011-12-30T12:16:37.14") == Double(1_325_247_397_140) / 1000)
    }

    @Test func offsets() {
        let t = utc(2012, 1, 30, 4, 24)
        #expect(parseTime("2012-01-30 06:24:00+02:00") == t)
        #expect(parseTime("2012-01-30T06:24:00+0200") == t)
        #expect(parseTime("2012-01-30T06:24:00+02") == t)
        #expect(parseTime("2012-01-30T06:24:00 +02:00") == t)
        #expect(parseTime("2012-01-29T23:24:00-05:00") == t)
        #expect(parseTime("2012-01-30T04:24:00.000+00:00") == t)
        #expect(parseTime("2012-04-20 08:11:26.118+02") == utc(2012, 4, 20, 6, 11, 26, ms: 118))
        #expect(parseTime("2012-01-30T06:24:00+2:00") == nil)
        #expect(parseTime("2012-01-30T06:24:00+02:0") == nil)
    }

    @Test func slashesAndDatesAlone() {
        #expect(parseTime("2013/11/07 08:18:29") == utc(2013, 11, 7, 8, 18, 29))
        #expect(parseTime("2013/11/07 08:18:29.250") == utc(2013, 11, 7, 8, 18, 29, ms: 250))
        #expect(parseTime("2013-11-07") == utc(2013, 11, 7))
        #expect(parseTime("2013/11/07") == utc(2013, 11, 7))
        #expect(parseTime("1970-01-01T00:00:00Z") == 0)
        #expect(parseTime("1969-12-31T23:59:59.5Z") == -0.5)
    }

    @Test func rejectsMalformed() {
        for bad in ["", "2013", "2013-11", "2013-13-01", "2013-02-29", "2013-11-07X", "2013-11-07T25:00:00",
                    "2013-11-07T10:61:00", "2013-11-07T10:00:00+", "2013-11-07T10:00:00Zulu", "13-11-07 10:00",
                    "2013-11-07T10:00:00+02:00:00", "abcd-ef-gh", "2013-11/07"] {
            #expect(parseTime(bad) == nil, "\(bad)")
        }
        #expect(parseTime("2012-02-29") == utc(2012, 2, 29))
    }

    @Test func naiveTimesInAZone() {
        // Amsterdam: +01:00 in winter, +02:00 in summer.
        #expect(parseTime("2014-10-22 11:15:41", zone: "Europe/Amsterdam") == utc(2014, 10, 22, 9, 15, 41))
        #expect(parseTime("2014-12-22 11:15:41", zone: "Europe/Amsterdam") == utc(2014, 12, 22, 10, 15, 41))
        // An explicit offset is never shifted by the zone.
        #expect(parseTime("2014-12-22 11:15:41Z", zone: "Europe/Amsterdam") == utc(2014, 12, 22, 11, 15, 41))
        // The cache is per local hour: many parses across a DST switch stay right.
        var p = TimestampParser(timeZone: TimeZone(identifier: "Europe/Amsterdam"))
        #expect(p.parse("2014-03-30 01:59:00") == utc(2014, 3, 30, 0, 59))
        #expect(p.parse("2014-03-30 03:00:00") == utc(2014, 3, 30, 1, 0))
        #expect(p.parse("2014-03-30 01:30:00") == utc(2014, 3, 30, 0, 30))
        #expect(p.parse("2014-10-26 04:00:00") == utc(2014, 10, 26, 3, 0))
    }

    @Test func layoutsAreCounted() throws {
        let log = try readLog("""
            case,activity,timestamp
            1,a,2012-01-01T10:00:00.123
            1,b,2012-01-01T10:00:01.12
            1,c,2012-01-01 10:00:02+02:00
            1,d,2012/01/01 10:00:03
            """)
        let formats = Set(log.detection.timestampFormats.map(\.format))
        #expect(formats == ["YYYY-MM-DDTHH:MM:SS.fff", "YYYY-MM-DDTHH:MM:SS.ff", "YYYY-MM-DD HH:MM:SS+HH:MM",
                            "YYYY/MM/DD HH:MM:SS"])
    }
}
