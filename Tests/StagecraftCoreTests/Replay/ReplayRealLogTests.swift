import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

/// The CLI path over the real logs in `shared/data` (skipped with a notice when absent). The
/// readers' own tests check every file; here two small ones go through `history inspect`, and one
/// through `history draft` → `check` → `replay`.
@Suite struct ReplayRealLogTests {
    @Test(arguments: [
        ("Production.csv", "cases: 225\nevents: 4,953\n", "resources: 48\n", "activities: 26\n"),
        ("03_repairExample.xes", "cases: 1,104\nevents: 11,855\n", "resources: 13", "activities: 8\n"),
    ])
    func inspectCountsMatchInventory(file: String, counts: String, resources: String, activities: String) {
        guard let dir = sharedDataFolder() else {
            print("ReplayRealLogTests: shared/data not found; skipping \(file)")
            return
        }
        let out = runCLI(["history", "inspect", dir + "/" + file])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.contains(counts) && out.stdout.contains(resources) && out.stdout.contains(activities),
                "\(out.stdout)")
    }

    @Test func draftCheckReplayOnPurchasing() throws {
        guard let dir = sharedDataFolder() else {
            print("ReplayRealLogTests: shared/data not found; skipping the draft round trip")
            return
        }
        let log = dir + "/PurchasingExample.csv"
        let draft = runCLI(["history", "draft", log])
        #expect(draft.exitCode == 0, "\(draft.stderr)")
        let checked = Checker.check(SourceFile(path: "purchasing.flow", text: draft.stdout))
        #expect(checked.errorCount == 0, "\(checked.diagnostics.map(\.message))")
        let out = runCLI(["replay", "-", "--history", log, "--format", "json"], stdin: draft.stdout)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let history = try #require(object["history"] as? [String: Any])
        // INVENTORY.md: 608 cases, 9,119 events; every activity is in at least 1% of the cases (Amend
        // Purchase Requisition, 11 events, is in 10 cases), so each becomes a node.
        #expect(history["cases"] as? Int == 608 && history["events"] as? Int == 9_119)
        let unmapped = try #require(history["unmapped_activities"] as? [[String: Any]])
        #expect(unmapped.isEmpty)
        #expect(draft.stdout.contains("gate amend_purchase_requisition \"Amend Purchase Requisition\""))
        // The draft describes its log: at least 80% of the cases conform, and no share exceeds 100%.
        let cases = try #require(object["cases"] as? [String: Any])
        #expect((cases["conforming"] as? Int ?? 0) * 10 >= 608 * 8)
        let stages = try #require(object["stages"] as? [[String: Any]])
        let shares = stages.compactMap { $0["lead_time_share"] as? Double }
        #expect(shares.count == stages.count && shares.reduce(0, +) <= 1 + 1e-9)
    }
}
