/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation.
///
/// Instants are `Double` seconds since 1970-01-01T00:00:00Z; days are whole days since
/// that date (day 0 is a Thursday). All arithmetic is in UTC: the product's business
/// calendar has no time zone of its own.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The civil date of a day number (days since 1970-01-01).
    public init(dayNumber z0: Int) {
        // Howard Hinnant's civil_from_days.
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: m <= 2 ? y + 1 : y, month: m, day: d)
    }

    /// Whether the fields name a real date (month 1–12, day within the month).
    public var isValid: Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= CivilDate.daysIn(month: month, year: year)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday of the date: 0 = Monday … 6 = Sunday.
    public var weekday: Int { CivilDate.weekday(ofDay: dayNumber) }

    /// Weekday abbreviations in English, by ISO weekday (`Mon` … `Sun`), as dates are shown.
    public static let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// ISO weekday of a day number: 0 = Monday … 6 = Sunday.
    public static func weekday(ofDay n: Int) -> Int {
        // Day 0 (1970-01-01) was a Thursday (3).
        let r = (n + 3) % 7
        return r < 0 ? r + 7 : r
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public static func parse(_ text: String) -> CivilDate? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = u[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        let date = CivilDate(year: y, month: m, day: d)
        return date.isValid ? date : nil
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// Seconds in one elapsed day.
public let secondsPerDay: Double = 86_400

/// Formats an instant (seconds since the epoch) as ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SSZ`,
/// with milliseconds when the instant has a fraction.
public func formatInstant(_ t: Double) -> String {
    let ms = (t * 1000).rounded()
    let totalSeconds = (ms / 1000).rounded(.down)
    let millis = Int(ms - totalSeconds * 1000)
    let secs = Int(totalSeconds)
    let day = Int((Double(secs) / secondsPerDay).rounded(.down))
    let rem = secs - day * 86_400
    let date = CivilDate(dayNumber: day)
    func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    var s = "\(date)T\(pad2(rem / 3600)):\(pad2(rem / 60 % 60)):\(pad2(rem % 60))"
    if millis != 0 {
        let m = String(millis)
        s += "." + String(repeating: "0", count: 3 - m.count) + m
    }
    return s + "Z"
}
