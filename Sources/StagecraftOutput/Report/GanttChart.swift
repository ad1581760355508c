import StagecraftSyntax
import StagecraftLanguage

/// The planned schedule as a Gantt chart, at day resolution.

/// One bar of the Gantt chart.
public struct GanttRow: Hashable, Sendable {
    public var id: String
    public var title: String
    /// The first planned day.
    public var start: CivilDate
    /// The due date: the last planned day, inclusive. A bar from Monday to Wednesday is
    /// three days wide. An `end` before `start` draws a milestone (no duration).
    public var end: CivilDate
    /// On the critical path: drawn in the critical colour.
    public var critical = false
    /// Skipped (its `when` is false): no bar, a "skipped" note.
    public var skipped = false
    /// The day it became ready; when before `start`, the days it waited for a free owner
    /// are drawn as a pale lead-in to the bar.
    public var ready: CivilDate?
}

/// Everything the Gantt chart draws.
public struct GanttInput: Hashable, Sendable {
    public var rows: [GanttRow]
    /// Kickoff: a labelled vertical line at the start of that day.
    public var kickoff: CivilDate?
    /// The deadline: a labelled vertical line at the end of that day (work is due by then).
    public var deadline: CivilDate?
    /// Non-working days (weekends, holidays) are shaded when given.
    public var calendar: BusinessCalendar?
}

/// The Gantt chart's fixed geometry and its day scale.
public struct GanttLayout: Hashable, Sendable {
    public static let width = 960.0
    public static let plotX = 250.0
    public static let plotWidth = 680.0
    public static let headerHeight = 48.0
    public static let rowHeight = 26.0
    public static let barHeight = 14.0
    public static let legendHeight = 40.0

    /// The first day shown (day number) and one past the last.
    public let firstDay: Int
    public let endDay: Int

    /// The days from the earliest of kickoff and the starts to the latest of the due dates
    /// and the deadline, inclusive; nil without rows or dates.
    public init?(_ input: GanttInput) {
        var days: [Int] = []
        for r in input.rows {
            if let ready = r.ready { days.append(ready.dayNumber) }
            days.append(r.start.dayNumber)
            days.append(max(r.start.dayNumber, r.end.dayNumber))
        }
        if let k = input.kickoff { days.append(k.dayNumber) }
        if let d = input.deadline { days.append(d.dayNumber) }
        guard let lo = days.min(), let hi = days.max() else { return nil }
        self.init(firstDay: lo, endDay: hi + 1)
    }

    /// The days `firstDay..<endDay`.
    init(firstDay: Int, endDay: Int) {
        self.firstDay = firstDay
        self.endDay = endDay
    }

    /// Width of one day in pixels.
    public var dayWidth: Double { GanttLayout.plotWidth / Double(max(1, endDay - firstDay)) }

    /// The x position of the start of a day.
    public func x(ofDay day: Int) -> Double {
        GanttLayout.plotX + Double(day - firstDay) * dayWidth
    }
}

