import StagecraftLanguage

/// The process graph: nodes left to right by dependency depth.

/// One stage or gate of the process graph.
public struct ProcessGraphNode: Hashable, Sendable {
    public var id: String
    public var title: String
    public var isGate = false
    /// A stage's owner or a gate's approvers (IDs or names, shown as written).
    public var owners: [String] = []
    /// The SLA as written, e.g. `3bd`.
    public var sla: String?
    /// Indices (into the graph's nodes) of the nodes in its `after` list.
    public var after: [Int] = []
    /// A gate's `on reject` target, an index into the graph's nodes.
    public var reworkTarget: Int?
    /// Shown on the rework edge, e.g. `20%`.
    public var reworkLabel: String?
    /// Its `when` is false for the report's params: drawn greyed.
    public var skipped = false
    /// On the planned critical path: drawn with a red outline.
    public var critical = false
}

/// Where each node of the graph goes: column by dependency depth, row by declaration order
/// within the column.
public struct ProcessGraphLayout: Hashable, Sendable {
    /// Column of each node: the length of the longest `after` path from a root.
    public let column: [Int]
    /// Row of each node within its column, in declaration order.
    public let row: [Int]
    public let columnCount: Int
    public let rowCount: Int

    public static let nodeWidth = 200.0
    public static let nodeHeight = 54.0
    public static let columnGap = 64.0
    public static let rowGap = 38.0
    public static let marginX = 20.0
    /// A graph deeper than this many columns wraps into bands of `columnsPerBand`.
    public static let wrapAbove = 5
    public static let columnsPerBand = 4
    /// Top margin: room for `reworkLevels` nested rework arcs above the first row.
    public static func marginTop(reworkLevels: Int) -> Double {
        reworkLevels > 0 ? 58 + reworkLevelStep * Double(reworkLevels - 1) : 20
    }
    /// How much higher each nested rework arc rises than the one inside it.
    public static let reworkLevelStep = 22.0
    /// At most this many arc heights; more rework edges share the highest.
    public static let maxReworkLevels = 6

    /// The arc height level of each rework edge `(gate, target)`: shorter spans (in
    /// columns) lower, so nested loops do not overlap; ties in declaration order.
    public func reworkLevels(_ edges: [(gate: Int, target: Int)]) -> [Int] {
        let order = edges.indices.sorted { a, b in
            let sa = abs(column[edges[a].gate] - column[edges[a].target])
            let sb = abs(column[edges[b].gate] - column[edges[b].target])
            return (sa, edges[a].gate) < (sb, edges[b].gate)
        }
        var levels = [Int](repeating: 0, count: edges.count)
        for (rank, e) in order.enumerated() { levels[e] = min(rank, ProcessGraphLayout.maxReworkLevels - 1) }
        return levels
    }

    /// Lays out `after` lists (indices out of range are ignored). Nodes on a cycle, which
    /// a checked workflow cannot have, are placed after their acyclic predecessors.
    public init(after: [[Int]]) {
        let n = after.count
        var preds = [[Int]](repeating: [], count: n)
        var succs = [[Int]](repeating: [], count: n)
        for (i, list) in after.enumerated() {
            var seen = Set<Int>()
            for p in list where p >= 0 && p < n && p != i && seen.insert(p).inserted {
                preds[i].append(p)
                succs[p].append(i)
            }
        }
        // Kahn's algorithm in declaration order; on a cycle, release the first stuck node.
        var indegree = preds.map(\.count)
        var done = [Bool](repeating: false, count: n)
        var column = [Int](repeating: 0, count: n)
        var queue: [Int] = (0..<n).filter { indegree[$0] == 0 }
        var head = 0
        var processed = 0
        while processed < n {
            if head == queue.count {
                guard let stuck = (0..<n).first(where: { !done[$0] && !queue[head...].contains($0) }) else { break }
                queue.append(stuck)
            }
            let v = queue[head]
            head += 1
            if done[v] { continue }
            done[v] = true
            processed += 1
            var c = 0
            for p in preds[v] where done[p] { c = max(c, column[p] + 1) }
            column[v] = c
            for s in succs[v] where !done[s] {
                indegree[s] -= 1
                if indegree[s] == 0 { queue.append(s) }
            }
        }
        var row = [Int](repeating: 0, count: n)
        var filled = [Int: Int]()
        for i in 0..<n {
            row[i] = filled[column[i], default: 0]
            filled[column[i], default: 0] += 1
        }
        self.column = column
        self.row = row
        self.columnCount = n == 0 ? 0 : (column.max() ?? 0) + 1
        self.rowCount = filled.values.max() ?? 0
    }
}

