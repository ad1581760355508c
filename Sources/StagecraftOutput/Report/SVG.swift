import StagecraftLanguage

/// Building blocks of the report's inline SVG charts, each a pure function of its input:
/// the same data gives the same bytes, whatever the locale or the platform.

/// Chart renderers for the HTML report; each is a pure function of its input that
/// returns one `<svg>` element (with `viewBox`, `role="img"`, a `<title>` and stable CSS
/// classes `chart chart-…`) as text.
public enum ReportCharts {}

/// A coordinate as SVG text (2 decimals, trimmed).
@inline(__always) func fc(_ v: Double) -> String { NumberFormat.trimmed(v, 2) }

/// Markup escaping for text that goes into XML or HTML, in content or in attribute values.
public enum Markup {
    /// Escapes `& < > " '` and replaces characters XML 1.0 does not allow (C0 controls
    /// other than tab, line feed and carriage return; U+FFFE and U+FFFF) with U+FFFD,
    /// so the result always parses as XML.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF || (v >= 0x7F && v <= 0x84) || (v >= 0x86 && v <= 0x9F) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Locale-independent number formatting with a fixed number of decimals.
public enum NumberFormat {
    /// `v` rounded half away from zero to `decimals` places (0…6), e.g. `fixed(2.345, 1)`
    /// is `"2.3"`, `fixed(2, 1)` is `"2.0"`. Non-finite values print as `"0"`; magnitudes
    /// beyond 10^15 are clamped.
    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        render(v, decimals, trim: false)
    }

    /// Like `fixed`, without trailing zeros or a trailing point: `trimmed(2.50, 2)` is `"2.5"`.
    /// SVG coordinates use it with 2 decimals.
    public static func trimmed(_ v: Double, _ decimals: Int = 2) -> String {
        render(v, decimals, trim: true)
    }

    /// A share 0…1 as a whole percentage: `percent(0.333)` is `"33%"`.
    public static func percent(_ share: Double, decimals: Int = 0) -> String {
        fixed(share * 100, decimals) + "%"
    }

    /// An integer with thousands separated by commas: `grouped(10000)` is `"10,000"`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    private static func render(_ v: Double, _ decimals: Int, trim: Bool) -> String {
        guard v.isFinite else { return "0" }
        let d = max(0, min(decimals, 6))
        var scale: Int64 = 1
        for _ in 0..<d { scale *= 10 }
        let limit = 1e15
        let scaled = min((abs(v) * Double(scale)).rounded(.toNearestOrAwayFromZero), limit * Double(scale))
        let n = Int64(scaled)
        let whole = n / scale
        let fraction = n % scale
        var s = (v < 0 && n != 0 ? "-" : "") + String(whole)
        if d > 0 {
            var f = String(fraction)
            if f.count < d { f = String(repeating: "0", count: d - f.count) + f }
            if trim {
                while f.hasSuffix("0") { f.removeLast() }
            }
            if !f.isEmpty { s += "." + f }
        }
        return s
    }
}

/// Writes one `<svg>` element: attributes in the order given, numbers as 2-decimal
/// coordinates, every text escaped.
public struct SVGWriter: Sendable {
    public let width: Double
    public let height: Double
    private var parts: [String] = []

