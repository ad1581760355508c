import StagecraftSyntax
import StagecraftLanguage

/// `BusinessCalendar` arithmetic backed by a table of business days that grows on demand,
/// for the engine's inner loop. `advance` returns the calendar's bits; `businessDuration`
/// counts whole days from a prefix sum, so it may differ in the last bit. Days outside the
/// table fall back to the calendar.
struct BusinessDayTable {
    let calendar: BusinessCalendar
    let hasWorkdays: Bool
    let longestDayOffRun: Int
    /// Business days in a week, and the last holiday (beyond it every week is the same).
    private let perWeek: Int
    private let lastHoliday: Int
    private let base: Int
    /// `isBusiness[i]`: day `base + i` is a business day.
    private var isBusiness: [Bool] = []
    /// `cumulative[i]`: business days in `base ..< base + i` (one more entry than `isBusiness`).
    private var cumulative: [Int] = [0]

    /// Days beyond `base` covered by the table at most (about 2,700 years).
    private static let maxSpan = 1_000_000

    init(calendar: BusinessCalendar, from instant: Double) {
        self.calendar = calendar
        hasWorkdays = calendar.hasWorkdays
        longestDayOffRun = calendar.longestDayOffRun
        perWeek = calendar.workdays.filter { $0 }.count
        lastHoliday = calendar.holidays.keys.max() ?? Int.min
        base = BusinessDayTable.day(of: instant) - 7
        extend(to: 400)
    }

    @inline(__always)
    static func day(of t: Double) -> Int { Int((t / secondsPerDay).rounded(.down)) }

    private mutating func extend(to count: Int) {
        let target = min(count, BusinessDayTable.maxSpan)
        guard target > isBusiness.count else { return }
        isBusiness.reserveCapacity(target)
        cumulative.reserveCapacity(target + 1)
        var running = cumulative[cumulative.count - 1]
        for i in isBusiness.count..<target {
            let b = calendar.isBusinessDay(base + i)
            isBusiness.append(b)
            running += b ? 1 : 0
            cumulative.append(running)
        }
    }

    @inline(__always)
    mutating func isBusinessDay(_ day: Int) -> Bool {
        let i = day - base
        if i >= 0 && i < isBusiness.count { return isBusiness[i] }
        if i >= 0 && i < BusinessDayTable.maxSpan {
            extend(to: max(i + 1, isBusiness.count * 2))
            if i < isBusiness.count { return isBusiness[i] }
        }
        return calendar.isBusinessDay(day)
    }

    /// Business days in `from ..< to` (from ≤ to).
    private mutating func businessDays(from: Int, to: Int) -> Int {
        let i = from - base, j = to - base
        if i >= 0 && j < BusinessDayTable.maxSpan {
            if j >= isBusiness.count { extend(to: max(j + 1, isBusiness.count * 2)) }
            if j < cumulative.count { return cumulative[j] - cumulative[i] }
        }
        var count = 0
        var d = from
        while d < to {
            if d > lastHoliday && to - d >= 7 {
                // Past every holiday, whole weeks all hold `perWeek` business days.
                let weeks = (to - d) / 7
                count += weeks * perWeek
                d += weeks * 7
                continue
            }
            if calendar.isBusinessDay(d) { count += 1 }
            d += 1
        }
        return count
    }

    /// Same as `BusinessCalendar.advance(_:byBusinessSeconds:)`.
    mutating func advance(_ t: Double, byBusinessSeconds seconds: Double) -> Double {
        advanceBusinessTime(t, by: seconds, days: &self)
    }

    /// Jumps `m` whole business days through the table, or whole weeks beyond the table and
    /// every holiday, leaving a little over one day for the day-by-day loop.
    mutating func skipWholeBusinessDays(from day: Int, remaining: Double) -> (day: Int, remaining: Double)? {
        let m = Int((remaining / secondsPerDay).rounded(.down)) - 1
        if let d = businessDay(m, after: day) {
            return (d, remaining - Double(m) * secondsPerDay)
        }
        // Beyond the table and every holiday, each week holds `perWeek` business days.
        guard day > lastHoliday, perWeek > 0, m / perWeek > 1 else { return nil }
        let weeks = m / perWeek - 1
        return (day + weeks * 7, remaining - Double(weeks * perWeek) * secondsPerDay)
    }

    /// The business day `m` business days after business day `day`, from the table; nil
    /// when the table cannot reach it.
    private mutating func businessDay(_ m: Int, after day: Int) -> Int? {
        let i = day - base
        guard m > 0, i >= 0, i < BusinessDayTable.maxSpan, isBusinessDay(day) else { return nil }
        // Business days before day i, plus the day itself and m more.
        let target = cumulative[i] + 1 + m
        while cumulative[cumulative.count - 1] < target {
            let before = isBusiness.count
            extend(to: before * 2)
            if isBusiness.count == before { return nil }
        }
        // The smallest j with cumulative[j] == target: day base + j − 1 is the one.
        var lo = i + 1, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] >= target { hi = mid } else { lo = mid + 1 }
        }
        return base + lo - 1
    }

    /// Business seconds between two instants (0 when `to <= from`), as
    /// `BusinessCalendar.businessDuration(from:to:)`.
    mutating func businessDuration(from: Double, to: Double) -> Double {
        guard to > from else { return 0 }
        guard hasWorkdays else { return to - from }
        let d0 = BusinessDayTable.day(of: from)
        let d1 = BusinessDayTable.day(of: to)
        if d0 == d1 { return isBusinessDay(d0) ? to - from : 0 }
        var total = 0.0
        if isBusinessDay(d0) { total += Double(d0 + 1) * secondsPerDay - from }
        if isBusinessDay(d1) { total += to - Double(d1) * secondsPerDay }
        return total + Double(businessDays(from: d0 + 1, to: d1)) * secondsPerDay
    }
}
extension BusinessDayTable: BusinessDayStepping {}
