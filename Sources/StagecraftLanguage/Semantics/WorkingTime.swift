import StagecraftSyntax

/// Working-time arithmetic: time that advances only inside daily working hours on business
/// days (`hours HH:MM-HH:MM` in a calendar or owner). Day boundaries are in UTC, as for
/// `BusinessCalendar`.

/// Something that says which days are business days: the calendar itself, or the
/// simulator's table of it.
public protocol BusinessDays {
    mutating func isBusinessDay(_ day: Int) -> Bool
}

extension BusinessCalendar: BusinessDays {}

extension WorkingHours {
    /// Working seconds in one working day.
    public var secondsPerWorkingDay: Double { Double(end - start) * 60 }

    /// The first instant at or after `t` inside working hours; `t` itself when there are no
    /// business days at all (nothing could ever start otherwise).
    public func nextWorkingInstant<D: BusinessDays>(_ t: Double, days: inout D) -> Double {
        guard end > start else { return t }
        var day = Int((t / secondsPerDay).rounded(.down))
        let open = Double(start) * 60, close = Double(end) * 60
        // A week without a business day ends the search: every later week is alike, save
        // holidays, which only remove days.
        for _ in 0..<(7 + 366) {
            if days.isBusinessDay(day) {
                let dayStart = Double(day) * secondsPerDay
                if t < dayStart + open { return dayStart + open }
                if t < dayStart + close { return t }
            }
            day += 1
        }
        return t
    }

    /// The instant at which `seconds` of working time, starting at `t`, are done: work
    /// advances only inside working hours, and a task that does not fit continues in the
    /// next working period.
    public func advance<D: BusinessDays>(_ t: Double, byWorkingSeconds seconds: Double, days: inout D) -> Double {
        guard end > start else { return t + seconds }
        var cursor = nextWorkingInstant(t, days: &days)
        var remaining = max(0, seconds)
        let close = Double(end) * 60
        while true {
            let day = Int((cursor / secondsPerDay).rounded(.down))
            let available = Double(day) * secondsPerDay + close - cursor
            if remaining <= available { return cursor + remaining }
            remaining -= available
            let next = nextWorkingInstant(Double(day + 1) * secondsPerDay, days: &days)
            guard next > cursor else { return cursor + remaining }
            cursor = next
        }
    }

    /// Working seconds inside `from ..< to` (0 when `to <= from`).
    public func workingSeconds<D: BusinessDays>(from: Double, to: Double, days: inout D) -> Double {
        guard to > from else { return 0 }
        guard end > start else { return to - from }
        let open = Double(start) * 60, close = Double(end) * 60
        let d0 = Int((from / secondsPerDay).rounded(.down))
        let d1 = Int((to / secondsPerDay).rounded(.down))
        var total = 0.0
        var day = d0
        while day <= d1 {
            if days.isBusinessDay(day) {
                let base = Double(day) * secondsPerDay
                let lo = max(from, base + open), hi = min(to, base + close)
                if hi > lo { total += hi - lo }
            }
            day += 1
        }
        return total
    }
}