    /// Starts an SVG with `class="chart <className>"`, a `<title>` and an optional `<desc>`;
    /// with `minimumScale` a page shrinks it no further than that share (then scrolls it).
    public init(width: Double, height: Double, className: String, title: String, description: String? = nil,
                minimumScale: Double? = nil) {
        self.width = max(1, width.isFinite ? width : 1)
        self.height = max(1, height.isFinite ? height : 1)
        let w = NumberFormat.trimmed(self.width), h = NumberFormat.trimmed(self.height)
        var style = ""
        if let minimumScale, minimumScale > 0, minimumScale.isFinite {
            style = "style=\"min-width: \(NumberFormat.trimmed((self.width * min(1, minimumScale)).rounded()))px\" "
        }
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart \(Markup.escape(className))\" "
            + "viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" \(style)role=\"img\" "
            + "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" "
            + "font-size=\"12\">")
        parts.append("<title>\(Markup.escape(title))</title>")
        if let description {
            parts.append("<desc>\(Markup.escape(description))</desc>")
        }
    }

    /// An attribute value: a number (2 decimals, trimmed) or a string (escaped).
    public enum Value: Sendable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case number(Double)
        case text(String)

        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(integerLiteral value: Int) { self = .number(Double(value)) }

        var rendered: String {
            switch self {
            case .number(let v): return NumberFormat.trimmed(v, 2)
            case .text(let s): return Markup.escape(s)
            }
        }
    }

    private static func attributes(_ attrs: [(String, Value)]) -> String {
        var s = ""
        for (name, value) in attrs {
            s += " \(name)=\"\(value.rendered)\""
        }
        return s
    }

    /// An empty element, e.g. `<rect …/>`.
    public mutating func element(_ name: String, _ attrs: [(String, Value)]) {
        parts.append("<\(name)\(SVGWriter.attributes(attrs))/>")
    }

    /// An element with escaped text content, e.g. `<text …>label</text>`.
    public mutating func element(_ name: String, _ attrs: [(String, Value)], text: String) {
        parts.append("<\(name)\(SVGWriter.attributes(attrs))>\(Markup.escape(text))</\(name)>")
    }

    /// Opens a container (`<g>`); close it with `close`.
    public mutating func open(_ name: String, _ attrs: [(String, Value)] = []) {
        parts.append("<\(name)\(SVGWriter.attributes(attrs))>")
    }

    public mutating func close(_ name: String) {
        parts.append("</\(name)>")
    }

    /// A tooltip for the enclosing element.
    public mutating func tooltip(_ text: String) {
        parts.append("<title>\(Markup.escape(text))</title>")
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, _ extra: [(String, Value)] = []) {
        element("rect", [("x", .number(x)), ("y", .number(y)), ("width", .number(max(0, width))),
                         ("height", .number(max(0, height)))] + extra)
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, _ extra: [(String, Value)] = []) {
        element("line", [("x1", .number(x1)), ("y1", .number(y1)), ("x2", .number(x2)), ("y2", .number(y2))] + extra)
    }

    public mutating func text(_ content: String, x: Double, y: Double, _ extra: [(String, Value)] = []) {
        element("text", [("x", .number(x)), ("y", .number(y))] + extra, text: content)
    }

    /// A polygon through the points.
    public mutating func polygon(_ points: [(Double, Double)], _ extra: [(String, Value)] = []) {
        element("polygon", [("points", .text(SVGWriter.points(points)))] + extra)
    }

    /// `x,y x,y …` with 2-decimal numbers.
    public static func points(_ points: [(Double, Double)]) -> String {
        points.map { NumberFormat.trimmed($0.0) + "," + NumberFormat.trimmed($0.1) }.joined(separator: " ")
    }

    /// A "No data" note in the middle of the chart.
    public mutating func noData(_ message: String) {
        text(message, x: width / 2, y: height / 2,
             [("class", "no-data"), ("text-anchor", "middle"), ("fill", "#6b7280"), ("font-size", 14)])
    }

    /// The finished `<svg>…</svg>` element.
    public func finish() -> String {
        parts.joined(separator: "\n") + "\n</svg>"
    }
}

/// A linear map from a data interval onto a pixel interval.
public struct LinearScale: Hashable, Sendable {
    public let lower: Double
    public let upper: Double
    public let start: Double
    public let end: Double

    /// An empty or non-finite domain is widened to one unit so the map never divides by zero.
    public init(domain lower: Double, _ upper: Double, range start: Double, _ end: Double) {
        var lo = lower.isFinite ? lower : 0
        var hi = upper.isFinite ? upper : lo + 1
        if hi < lo { swap(&lo, &hi) }
        if hi == lo { hi = lo + 1 }
        self.lower = lo
        self.upper = hi
        self.start = start
        self.end = end
    }

