import Foundation
import StagecraftSyntax

/// A strftime-style timestamp layout given with `--timestamp-format`, for logs whose timestamps
/// the auto-detection does not read (e.g. Jira's `14/12/2026 10:00` is `%d/%m/%Y %H:%M`).
///
/// docs/cli.md ("Recorded history") lists the directives.
public struct TimestampFormat: Sendable, Hashable {
    /// The layout as given.
    public let pattern: String
    let pieces: [Piece]

    enum Piece: Sendable, Hashable {
        case literal(UInt8)
        case space
        case year4, year2, month, day, hour24, hour12, minute, second, dayOfYear
        case ampm, monthName, weekdayName, fraction, offset, zoneName, epoch
    }

    /// Why a pattern is not a usable layout.
    public struct PatternError: Error, Sendable, Hashable {
        public var message: String
        public var help: String?
    }

    static let directiveList = "%Y %y %m %d %e %H %I %M %S %j %p %b %B %a %f %z %Z %s %T %F %R %D %%"

    /// Compiles `pattern`; an unknown directive, or a layout without a full date, is an error.
    public init(_ pattern: String) throws(PatternError) {
        self.pattern = pattern
        var out: [Piece] = []
        let bytes = Array(pattern.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 32 || c == 9 {
                if out.last != .space { out.append(.space) }
                i += 1
                continue
            }
            guard c == 37 else { out.append(.literal(c)); i += 1; continue }
            guard i + 1 < bytes.count else {
                throw PatternError(message: "--timestamp-format '\(pattern)' ends with a lone '%'",
                                   help: "write %% for a literal percent sign")
            }
            let d = bytes[i + 1]
            i += 2
            switch d {
            case UInt8(ascii: "Y"): out.append(.year4)
            case UInt8(ascii: "y"): out.append(.year2)
            case UInt8(ascii: "m"): out.append(.month)
            case UInt8(ascii: "d"), UInt8(ascii: "e"): out.append(.day)
            case UInt8(ascii: "H"), UInt8(ascii: "k"): out.append(.hour24)
            case UInt8(ascii: "I"), UInt8(ascii: "l"): out.append(.hour12)
            case UInt8(ascii: "M"): out.append(.minute)
            case UInt8(ascii: "S"): out.append(.second)
            case UInt8(ascii: "j"): out.append(.dayOfYear)
            case UInt8(ascii: "p"), UInt8(ascii: "P"): out.append(.ampm)
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): out.append(.monthName)
            case UInt8(ascii: "a"), UInt8(ascii: "A"): out.append(.weekdayName)
            case UInt8(ascii: "f"): out.append(.fraction)
            case UInt8(ascii: "z"): out.append(.offset)
            case UInt8(ascii: "Z"): out.append(.zoneName)
            case UInt8(ascii: "s"): out.append(.epoch)
            case UInt8(ascii: "T"): out += [.hour24, .literal(58), .minute, .literal(58), .second]
            case UInt8(ascii: "F"): out += [.year4, .literal(45), .month, .literal(45), .day]
            case UInt8(ascii: "R"): out += [.hour24, .literal(58), .minute]
            case UInt8(ascii: "D"): out += [.month, .literal(47), .day, .literal(47), .year2]
            case 37: out.append(.literal(37))
            default:
                let name = String(decoding: [37, d], as: UTF8.self)
                throw PatternError(message: "--timestamp-format '\(pattern)' has an unknown directive '\(name)'",
                                   help: "known directives: \(TimestampFormat.directiveList)")
            }
        }
        let has = Set(out)
        let hasYear = has.contains(.year4) || has.contains(.year2)
        let hasDay = (has.contains(.month) || has.contains(.monthName)) && has.contains(.day)
        guard has.contains(.epoch) || (hasYear && (hasDay || has.contains(.dayOfYear))) else {
            throw PatternError(message: "--timestamp-format '\(pattern)' does not give a full date",
                               help: "use %Y or %y with %m (or %b) and %d, or %j; or %s for seconds since the epoch")
        }
        if has.contains(.hour12) && !has.contains(.ampm) {
            throw PatternError(message: "--timestamp-format '\(pattern)' uses %I (12-hour clock) without %p",
                               help: "add %p for AM/PM, or use %H for a 24-hour clock")
        }
        pieces = out
    }

    /// A failed match: where (bytes from the start of the value) and what was expected there.
    struct Mismatch: Error, Sendable, Hashable {
        var offset: Int
        var reason: String
    }

    /// The fields read from a value; nil fields were not in the layout.
    struct Fields {
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, dayOfYear: Int64? = nil
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nanos: Int64 = 0
        var pm: Bool? = nil
        var offset: Int64? = nil
        var zone: TimeZone? = nil
        var epoch: Int64? = nil
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]
    static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Matches `p[lo..<hi]` against the layout.
    func match(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Result<Fields, Mismatch> {
        Result { () throws(Mismatch) in try scan(p, lo, hi) }
    }

    /// The fields of `p[lo..<hi]`, or where and why it stops fitting the layout.
    private func scan(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) throws(Mismatch) -> Fields {
        var f = Fields()
        var i = lo
        func fail(_ reason: String) -> Mismatch { Mismatch(offset: i - lo, reason: reason) }
        func number(_ maxDigits: Int, _ minDigits: Int = 1) -> Int64? {
            var v: Int64 = 0
            var k = 0
            while k < maxDigits && i + k < hi && p[i + k] >= 48 && p[i + k] <= 57 {
                v = v * 10 + Int64(p[i + k] - 48)
                k += 1
            }
            guard k >= minDigits else { return nil }
            i += k
            return v
        }
        /// A number of at most `digits` digits within `range`: at its start, `impossible`
        /// says why a value outside it does not exist.
        func bounded(_ digits: Int, _ range: ClosedRange<Int64>, _ expected: String,
                     _ impossible: (Int64) -> String) throws(Mismatch) -> Int64 {
            let at = i
            guard let v = number(digits) else { throw fail(expected) }
            guard range.contains(v) else {
                i = at
                throw fail(impossible(v))
            }
            return v
        }
        func word(_ names: [String]) -> Int? {
            // Full name first, then its first three letters, case-insensitively.
            for (n, name) in names.enumerated() {
                for candidate in [Array(name.utf8), Array(name.utf8.prefix(3))] where i + candidate.count <= hi {
                    var ok = true
                    for (k, ch) in candidate.enumerated() where p[i + k] | 0x20 != ch { ok = false; break }
                    if ok { i += candidate.count; return n }
                }
            }
            return nil
        }
        for piece in pieces {
            switch piece {
            case .literal(let c):
                guard i < hi, p[i] == c else {
                    throw fail("expected '\(String(decoding: [c], as: UTF8.self))'")
                }
                i += 1
            case .space:
                guard i < hi, p[i] == 32 || p[i] == 9 else { throw fail("expected a space") }
                while i < hi && (p[i] == 32 || p[i] == 9) { i += 1 }
            case .year4:
                guard let v = number(4, 4) else { throw fail("expected a 4-digit year (%Y)") }
                f.year = v
            case .year2:
                guard let v = number(2, 2) else { throw fail("expected a 2-digit year (%y)") }
                f.year = v >= 69 ? 1900 + v : 2000 + v
            case .month:
                f.month = try bounded(2, 1...12, "expected a month number (%m)") { "month \($0) does not exist (%m)" }
            case .day:
                if i < hi && p[i] == 32 { i += 1 }
                f.day = try bounded(2, 1...31, "expected a day of the month (%d)") { "day \($0) does not exist (%d)" }
            case .dayOfYear:
                f.dayOfYear = try bounded(3, 1...366, "expected a day of the year (%j)") {
                    "day of the year \($0) does not exist (%j)"
                }
            case .hour24:
                f.hour = try bounded(2, 0...23, "expected an hour (%H)") { "hour \($0) does not exist (%H)" }
            case .hour12:
                f.hour = try bounded(2, 1...12, "expected an hour 1-12 (%I)") {
                    "hour \($0) does not exist on a 12-hour clock (%I)"
                }
            case .minute:
                f.minute = try bounded(2, 0...59, "expected minutes (%M)") { "minute \($0) does not exist (%M)" }
            case .second:
                f.second = try bounded(2, 0...60, "expected seconds (%S)") { "second \($0) does not exist (%S)" }
            case .fraction:
                let at = i
                guard var v = number(9) else { throw fail("expected a fraction of a second (%f)") }
                var digits = i - at
                while digits < 9 { v *= 10; digits += 1 }
                f.nanos = v
            case .ampm:
                guard i + 2 <= hi else { throw fail("expected AM or PM (%p)") }
                let a = p[i] | 0x20, m = p[i + 1] | 0x20
                guard (a == 97 || a == 112) && m == 109 else { throw fail("expected AM or PM (%p)") }
                f.pm = a == 112
                i += 2
            case .monthName:
                guard let n = word(TimestampFormat.monthNames) else { throw fail("expected a month name (%b)") }
                f.month = Int64(n + 1)
            case .weekdayName:
                guard word(TimestampFormat.weekdayNames) != nil else { throw fail("expected a weekday name (%a)") }
            case .offset:
                guard i < hi else { throw fail("expected a UTC offset such as +01:00 or Z (%z)") }
                if p[i] == 90 || p[i] == 122 { f.offset = 0; i += 1; continue }
                guard p[i] == 43 || p[i] == 45 else { throw fail("expected a UTC offset such as +01:00 or Z (%z)") }
                let sign: Int64 = p[i] == 45 ? -1 : 1
                i += 1
                guard let h = number(2, 2), h <= 18 else { throw fail("expected the hours of the UTC offset (%z)") }
                var m: Int64 = 0
                if i < hi && p[i] == 58 { i += 1 }
                if i < hi && p[i] >= 48 && p[i] <= 57 {
                    guard let mm = number(2, 2), mm <= 59 else { throw fail("expected the minutes of the UTC offset (%z)") }
                    m = mm
                }
                f.offset = sign * (h * 3600 + m * 60)
            case .zoneName:
                let at = i
                while i < hi, p[i] >= 65 && p[i] <= 90 || p[i] >= 97 && p[i] <= 122 || p[i] == 47 || p[i] == 95 { i += 1 }
                let name = String(decoding: UnsafeBufferPointer(start: p + at, count: i - at), as: UTF8.self)
                if name == "Z" || name == "UTC" || name == "GMT" {
                    f.offset = 0
                } else if let tz = TimeZone(identifier: name) ?? TimeZone(abbreviation: name), !name.isEmpty {
                    f.zone = tz
                } else {
                    i = at
                    throw fail("expected a time zone name such as UTC or Europe/Amsterdam (%Z)")
                }
            case .epoch:
                var negative = false
                if i < hi && p[i] == 45 { negative = true; i += 1 }
                guard let v = number(12) else { throw fail("expected seconds since the epoch (%s)") }
                f.epoch = negative ? -v : v
            }
        }
        guard i == hi else { throw fail("unexpected text after the timestamp") }
        if let pm = f.pm {
            f.hour = f.hour % 12 + (pm ? 12 : 0)
        }
        return f
    }

    /// Layouts tried, in order, when suggesting one for a timestamp the auto-detection rejects.
    static let candidates = [
        "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p",
        "%d/%m/%Y", "%m/%d/%Y", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M",
        "%m/%d/%y %I:%M %p", "%d/%m/%y", "%m/%d/%y",
        "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
        "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y %H:%M", "%d-%b-%Y",
        "%d/%b/%y %I:%M %p", "%d/%b/%Y:%H:%M:%S %z", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M:%S", "%b %d, %Y", "%a, %d %b %Y %H:%M:%S %z", "%a %b %d %H:%M:%S %Z %Y",
        "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p", "%Y.%m.%d %H:%M:%S", "%Y.%m.%d",
        "%Y%m%d%H%M%S", "%Y%m%dT%H%M%S", "%Y%m%d", "%s",
    ]

    /// `candidates`, compiled once.
    static let compiledCandidates = candidates.compactMap { try? TimestampFormat($0) }

    /// The candidate layouts that read `text` whole (at most two: a day/month order is ambiguous
    /// when both read it).
    static func suggestions(for text: String) -> [String] {
        var bytes = Array(text.utf8)
        while bytes.last == 32 { bytes.removeLast() }
        while bytes.first == 32 { bytes.removeFirst() }
        guard !bytes.isEmpty, bytes.count <= 64 else { return [] }
        var found: [String] = []
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            for format in compiledCandidates {
                if case .success(let f) = format.match(base, 0, b.count), f.day <= Int64(CivilDate.daysIn(
                    month: Int(f.month), year: Int(f.year)))
                {
                    found.append(format.pattern)
                    if found.count == 2 { return }
                }
            }
        }
        return found
    }
}
