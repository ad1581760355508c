import Foundation

/// The unit of a duration literal.
public enum DurationUnit: String, Sendable, CaseIterable {
    case minutes = "m"
    case hours = "h"
    case days = "d"
    case weeks = "w"
    /// Business days on the workflow's calendar.
    case businessDays = "bd"

    /// The unit spelled by some bytes, without making a string of them.
    package static func spelled(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> DurationUnit? {
        switch end - start {
        case 1:
            switch b[start] {
            case 0x6D: return .minutes   // m
            case 0x68: return .hours     // h
            case 0x64: return .days      // d
            case 0x77: return .weeks     // w
            default: return nil
            }
        case 2:
            return b[start] == 0x62 && b[start + 1] == 0x64 ? .businessDays : nil  // bd
        default:
            return nil
        }
    }

    /// Seconds in one unit; a business day counts 24 hours of business time.
    public var seconds: Double {
        switch self {
        case .minutes: return 60
        case .hours: return 3600
        case .days, .businessDays: return 86_400
        case .weeks: return 604_800
        }
    }
}

/// A span of time written in a `.flow` file: an amount and a unit.
///
/// Elapsed units (`m`, `h`, `d`, `w`) measure wall-clock time; `bd` measures business
/// time on the workflow calendar (see `BusinessCalendar`).
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    public var amount: Double
    public var unit: DurationUnit

    public init(amount: Double, unit: DurationUnit) {
        self.amount = amount
        self.unit = unit
    }

    /// True for `bd` durations, which run on the business calendar.
    public var isBusiness: Bool { unit == .businessDays }

    /// The length in seconds: elapsed seconds, or business seconds for `bd`.
    public var seconds: Double { amount * unit.seconds }

    /// The canonical spelling, e.g. `3bd`, `2.5d`.
    public var description: String { formatNumber(amount) + unit.rawValue }
}

/// Writes a number the way a `.flow` file spells it: no trailing `.0`, no exponent.
public func formatNumber(_ v: Double) -> String {
    if v.isNaN || v.isInfinite { return "0" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    // Beyond 2^53 every Double is whole: print its digits without going through Int64.
    if abs(v) >= 1e15 { return String(format: "%.0f", v) }
    var s = String(v)
    if s.contains("e") {
        // Fall back to a fixed representation with enough digits.
        s = fixedDecimal(v)
    }
    return s
}

private func fixedDecimal(_ v: Double) -> String {
    let negative = v < 0
    var x = abs(v)
    let whole = x.rounded(.down)
    x -= whole
    var digits = ""
    var count = 0
    while x > 0 && count < 12 {
        x *= 10
        let d = Int(x.rounded(.down))
        digits.append(Character(String(d)))
        x -= Double(d)
        count += 1
    }
    while digits.hasSuffix("0") { digits.removeLast() }
    let head = (negative ? "-" : "") + String(Int64(whole))
    return digits.isEmpty ? head : head + "." + digits
}