extension ReportCharts {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Jan 5`.
    static func shortDate(_ d: CivilDate) -> String {
        let m = d.month >= 1 && d.month <= 12 ? monthNames[d.month - 1] : "?"
        return "\(m) \(d.day)"
    }

    /// What a day-axis chart of `rows` rows over the days of `layout` is drawn over: row
    /// stripes, the non-working days of `calendar` shaded, and week ticks.
    static func drawDayGrid(_ svg: inout SVGWriter, layout: GanttLayout, rows: Int, calendar: BusinessCalendar?,
                            tickWidth: Bool) {
        typealias L = GanttLayout
        let plotTop = L.headerHeight, plotBottom = plotTop + Double(rows) * L.rowHeight
        let plotRight = L.plotX + L.plotWidth
        let firstDay = layout.firstDay, endDay = layout.endDay

        svg.open("g", [("class", "rows")])
        for i in 0..<rows where i % 2 == 1 {
            svg.rect(x: 0, y: plotTop + Double(i) * L.rowHeight, width: L.width, height: L.rowHeight,
                     [("fill", "#f9fafb")])
        }
        svg.close("g")

        if let calendar, layout.dayWidth >= 1.5 {
            svg.open("g", [("class", "non-working"), ("fill", .text(Palette.nonWorking))])
            var day = firstDay
            while day < endDay {
                guard !calendar.isBusinessDay(day) else {
                    day += 1
                    continue
                }
                // Merge a run of non-working days into one rectangle.
                var end = day + 1
                while end < endDay && !calendar.isBusinessDay(end) { end += 1 }
                svg.rect(x: layout.x(ofDay: day), y: plotTop, width: Double(end - day) * layout.dayWidth,
                         height: plotBottom - plotTop, [("fill-opacity", 0.9)])
                day = end
            }
            svg.close("g")
        }

        // Week ticks on Mondays.
        let stepWeeks = max(1, Int((Double(endDay - firstDay) / 7 / 11).rounded(.up)))
        var tick = firstDay
        while CivilDate.weekday(ofDay: tick) != 0 { tick += 1 }
        svg.open("g", [("class", "axis axis-x"), ("font-size", 11), ("fill", .text(Palette.muted))])
        var tickCount = 0
        while tick <= endDay && tickCount < 60 {
            let tx = layout.x(ofDay: tick)
            svg.line(x1: tx, y1: plotTop - 6, x2: tx, y2: plotBottom,
                     [("class", "tick"), ("stroke", .text(Palette.grid))] + (tickWidth ? [("stroke-width", 1)] : []))
            if tx + 20 <= plotRight + 10 {
                svg.text(shortDate(CivilDate(dayNumber: tick)), x: tx + 3, y: plotTop - 10, [("class", "tick-label")])
            }
            tick += 7 * stepWeeks
            tickCount += 1
        }
        let startDate = CivilDate(dayNumber: firstDay), lastDate = CivilDate(dayNumber: endDay - 1)
        let years = startDate.year == lastDate.year ? "\(startDate.year)" : "\(startDate.year)–\(lastDate.year)"
        svg.text("Weeks (Mondays), \(years)", x: 16, y: plotTop - 10, [("class", "axis-title"), ("font-weight", 600)])
        svg.line(x1: L.plotX, y1: plotTop, x2: plotRight, y2: plotTop, [("stroke", .text(Palette.axis))])
        svg.close("g")
    }

    /// The Gantt chart as an SVG (`class="chart chart-gantt"`): one bar per row from start
    /// to due date, week ticks, shaded non-working days, critical bars in red, kickoff and
    /// deadline lines, and a legend.
    public static func gantt(_ input: GanttInput, title: String = "Planned schedule") -> String {
        typealias L = GanttLayout
        let rows = input.rows
        let height = L.headerHeight + Double(max(rows.count, 1)) * L.rowHeight + 26 + L.legendHeight
        var svg = SVGWriter(width: L.width, height: height, className: "chart-gantt", title: title,
                            description: "\(rows.count) planned nodes on a day axis")
        guard let layout = GanttLayout(input), !rows.isEmpty else {
            svg.noData("No planned stages or gates")
            return svg.finish()
        }
        let plotTop = L.headerHeight
        let plotBottom = plotTop + Double(rows.count) * L.rowHeight
        let plotRight = L.plotX + L.plotWidth
        let dayWidth = layout.dayWidth
        drawDayGrid(&svg, layout: layout, rows: rows.count, calendar: input.calendar, tickWidth: true)

        // Bars and labels.
        for (i, row) in rows.enumerated() {
            let (barY, textY) = svg.rowLabel(row.title, index: i, top: plotTop, rowHeight: L.rowHeight, barHeight: L.barHeight,
                                             plotX: L.plotX, color: row.skipped ? Palette.muted : Palette.ink)
            let s = row.start.dayNumber, e = row.end.dayNumber
            let bx = layout.x(ofDay: s)
            if row.skipped {
                svg.text("skipped", x: bx + 2, y: textY, [("class", "gantt-skipped"), ("font-size", 11),
                                                         ("font-style", "italic"), ("fill", .text(Palette.muted))])
                continue
            }
            let colour = row.critical ? Palette.critical : Palette.bar
            let due = e < s ? row.start : row.end
            if let ready = row.ready?.dayNumber, ready < s {
                svg.rect(x: layout.x(ofDay: ready), y: barY + 3, width: Double(s - ready) * dayWidth, height: L.barHeight - 6,
                         [("class", "gantt-wait"), ("data-id", .text(row.id)), ("rx", 2), ("fill", .text(Palette.wait))])
            }
            if e < s {
                let cx = bx, cy = barY + L.barHeight / 2, r = L.barHeight / 2 + 1
                svg.open("g", [("class", .text(row.critical ? "gantt-milestone critical" : "gantt-milestone")),
                               ("data-id", .text(row.id))])
                svg.tooltip("\(row.title): \(row.start)")
                svg.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], [("fill", .text(colour))])
                svg.close("g")
            } else {
                let w = Double(e - s + 1) * dayWidth
                svg.open("g", [("class", .text(row.critical ? "gantt-row critical" : "gantt-row")), ("data-id", .text(row.id))])
                svg.tooltip("\(row.title): \(row.start) – \(row.end)\(row.critical ? " (critical path)" : "")")
                svg.rect(x: bx, y: barY, width: w, height: L.barHeight,
                         [("class", .text(row.critical ? "gantt-bar critical" : "gantt-bar")), ("rx", 3), ("fill", .text(colour))])
                svg.close("g")
            }
            let dueText = shortDate(due)
            let endX = e < s ? bx + L.barHeight / 2 + 4 : layout.x(ofDay: e + 1) + 4
            let dueWidth = TextMetrics.width(dueText, fontSize: 10.5)
            // After the bar, or before it when the bar ends at the right edge.
            let leadIn = row.ready.map { min($0.dayNumber, s) } ?? s
            if endX + dueWidth <= L.width - 4 {
                svg.text(dueText, x: endX, y: textY - 0.5, [("class", "due-label"), ("font-size", 10.5),
                                                             ("fill", .text(Palette.muted))])
            } else if layout.x(ofDay: leadIn) - 4 - dueWidth >= L.plotX {
                svg.text(dueText, x: layout.x(ofDay: leadIn) - 4, y: textY - 0.5,
                         [("class", "due-label"), ("font-size", 10.5), ("text-anchor", "end"), ("fill", .text(Palette.muted))])
            }
        }

        // Kickoff and deadline lines.
        if let k = input.kickoff {
            let kx = layout.x(ofDay: k.dayNumber)
            svg.line(x1: kx, y1: plotTop - 4, x2: kx, y2: plotBottom + 4,
                     [("class", "kickoff-line"), ("stroke", .text(Palette.percentile)), ("stroke-width", 1.5)])
            svg.text("Kickoff \(k)", x: kx, y: plotBottom + 18, [("class", "marker-label"), ("font-size", 11),
                                                               ("text-anchor", "start"), ("fill", .text(Palette.percentile))])
        }
        if let d = input.deadline {
            let dx = layout.x(ofDay: d.dayNumber + 1)
            svg.line(x1: dx, y1: plotTop - 4, x2: dx, y2: plotBottom + 4,
                     [("class", "deadline-line"), ("stroke", .text(Palette.deadline)), ("stroke-width", 2),
                      ("stroke-dasharray", "6 3")])
            svg.text("Deadline \(d)", x: dx, y: plotBottom + 18,
                     [("class", "marker-label deadline-label"), ("font-size", 11), ("font-weight", 600),
                      ("text-anchor", .text(dx > plotRight - 90 ? "end" : "middle")), ("fill", .text(Palette.deadline))])
        }

        // Legend.
        let ly = height - L.legendHeight + 14
        var lx = 16.0
        svg.open("g", [("class", "legend"), ("font-size", 11), ("fill", .text(Palette.ink))])
        if rows.contains(where: { $0.critical && !$0.skipped }) {
            svg.rect(x: lx, y: ly, width: 22, height: 12, [("rx", 3), ("fill", .text(Palette.critical))])
            svg.text("Critical path", x: lx + 28, y: ly + 10)
            lx += 110
        }
        svg.rect(x: lx, y: ly, width: 22, height: 12, [("rx", 3), ("fill", .text(Palette.bar))])
        svg.text("Planned (start to due date)", x: lx + 28, y: ly + 10)
        lx += 190
        if rows.contains(where: { r in !r.skipped && (r.ready.map { $0 < r.start } ?? false) }) {
            svg.rect(x: lx, y: ly + 3, width: 22, height: 6, [("rx", 2), ("fill", .text(Palette.wait))])
            svg.text("Waiting for the owner", x: lx + 28, y: ly + 10)
            lx += 160
        }
        if input.calendar != nil {
            svg.rect(x: lx, y: ly, width: 22, height: 12, [("fill", .text(Palette.nonWorking)), ("stroke", .text(Palette.grid))])
            svg.text("Weekend or holiday", x: lx + 28, y: ly + 10)
            lx += 150
        }
        if input.deadline != nil {
            svg.line(x1: lx, y1: ly + 6, x2: lx + 22, y2: ly + 6, [("stroke", .text(Palette.deadline)), ("stroke-width", 2),
                                                                  ("stroke-dasharray", "6 3")])
            svg.text("Deadline", x: lx + 28, y: ly + 10)
        }
        svg.close("g")
        return svg.finish()
    }
}