extension ReportCharts {
    /// Whether the graph numbers its nodes and the page adds a table of full names: from 13
    /// nodes on, or when a title or its owner line does not fit in its box.
    public static func graphNeedsKey(_ nodes: [ProcessGraphNode]) -> Bool {
        typealias L = ProcessGraphLayout
        if nodes.count > 12 { return true }
        return nodes.contains { node in
            let width = L.nodeWidth - (node.isGate ? 34 : 20)
            return TextMetrics.truncate(node.title, toWidth: width, fontSize: 12.5) != node.title
                || TextMetrics.truncate(graphMeta(node), toWidth: width, fontSize: 11) != graphMeta(node)
        }
    }

    /// A node's second line: owners, SLA, "skipped" (its ID when it has none of these).
    static func graphMeta(_ node: ProcessGraphNode) -> String {
        var meta: [String] = []
        if !node.owners.isEmpty { meta.append(node.owners.joined(separator: ", ")) }
        if let sla = node.sla { meta.append("SLA \(sla)") }
        if node.skipped { meta.append("skipped") }
        if meta.isEmpty { meta.append(node.id) }
        return meta.joined(separator: " · ")
    }

    /// The process graph as an SVG (`class="chart chart-graph"`). With `numbered`, titles
    /// start with the node's number so a truncated label can be looked up in the key table.
    public static func processGraph(_ nodes: [ProcessGraphNode], title: String = "Process graph", numbered: Bool = false) -> String {
        typealias L = ProcessGraphLayout
        let layout = ProcessGraphLayout(after: nodes.map(\.after))
        let n = nodes.count
        let reworkEdges: [(gate: Int, target: Int)] = nodes.indices.compactMap { i in
            guard let t = nodes[i].reworkTarget, t >= 0, t < n else { return nil }
            return (i, t)
        }
        let hasRework = !reworkEdges.isEmpty
        let levels = layout.reworkLevels(reworkEdges)
        let top = L.marginTop(reworkLevels: levels.max().map { $0 + 1 } ?? 0)
        let colPitch = L.nodeWidth + L.columnGap
        let rowPitch = L.nodeHeight + L.rowGap
        let legendHeight = 40.0
        // A deep graph wraps: its columns go in bands of `perBand`, one band under the
        // next, so it keeps the page's width and its labels stay legible.
        let wraps = layout.columnCount > L.wrapAbove
        let perBand = wraps ? L.columnsPerBand : max(layout.columnCount, 1)
        let bandCount = max(1, (layout.columnCount + perBand - 1) / perBand)
        func band(_ i: Int) -> Int { layout.column[i] / perBand }
        var bandRows = [Int](repeating: 1, count: bandCount)
        for i in 0..<n { bandRows[band(i)] = max(bandRows[band(i)], layout.row[i] + 1) }
        // Room above each later band for its rework arcs and the edges coming in from above.
        let bandGap = max(top, 40) + 12
        var bandTop = [top]
        for b in 1..<max(bandCount, 1) {
            bandTop.append(bandTop[b - 1] + Double(bandRows[b - 1]) * rowPitch - L.rowGap + bandGap)
        }
        let ox = L.marginX + (wraps ? L.columnGap / 2 : 0)
        let shownColumns = wraps ? perBand : layout.columnCount
        let graphWidth = Double(shownColumns) * colPitch - L.columnGap
        let width = max(2 * ox + graphWidth, 640)
        let graphBottom = (bandTop.last ?? top) + Double(max(n == 0 ? 1 : bandRows[bandCount - 1], 1)) * rowPitch - L.rowGap
        let height = graphBottom + 24 + legendHeight
        // A deep graph shrunk to the page would have unreadable labels: at most to 60%.
        var svg = SVGWriter(width: width, height: height, className: "chart-graph", title: title,
                            description: "\(n) nodes laid out left to right by dependency depth"
                                + (bandCount > 1 ? ", wrapped into \(bandCount) bands of \(perBand) columns" : ""),
                            minimumScale: 0.6)
        guard n > 0 else {
            svg.noData("No stages or gates")
            return svg.finish()
        }
        func x(_ i: Int) -> Double { ox + Double(layout.column[i] % perBand) * colPitch }
        func y(_ i: Int) -> Double { bandTop[band(i)] + Double(layout.row[i]) * rowPitch }
        let midY = { (i: Int) in y(i) + L.nodeHeight / 2 }
        var occupied = Set<[Int]>()
        for i in 0..<n { occupied.insert([layout.column[i], layout.row[i]]) }

        // Edges first, under the nodes.
        svg.open("g", [("class", "edges"), ("fill", "none"), ("stroke", .text(Palette.axis)), ("stroke-width", 1.5)])
        for (i, node) in nodes.enumerated() {
            var seen = Set<Int>()
            for p in node.after where p >= 0 && p < n && p != i && seen.insert(p).inserted {
                let x1 = x(p) + L.nodeWidth, y1 = midY(p)
                let x2 = x(i), y2 = midY(i)
                let span = layout.column[i] - layout.column[p]
                let path: String
                // A straight curve when the cells between the two ends on their row are free.
                func straightIsFree() -> Bool {
                    y1 == y2 && span > 1
                        && (layout.column[p] + 1..<layout.column[i]).allSatisfy { !occupied.contains([$0, layout.row[i]]) }
                }
                if band(i) != band(p) {
                    // Into a later band: out to the right, down to just above the target's
                    // band, back left, and in from the left.
                    let h = L.columnGap / 2
                    let gy = bandTop[band(i)] - bandGap + 12
                    path = "M\(fc(x1)) \(fc(y1)) L\(fc(x1 + h)) \(fc(y1)) L\(fc(x1 + h)) \(fc(gy)) "
                        + "L\(fc(x2 - h)) \(fc(gy)) L\(fc(x2 - h)) \(fc(y2)) L\(fc(x2 - 7)) \(fc(y2))"
                } else if span <= 1 || straightIsFree() {
                    let mx = (x1 + x2) / 2
                    path = "M\(fc(x1)) \(fc(y1)) C\(fc(mx)) \(fc(y1)) \(fc(mx)) \(fc(y2)) \(fc(x2 - 7)) \(fc(y2))"
                } else {
                    // Route through the horizontal gap between rows that is nearest both ends.
                    let bt = bandTop[band(i)]
                    var best = bt - L.rowGap / 2
                    var bestCost = Double.infinity
                    for k in 1...max(bandRows[band(i)], 1) {
                        let g = bt + Double(k) * rowPitch - L.rowGap / 2
                        let cost = abs(g - y1) + abs(g - y2)
                        if cost < bestCost {
                            best = g
                            bestCost = cost
                        }
                    }
                    let xa = x1 + L.columnGap, xb = x2 - L.columnGap
                    let h = L.columnGap / 2
                    path = "M\(fc(x1)) \(fc(y1)) C\(fc(x1 + h)) \(fc(y1)) \(fc(x1 + h)) \(fc(best)) \(fc(xa)) \(fc(best)) "
                        + "L\(fc(xb)) \(fc(best)) C\(fc(xb + h)) \(fc(best)) \(fc(xb + h)) \(fc(y2)) \(fc(x2 - 7)) \(fc(y2))"
                }
                svg.element("path", [("class", "edge"), ("data-from", .text(nodes[p].id)),
                                     ("data-to", .text(node.id)), ("d", .text(path))])
                svg.polygon([(x2, y2), (x2 - 8, y2 - 4.5), (x2 - 8, y2 + 4.5)],
                            [("class", "arrowhead"), ("fill", .text(Palette.axis)), ("stroke", "none")])
            }
        }
        svg.close("g")

        // Rework edges: dashed arcs from the gate's top back to the target's top.
        if hasRework {
            svg.open("g", [("class", "rework-edges"), ("fill", "none"), ("stroke", .text(Palette.gateStroke)),
                           ("stroke-width", 1.5)])
            for (k, edge) in reworkEdges.enumerated() {
                let i = edge.gate, t = edge.target
                let node = nodes[i]
                var sx = x(i) + L.nodeWidth / 2, tx = x(t) + L.nodeWidth / 2
                if t == i {
                    sx += 24
                    tx -= 24
                }
                let sy = y(i), ty = y(t)
                let cy = min(sy, ty) - 44 - L.reworkLevelStep * Double(levels[k])
                let path = "M\(fc(sx)) \(fc(sy)) C\(fc(sx)) \(fc(cy)) \(fc(tx)) \(fc(cy)) \(fc(tx)) \(fc(ty - 7))"
                svg.element("path", [("class", "edge rework"), ("data-from", .text(node.id)),
                                     ("data-to", .text(nodes[t].id)), ("stroke-dasharray", "6 4"), ("d", .text(path))])
                svg.polygon([(tx, ty), (tx - 4.5, ty - 8), (tx + 4.5, ty - 8)],
                            [("class", "arrowhead"), ("fill", .text(Palette.gateStroke)), ("stroke", "none")])
                // The label sits beside the arc where it leaves the gate (the arc bends away
                // towards the upstream target), so nested loops keep their labels apart.
                let label = "rework" + (node.reworkLabel.map { " " + $0 } ?? "")
                svg.text(label, x: sx + 6, y: sy - 10,
                         [("class", "edge-label"), ("text-anchor", "start"), ("fill", .text(Palette.gateStroke)),
                          ("font-size", 11)] + ReportCharts.halo)
            }
            svg.close("g")
        }

        // Nodes.
        for (i, node) in nodes.enumerated() {
            let nx = x(i), ny = y(i), w = L.nodeWidth, h = L.nodeHeight
            var classes = node.isGate ? "node gate" : "node stage"
            if node.skipped { classes += " skipped" }
            if node.critical { classes += " critical" }
            svg.open("g", [("class", .text(classes)), ("data-id", .text(node.id))])
            var tip = "\(node.isGate ? "Gate" : "Stage") \(node.id): \(node.title)"
            if !node.owners.isEmpty { tip += "\n\(node.isGate ? "Approvers" : "Owner"): \(node.owners.joined(separator: ", "))" }
            if let sla = node.sla { tip += "\nSLA: \(sla)" }
            if node.skipped { tip += "\nSkipped (its condition is false)" }
            svg.tooltip(tip)
            let fill = node.skipped ? Palette.skippedFill : node.isGate ? Palette.gateFill : Palette.stageFill
            let stroke = node.skipped ? Palette.skippedStroke : node.critical ? Palette.critical
                : node.isGate ? Palette.gateStroke : Palette.stageStroke
            var shape: [(String, SVGWriter.Value)] = [("fill", .text(fill)), ("stroke", .text(stroke)),
                                                      ("stroke-width", node.critical && !node.skipped ? 2.5 : 1.5)]
            if node.skipped { shape.append(("stroke-dasharray", "4 3")) }
            if node.isGate {
                let inset = 14.0
                svg.polygon([(nx, ny + h / 2), (nx + inset, ny), (nx + w - inset, ny), (nx + w, ny + h / 2),
                             (nx + w - inset, ny + h), (nx + inset, ny + h)], shape)
            } else {
                svg.rect(x: nx, y: ny, width: w, height: h, [("rx", 8), ("ry", 8)] + shape)
            }
            let textWidth = w - (node.isGate ? 34 : 20)
            let titleColor = node.skipped ? Palette.muted : Palette.ink
            let shownTitle = numbered ? "\(i + 1). \(node.title)" : node.title
            svg.text(TextMetrics.truncate(shownTitle, toWidth: textWidth, fontSize: 12.5), x: nx + w / 2, y: ny + 22,
                     [("class", "node-title"), ("text-anchor", "middle"), ("font-size", 12.5), ("font-weight", 600),
                      ("fill", .text(titleColor))])
            svg.text(TextMetrics.truncate(graphMeta(node), toWidth: textWidth, fontSize: 11),
                     x: nx + w / 2, y: ny + 40,
                     [("class", "node-meta"), ("text-anchor", "middle"), ("font-size", 11), ("fill", .text(Palette.muted))])
            svg.close("g")
        }

        // Legend.
        var lx = ox
        let ly = height - legendHeight + 12
        svg.open("g", [("class", "legend"), ("font-size", 11), ("fill", .text(Palette.ink))])
        svg.rect(x: lx, y: ly, width: 22, height: 14, [("rx", 3), ("fill", .text(Palette.stageFill)),
                                                      ("stroke", .text(Palette.stageStroke))])
        svg.text("Stage", x: lx + 28, y: ly + 11)
        lx += 80
        svg.polygon([(lx, ly + 7), (lx + 5, ly), (lx + 17, ly), (lx + 22, ly + 7), (lx + 17, ly + 14), (lx + 5, ly + 14)],
                    [("fill", .text(Palette.gateFill)), ("stroke", .text(Palette.gateStroke))])
        svg.text("Gate (approval)", x: lx + 28, y: ly + 11)
        lx += 130
        if nodes.contains(where: { $0.critical && !$0.skipped }) {
            svg.rect(x: lx, y: ly, width: 22, height: 14, [("rx", 3), ("fill", "#ffffff"),
                                                          ("stroke", .text(Palette.critical)), ("stroke-width", 2.5)])
            svg.text("Critical path", x: lx + 28, y: ly + 11)
            lx += 112
        }
        if hasRework {
            svg.line(x1: lx, y1: ly + 7, x2: lx + 22, y2: ly + 7, [("stroke", .text(Palette.gateStroke)),
                                                                  ("stroke-width", 1.5), ("stroke-dasharray", "6 4")])
            svg.text("Rework on reject", x: lx + 28, y: ly + 11)
            lx += 136
        }
        if nodes.contains(where: \.skipped) {
            svg.rect(x: lx, y: ly, width: 22, height: 14, [("rx", 3), ("fill", .text(Palette.skippedFill)),
                                                          ("stroke", .text(Palette.skippedStroke)), ("stroke-dasharray", "4 3")])
            svg.text("Skipped (condition false)", x: lx + 28, y: ly + 11)
        }
        svg.close("g")
        return svg.finish()
    }
}
