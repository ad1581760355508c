/// The aligned plain-text and Markdown tables of the text formats (`simulate`, `replay`,
/// `backtest`, `status`).
enum Table {
    /// Rows indented by two, two spaces between columns; `right` columns right-aligned,
    /// the others left-aligned; no trailing spaces.
    static func text(_ header: [String], _ rows: [[String]], right: Set<Int> = []) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : cell.count) - cell.count))
                s += "  " + (right.contains(i) ? pad + cell : cell + pad)
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    /// A GitHub Markdown table with `right` columns right-aligned; cells are written as given.
    static func markdown(_ header: [String], _ rows: [[String]], right: Set<Int> = []) -> String {
        var s = "| " + header.joined(separator: " | ") + " |\n"
        s += "|" + header.indices.map { right.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { s += "| " + row.joined(separator: " | ") + " |\n" }
        return s
    }
}
