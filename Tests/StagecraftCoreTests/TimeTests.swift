import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

@Suite struct TimeTests {
    @Test func civilRoundTrip() {
        let d = CivilDate(year: 2026, month: 12, day: 25)
        #expect(CivilDate(dayNumber: d.dayNumber) == d)
        #expect(d.weekday == 4)  // Friday
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate.parse("2027-02-29") == nil)
        #expect(CivilDate.parse("2028-02-29")?.description == "2028-02-29")
    }

    @Test func businessTime() {
        let cal = BusinessCalendar.standard
        let friday10 = Double(CivilDate(year: 2026, month: 11, day: 20).dayNumber) * 86_400 + 36_000
        let monday10 = friday10 + 3 * 86_400
        #expect(cal.advance(friday10, byBusinessSeconds: 86_400) == monday10)
        #expect(cal.businessDuration(from: friday10, to: monday10) == 86_400)
        #expect(formatInstant(friday10) == "2026-11-20T10:00:00Z")
    }
}