    /// The pixel position of `v` (not clamped).
    public func callAsFunction(_ v: Double) -> Double {
        guard v.isFinite else { return start }
        return start + (v - lower) / (upper - lower) * (end - start)
    }
}

/// Round tick values for an axis ("nice numbers": 1, 2, 2.5 or 5 times a power of ten).
public struct AxisTicks: Hashable, Sendable {
    /// The axis extent, widened outward to whole steps.
    public let lower: Double
    public let upper: Double
    public let step: Double
    public let values: [Double]
    /// Decimals that show every tick exactly.
    public let decimals: Int

    /// Ticks covering `lower…upper` with at most about `maxCount` intervals. A zero-width or
    /// non-finite range becomes `lower…lower + 1`.
    public init(lower: Double, upper: Double, maxCount: Int = 6) {
        // Clamp to ±10^12 so the span stays finite and the step loops below end.
        var lo = lower.isFinite ? min(max(lower, -1e12), 1e12) : 0
        var hi = upper.isFinite ? min(max(upper, -1e12), 1e12) : lo + 1
        if hi < lo { swap(&lo, &hi) }
        if hi - lo < 1e-9 { hi = lo + 1 }
        let count = Double(max(1, min(maxCount, 50)))
        let raw = (hi - lo) / count
        var magnitude = 1.0
        // A power of ten at or below `raw`, without log10 rounding surprises.
        if raw >= 1 {
            while magnitude * 10 <= raw { magnitude *= 10 }
        } else {
            while magnitude > raw && magnitude > 1e-9 { magnitude /= 10 }
        }
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10
        let step = nice * magnitude
        let first = (lo / step + 1e-9).rounded(.down)
        let last = (hi / step - 1e-9).rounded(.up)
        let n = max(1, min(Int(last - first), 200))
        self.step = step
        self.lower = first * step
        self.upper = (first + Double(n)) * step
        self.values = (0...n).map { (first + Double($0)) * step }
        // The fewest decimals that write the step exactly (1 → 0, 0.5 → 1, 2.5 → 1, 0.25 → 2).
        var decimals = 0
        var scaled = step
        while decimals < 6 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) {
            scaled *= 10
            decimals += 1
        }
        self.decimals = decimals
    }

    /// A tick value as text with just enough decimals.
    public func label(_ v: Double) -> String { NumberFormat.fixed(v, decimals) }
}

/// Text-width estimates for layout without a font engine (about 0.58 em per character of a
/// sans-serif face), and truncation with an ellipsis.
public enum TextMetrics {
    /// Approximate rendered width of `text` at `fontSize`.
    public static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.58
    }

    /// `text` cut to fit `width` at `fontSize`, ending in "…" when cut.
    public static func truncate(_ text: String, toWidth width: Double, fontSize: Double) -> String {
        let maxChars = Int((width / (fontSize * 0.58)).rounded(.down))
        guard text.count > maxChars else { return text }
        guard maxChars > 1 else { return maxChars == 1 ? "…" : "" }
        return String(text.prefix(maxChars - 1)).trimmingSuffixSpaces() + "…"
    }
}

extension String {
    func trimmingSuffixSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// The report's colours, in one place so charts and the legend agree.
enum Palette {
    static let ink = "#1f2933"
    static let muted = "#6b7280"
    static let grid = "#e5e7eb"
    static let axis = "#9ca3af"
    static let stageFill = "#eaf1fd"
    static let stageStroke = "#3466c2"
    static let gateFill = "#fff3e0"
    static let gateStroke = "#c76a12"
    static let critical = "#c8322f"
    static let bar = "#4f7fd6"
    static let waiting = "#f0a23b"
    static let processing = "#3466c2"
    static let skippedFill = "#f1f2f4"
    static let skippedStroke = "#a3a9b3"
    static let nonWorking = "#f3f4f6"
    static let wait = "#c7d2e5"
    static let deadline = "#b42318"
    static let breach = "#d1495b"
    static let percentile = "#374151"
}
