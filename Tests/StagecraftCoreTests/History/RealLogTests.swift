import Foundation
import Testing
@testable import StagecraftHistory

/// Reads the real logs in `shared/data` (outside the repo) when present and checks them against
/// the counts in its INVENTORY.md. Skips with a notice when the folder is absent.
@Suite struct RealLogTests {
    static func dataFolder() -> String? {
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for dir in [repo.appendingPathComponent("../shared/data").standardized.path, "/work/shared/data"] {
            if FileManager.default.fileExists(atPath: dir + "/INVENTORY.md") { return dir }
        }
        return nil
    }

    struct Expected: Sendable {
        var file: String
        var cases: Int
        var events: Int
        var activities: Int
        var resources: Int
    }

    static let table: [Expected] = [
        Expected(file: "AcademicCredentials.csv", cases: 954, events: 4_928, activities: 16, resources: 559),
        Expected(file: "BPIC_2012_W.csv", cases: 8_616, events: 59_302, activities: 6, resources: 57),
        Expected(file: "BPIC_2017_W.csv.gz", cases: 30_276, events: 240_854, activities: 8, resources: 148),
        Expected(file: "Production.csv", cases: 225, events: 4_953, activities: 26, resources: 48),
        Expected(file: "PurchasingExample.csv", cases: 608, events: 9_119, activities: 21, resources: 27),
        Expected(file: "bpic2012.xes.gz", cases: 13_087, events: 262_200, activities: 24, resources: 68),
        Expected(file: "08_receipt.xes", cases: 1_434, events: 8_577, activities: 27, resources: 48),
        Expected(file: "06_bpic2013_closed.xes", cases: 1_487, events: 6_660, activities: 4, resources: 585),
        Expected(file: "sepsis.csv", cases: 1_050, events: 15_214, activities: 16, resources: 26),
        Expected(file: "03_repairExample.xes", cases: 1_104, events: 11_855, activities: 8, resources: 13),
    ]

    @Test(arguments: table.map(\.file))
    func countsMatchInventory(file: String) throws {
        guard let dir = Self.dataFolder() else {
            print("RealLogTests: shared/data not found; skipping \(file)")
            return
        }
        guard let e = Self.table.first(where: { $0.file == file }) else { return }
        let log = try HistoryReader.read(path: dir + "/" + file)
        #expect(log.cases.count == e.cases, "\(file) cases")
        #expect(log.eventCount == e.events, "\(file) events")
        #expect(log.activities.count == e.activities, "\(file) activities")
        #expect(log.resources.count == e.resources, "\(file) resources")
        #expect(log.skipped.count == 0)
        // Every case's occurrences are sorted by (start ?? end, end, line).
        for c in log.cases {
            for (a, b) in zip(c.occurrences, c.occurrences.dropFirst()) {
                let ka = (a.start ?? a.end, a.end, a.line), kb = (b.start ?? b.end, b.end, b.line)
                #expect(ka <= kb)
            }
        }
    }

    @Test func quirksFromInventory() throws {
        guard let dir = Self.dataFolder() else {
            print("RealLogTests: shared/data not found; skipping quirks")
            return
        }
        // bpic2012: FIFO pairing gives 71,373 pairs, 3 unfinished starts, 93,133 completes without start.
        let bpic = try HistoryReader.read(path: dir + "/bpic2012.xes.gz")
        let paired = bpic.cases.reduce(0) { $0 + $1.occurrences.filter { $0.start != nil }.count }
        #expect(paired == 71_373)
        #expect(bpic.unfinishedCount == 3)
        #expect(bpic.occurrenceCount - paired == 93_133)
        #expect(bpic.readyHintCount == 26_318)
        let t = Dictionary(uniqueKeysWithValues: bpic.transitions.map { ($0.transition, $0.count) })
        #expect(t == ["SCHEDULE": 26_318, "START": 71_376, "COMPLETE": 164_506])
        // 03_repairExample: 4,121 pairs, 1 unfinished, 3,612 complete-only.
        let repair = try HistoryReader.read(path: dir + "/03_repairExample.xes")
        let rPaired = repair.cases.reduce(0) { $0 + $1.occurrences.filter { $0.start != nil }.count }
        #expect(rPaired == 4_121)
        #expect(repair.unfinishedCount == 1)
        #expect(repair.occurrenceCount - rPaired == 3_612)
        // BPIC_2012_W: naive times are UTC; case 196611 starts 2011-12-30T12:14:47.813; 6,335 blank resources.
        let w = try HistoryReader.read(path: dir + "/BPIC_2012_W.csv")
        let c = try #require(w.cases.first { $0.id == "196611" })
        #expect(c.occurrences.first?.start == utc(2011, 12, 30, 12, 14, 47, ms: 813))
        #expect(w.cases.reduce(0) { $0 + $1.occurrences.filter { $0.resource == nil }.count } == 6_335)
        #expect(w.resources.contains("10861.0"))
        // Production: XES-standard columns win; activity names keep runs of spaces.
        let prod = try HistoryReader.read(path: dir + "/Production.csv")
        #expect(prod.detection.chosen[.activity] == "concept:name")
        #expect(prod.detection.passedOver[.activity] == ["Activity"])
        #expect(prod.detection.passedOver[.resource] == ["Resource"])
        #expect(prod.activities.contains("SETUP     Turning & Milling"))
        // INVENTORY counts 50 whole-row duplicates; one more pair differs only in unmapped columns.
        #expect(prod.duplicates.count == 51)
        #expect(prod.identicalDuplicateRows == 50)
        // sepsis: ';', org:group as resource, slash timestamps.
        let sepsis = try HistoryReader.read(path: dir + "/sepsis.csv")
        #expect(sepsis.detection.delimiter == UInt8(ascii: ";"))
        #expect(sepsis.detection.chosen[.resource] == "org:group")
        #expect(sepsis.detection.chosen[.end] == "Complete Timestamp")
        #expect(sepsis.detection.timestampFormats.map(\.format) == ["YYYY/MM/DD HH:MM:SS.fff"])
        // INVENTORY: 1 exact duplicate row; 7 rows repeat all mapped fields (lab values differ).
        #expect(sepsis.duplicates.count == 7)
        #expect(sepsis.identicalDuplicateRows == 1)
        // PurchasingExample: rows out of order within cases are sorted.
        let purch = try HistoryReader.read(path: dir + "/PurchasingExample.csv")
        let one = try #require(purch.cases.first { $0.id == "1" })
        #expect(purch.activities[one.occurrences[0].activity] == "Create Purchase Requisition")
        // 06_bpic2013: sub-status transitions are instants.
        let closed = try HistoryReader.read(path: dir + "/06_bpic2013_closed.xes")
        #expect(closed.occurrenceCount == 6_660)
        #expect(closed.transitions.first?.transition == "In Progress")
    }
}
