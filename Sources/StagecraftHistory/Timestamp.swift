import Foundation
import StagecraftSyntax

/// Parses event-log timestamps from bytes into seconds since the epoch (UTC), in the layouts
/// docs/cli.md names or the one `--timestamp-format` gives. Naive times are wall-clock times in
/// `timeZone`, whose offset is cached per local hour; instants are computed from integer
/// milliseconds (or nanoseconds) so that millisecond values round-trip exactly.
package struct TimestampParser {
    /// Nil for UTC (no lookups needed).
    let timeZone: TimeZone?
    /// The layout given with `--timestamp-format`; nil auto-detects.
    let format: TimestampFormat?
    /// Why the last value failed to fit `format`.
    private(set) var mismatch: TimestampFormat.Mismatch?
    /// Values read with `format`.
    private var formatCount = 0
    private var offsetCache: [Int64: Int32] = [:]
    private var lastHour: Int64 = .min
    private var lastOffset: Int32 = 0
    private var lastDateWord: UInt64 = 0
    private var lastDateTail: UInt16 = 0
    private var lastDays: Int64 = 0
    private var hasLastDate = false
    /// Counts per layout code (see `layoutName`).
    private(set) var layoutCounts = [Int](repeating: 0, count: TimestampParser.layoutSlots)

    static let layoutSlots = 4 * 11 * 5

    package init(timeZone: TimeZone?, format: TimestampFormat? = nil) {
        self.format = format
        if let tz = timeZone, tz.identifier != "UTC", tz.identifier != "GMT" {
            self.timeZone = tz
        } else {
            self.timeZone = nil
        }
    }

    /// Parses `p[lo..<hi]`; nil when malformed.
    mutating func parse(_ p: UnsafePointer<UInt8>, _ lo0: Int, _ hi0: Int) -> Double? {
        var lo = lo0
        var hi = hi0
        while lo < hi && p[lo] == 32 { lo += 1 }
        while hi > lo && p[hi - 1] == 32 { hi -= 1 }
        if let format { return parse(p, lo, hi, valueStart: lo0, with: format) }
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let c = p[i]
            return c >= 48 && c <= 57 ? Int64(c &- 48) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int64? {
            guard i + 2 <= hi, let a = digit(i), let b = digit(i + 1) else { return nil }
            return a * 10 + b
        }
        guard hi - lo >= 10 else { return nil }
        let sep = p[lo + 4]
        // Consecutive rows usually share the date: reuse its day number when the 10 bytes match.
        let dateWord = UnsafeRawPointer(p + lo).loadUnaligned(as: UInt64.self)
        let dateTail = UnsafeRawPointer(p + lo + 8).loadUnaligned(as: UInt16.self)
        let days: Int64
        if hasLastDate && dateWord == lastDateWord && dateTail == lastDateTail {
            days = lastDays
        } else {
            guard let y0 = digit(lo), let y1 = digit(lo + 1), let y2 = digit(lo + 2), let y3 = digit(lo + 3),
                  sep == 45 || sep == 47, p[lo + 7] == sep, let month = two(lo + 5), let day = two(lo + 8)
            else { return nil }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            guard month >= 1, month <= 12, day >= 1,
                  day <= Int64(CivilDate.daysIn(month: Int(month), year: Int(year)))
            else { return nil }
            days = Int64(CivilDate(year: Int(year), month: Int(month), day: Int(day)).dayNumber)
            lastDateWord = dateWord
            lastDateTail = dateTail
            lastDays = days
            hasLastDate = true
        }
        var i = lo + 10
        var secondsOfDay: Int64 = 0
        var nanos: Int64 = 0
        var fracDigits = 0
        var sepKind = sep == 47 ? 2 : 0  // 0 "-T", 1 "- ", 2 "/ ", 3 date only
        if i == hi {
            sepKind = 3
        } else {
            let t = p[i]
            if t == 84 || t == 116 || t == 32 {
                if sep == 45 && t == 32 { sepKind = 1 }
                i += 1
                guard let hh = two(i), hh <= 23, i + 2 < hi, p[i + 2] == 58, let mm = two(i + 3), mm <= 59
                else { return nil }
                i += 5
                var ss: Int64 = 0
                if i < hi && p[i] == 58 {
                    guard let s = two(i + 1), s <= 60 else { return nil }
                    ss = s
                    i += 3
                    if i < hi && (p[i] == 46 || p[i] == 44) {
                        i += 1
                        while i < hi, let d = digit(i) {
                            guard fracDigits < 9 else { return nil }
                            nanos = nanos * 10 + d
                            fracDigits += 1
                            i += 1
                        }
                        guard fracDigits > 0 else { return nil }
                        var scale = fracDigits
                        while scale < 9 { nanos *= 10; scale += 1 }
                    }
                }
                secondsOfDay = hh * 3600 + mm * 60 + ss
            } else if t != 43 && t != 45 && t != 90 && t != 122 {
                return nil
            } else {
                sepKind = 3
            }
        }
        // Zone.
        var zoneKind = 0  // 0 naive, 1 Z, 2 ±HH:MM, 3 ±HHMM, 4 ±HH
        var offset: Int64 = 0
        if i < hi && p[i] == 32 && i + 1 < hi { i += 1 }
        if i < hi {
            let z = p[i]
            if (z == 90 || z == 122) && i + 1 == hi {
                zoneKind = 1
            } else if z == 43 || z == 45 {
                guard let oh = two(i + 1), oh <= 18 else { return nil }
                var om: Int64 = 0
                if i + 3 == hi {
                    zoneKind = 4
                } else if i + 6 == hi && p[i + 3] == 58, let m = two(i + 4), m <= 59 {
                    om = m
                    zoneKind = 2
                } else if i + 5 == hi, let m = two(i + 3), m <= 59 {
                    om = m
                    zoneKind = 3
                } else {
                    return nil
                }
                offset = (oh * 3600 + om * 60) * (z == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        let local = days * 86_400 + secondsOfDay
        var utc: Int64
        if zoneKind == 0 {
            utc = local - Int64(naiveOffset(local))
        } else {
            utc = local - offset
        }
        let code = (sepKind * 11 + (sepKind == 3 ? 10 : fracDigits)) * 5 + zoneKind
        if code >= 0 && code < layoutCounts.count { layoutCounts[code] += 1 }
        if nanos % 1_000_000 == 0 {
            return Double(utc * 1000 + nanos / 1_000_000) / 1000
        }
        return Double(utc) + Double(nanos) / 1e9
    }

    /// Reads a trimmed value with the `--timestamp-format` layout; on failure sets `mismatch`
    /// (its offset counted from `valueStart`).
    private mutating func parse(
        _ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, valueStart: Int, with format: TimestampFormat
    ) -> Double? {
        let f: TimestampFormat.Fields
        switch format.match(p, lo, hi) {
        case .success(let fields): f = fields
        case .failure(var m):
            m.offset += lo - valueStart
            mismatch = m
            return nil
        }
        var utc: Int64
        if let epoch = f.epoch {
            utc = epoch
        } else {
            var month = f.month, day = f.day
            if let doy = f.dayOfYear {
                let leap = CivilDate.daysIn(month: 2, year: Int(f.year)) == 29
                guard doy <= (leap ? 366 : 365) else {
                    mismatch = .init(offset: lo - valueStart, reason: "day of the year \(doy) does not exist in \(f.year) (%j)")
                    return nil
                }
                var left = doy
                month = 1
                while left > Int64(CivilDate.daysIn(month: Int(month), year: Int(f.year))) {
                    left -= Int64(CivilDate.daysIn(month: Int(month), year: Int(f.year)))
                    month += 1
                }
                day = left
            }
            guard day <= Int64(CivilDate.daysIn(month: Int(month), year: Int(f.year))) else {
                mismatch = .init(offset: lo - valueStart,
                                 reason: "\(CivilDate(year: Int(f.year), month: Int(month), day: Int(day))) does not exist")
                return nil
            }
            let days = Int64(CivilDate(year: Int(f.year), month: Int(month), day: Int(day)).dayNumber)
            let local = days * 86_400 + f.hour * 3600 + f.minute * 60 + f.second
            if let offset = f.offset {
                utc = local - offset
            } else if let zone = f.zone {
                let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
                utc = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - Int64(guess)))))
            } else {
                utc = local - Int64(naiveOffset(local))
            }
        }
        formatCount += 1
        if f.nanos % 1_000_000 == 0 {
            return Double(utc * 1000 + f.nanos / 1_000_000) / 1000
        }
        return Double(utc) + Double(f.nanos) / 1e9
    }

    /// The layouts the auto-detection reads, as named in messages.
    static let autoLayouts = "YYYY-MM-DD and YYYY/MM/DD, alone or with THH:MM[:SS[.fff]] or ' HH:MM[:SS[.fff]]', "
        + "and a zone Z, +HH:MM, +HHMM or +HH"

    /// The message for a timestamp that did not parse.
    ///
    /// With a format: where it stopped fitting (`column`, the one-based column in characters of
    /// the line where the value starts, when known) and why. Without: the layouts tried, and the
    /// `--timestamp-format` that reads the value when a common layout does.
    func malformed(_ text: String, column: Int? = nil) -> String {
        let quoted = Excerpt.quoted(text, limit: 60)
        guard let format else { return TimestampParser.malformed(text) }
        let m = mismatch ?? .init(offset: 0, reason: "it does not fit")
        let utf8 = Array(text.utf8)
        let chars = utf8.prefix(m.offset).reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
        let place = column.map { "at column \($0 + chars)" } ?? "at character \(chars + 1)"
        return "timestamp '\(quoted)' does not fit --timestamp-format '\(format.pattern)' \(place): \(m.reason)"
    }

    /// The message for a timestamp the auto-detection does not read: the layouts tried, and how to
    /// give one with `--timestamp-format` (naming one that reads it when a common layout does).
    static func malformed(_ text: String) -> String {
        let quoted = Excerpt.quoted(text, limit: 60)
        // A date in a known layout that does not exist is called impossible, not malformed.
        let t = Array(text.utf8.drop { $0 == 32 }.prefix(10))
        if t.count == 10, t[4] == 45 || t[4] == 47, t[7] == t[4],
           [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ t[$0] >= 48 && t[$0] <= 57 })
        {
            func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(t[$1] - 48) } }
            let (y, m, d) = (num(0..<4), num(5..<7), num(8..<10))
            if m < 1 || m > 12 || d < 1 || d > CivilDate.daysIn(month: m, year: y) {
                return "impossible date in timestamp '\(quoted)': \(String(decoding: t, as: UTF8.self)) does not exist"
            }
        }
        var s = "malformed timestamp '\(quoted)' (tried \(autoLayouts))"
        let found = TimestampFormat.suggestions(for: text)
        if let first = found.first {
            s += "; it reads with --timestamp-format '\(first)'"
            if found.count > 1 { s += " (or '\(found[1])')" }
        } else {
            s += "; give its layout with --timestamp-format, e.g. '%d/%m/%Y %H:%M'"
        }
        return s
    }

    /// The one-based column, in characters of its line, of byte `offset` of `p` (the line starts
    /// after the last line break before `offset`, and not before `lineFloor`: where the record
    /// begins, the first byte a streaming reader still holds).
    static func column(_ p: UnsafePointer<UInt8>, offset: Int, lineFloor: Int = 0) -> Int {
        var start = offset
        while start > lineFloor && p[start - 1] != 10 && p[start - 1] != 13 { start -= 1 }
        return JSONLReader.column(p, lineStart: start, offset: offset)
    }

    /// Parses a Swift string (tests, XES attribute values after entity decoding).
    package mutating func parse(_ s: String) -> Double? {
        var bytes = Array(s.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return nil }
            return parse(base, 0, b.count - 1)
        }
    }

    /// Offset (seconds east of UTC) of the configured zone at a local wall-clock time.
    private mutating func naiveOffset(_ local: Int64) -> Int32 {
        guard let tz = timeZone else { return 0 }
        let hour = local >= 0 ? local / 3600 : (local - 3599) / 3600
        if hour == lastHour { return lastOffset }
        let off: Int32
        if let cached = offsetCache[hour] {
            off = cached
        } else {
            let guess = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
            let o = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - Int64(guess))))
            off = Int32(clamping: o)
            offsetCache[hour] = off
        }
        lastHour = hour
        lastOffset = off
        return off
    }

    /// Layouts seen, most frequent first.
    var layouts: [TimestampFormatCount] {
        var out: [TimestampFormatCount] = []
        if let format, formatCount > 0 { out.append(TimestampFormatCount(format: format.pattern, count: formatCount)) }
        for (code, n) in layoutCounts.enumerated() where n > 0 {
            out.append(TimestampFormatCount(format: TimestampParser.layoutName(code), count: n))
        }
        return out.sorted { ($0.count, $1.format) > ($1.count, $0.format) }
    }

    static func layoutName(_ code: Int) -> String {
        let zone = code % 5
        let frac = (code / 5) % 11
        let sep = code / 55
        var s: String
        switch sep {
        case 0: s = "YYYY-MM-DDTHH:MM:SS"
        case 1: s = "YYYY-MM-DD HH:MM:SS"
        case 2: s = "YYYY/MM/DD HH:MM:SS"
        default: s = "YYYY-MM-DD"
        }
        if sep != 3 && frac > 0 && frac < 10 { s += "." + String(repeating: "f", count: frac) }
        switch zone {
        case 1: s += "Z"
        case 2: s += "+HH:MM"
        case 3: s += "+HHMM"
        case 4: s += "+HH"
        default: break
        }
        return s
    }
}
