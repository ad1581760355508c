import StagecraftSyntax

/// The business calendar of a workflow: which weekdays are worked and which dates are holidays.
///
/// Business time is elapsed time restricted to business days: a business day counts as
/// 24 hours of business time, so `1bd` from Friday 10:00 ends on Monday 10:00 (when the
/// weekend is not worked). Day boundaries are in UTC.
public struct BusinessCalendar: Hashable, Sendable {
    /// `workdays[i]` is true when ISO weekday `i` (0 = Monday … 6 = Sunday) is worked.
    public var workdays: [Bool]
    /// Holidays by day number (days since 1970-01-01), with an optional name.
    public var holidays: [Int: String]
    /// The calendar's `hours`: when owners without their own hours work on a workday.
    /// Nil means around the clock. `bd` arithmetic does not read it.
    public var hours: WorkingHours?

    /// Monday to Friday, no holidays: the default of LANGUAGE.md.
    public static let standard = BusinessCalendar(
        workdays: [true, true, true, true, true, false, false], holidays: [:])

    public init(workdays: [Bool], holidays: [Int: String], hours: WorkingHours? = nil) {
        self.workdays = workdays.count == 7 ? workdays : BusinessCalendar.standard.workdays
        self.holidays = holidays
        self.hours = hours
    }

    /// True when the calendar has at least one working weekday (else no business time exists).
    public var hasWorkdays: Bool { workdays.contains(true) }

    /// Whether the day (days since the epoch) is a business day.
    public func isBusinessDay(_ day: Int) -> Bool {
        workdays[CivilDate.weekday(ofDay: day)] && holidays[day] == nil
    }

    /// The first business day on or after `day`; `day` itself when the calendar has no workdays.
    public func nextBusinessDay(onOrAfter day: Int) -> Int {
        var days = self
        return days.firstBusinessDay(onOrAfter: day)
    }

    /// A bound on how many days in a row are not business days: under a week, plus a week
    /// for each holiday (with one workday a week, each holiday on it costs seven days).
    package var longestDayOffRun: Int { 7 * (holidays.count + 1) }

    /// Business seconds between two instants (0 when `to <= from`).
    public func businessDuration(from: Double, to: Double) -> Double {
        guard to > from else { return 0 }
        guard hasWorkdays else { return to - from }
        let d0 = Int((from / secondsPerDay).rounded(.down))
        let d1 = Int((to / secondsPerDay).rounded(.down))
        if d0 == d1 { return isBusinessDay(d0) ? to - from : 0 }
        var total = 0.0
        if isBusinessDay(d0) { total += Double(d0 + 1) * secondsPerDay - from }
        if isBusinessDay(d1) { total += to - Double(d1) * secondsPerDay }
        var d = d0 + 1
        // Count whole days in between; spans in history are short enough that a loop is fine,
        // but skip whole weeks when no holiday falls inside them.
        let perWeek = workdays.filter { $0 }.count
        while d < d1 {
            if d + 7 <= d1 && !holidays.keys.contains(where: { $0 >= d && $0 < d + 7 }) {
                total += Double(perWeek) * secondsPerDay
                d += 7
            } else {
                if isBusinessDay(d) { total += secondsPerDay }
                d += 1
            }
        }
        return total
    }

    /// The instant reached after `seconds` of business time from `t`.
    ///
    /// Time that starts on a non-business day begins at the start of the next business day.
    public func advance(_ t: Double, byBusinessSeconds seconds: Double) -> Double {
        var days = self
        return advanceBusinessTime(t, by: seconds, days: &days)
    }
}

extension BusinessCalendar: BusinessDayStepping {}

/// Business days that business time can be advanced over: the calendar, which answers each
/// day itself, or `BusinessDayTable`, which answers from a table and can jump over many
/// whole business days at once.
package protocol BusinessDayStepping: BusinessDays {
    var hasWorkdays: Bool { get }
    /// A bound on how many days in a row are not business days.
    var longestDayOffRun: Int { get }
    /// The fast path: from the start of business day `day` with `remaining` business seconds
    /// left (more than 32 days' worth), the business day reached after consuming whole
    /// business days, and what then remains; nil when it cannot jump.
    mutating func skipWholeBusinessDays(from day: Int, remaining: Double) -> (day: Int, remaining: Double)?
}

extension BusinessDayStepping {
    package mutating func skipWholeBusinessDays(from day: Int, remaining: Double) -> (day: Int, remaining: Double)? { nil }

    /// The first business day on or after `day`; `day` itself without workdays.
    mutating func firstBusinessDay(onOrAfter day: Int) -> Int {
        guard hasWorkdays else { return day }
        var d = day
        var steps = 0
        while !isBusinessDay(d) && steps < longestDayOffRun {
            d += 1
            steps += 1
        }
        return d
    }
}

/// The one business-time algorithm behind `BusinessCalendar.advance` and
/// `BusinessDayTable.advance`: fill the rest of the current business day, then whole
/// business days, one at a time or in bulk where `days` offers a fast path.
///
/// The bulk jump gives the same bits as the day-by-day loop: each day subtracts exactly
/// 86,400 from `remaining`, which is exact while `remaining` is below 2⁵² (86,400 is then a
/// multiple of its ulp), so subtracting m · 86,400 at once is the same.
package func advanceBusinessTime<D: BusinessDayStepping>(_ t: Double, by seconds: Double, days: inout D) -> Double {
    guard days.hasWorkdays else { return t + seconds }
    var remaining = max(0, seconds)
    var day = Int((t / secondsPerDay).rounded(.down))
    var cursor = t
    if !days.isBusinessDay(day) {
        day = days.firstBusinessDay(onOrAfter: day)
        cursor = Double(day) * secondsPerDay
    }
    while true {
        let endOfDay = Double(day + 1) * secondsPerDay
        let available = endOfDay - cursor
        if remaining <= available { return cursor + remaining }
        remaining -= available
        day = days.firstBusinessDay(onOrAfter: day + 1)
        cursor = Double(day) * secondsPerDay
        if remaining > 32 * secondsPerDay, remaining < 0x1p52,
           let jump = days.skipWholeBusinessDays(from: day, remaining: remaining) {
            day = jump.day
            remaining = jump.remaining
            cursor = Double(day) * secondsPerDay
        }
    }
}

/// Working hours on a workday, `hours 09:00-17:00`: minutes after midnight (UTC, like
/// the calendar's days), `start < end`, `end` at most 1440 (`24:00`).
public struct WorkingHours: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}
