import Foundation
import Testing
@testable import StagecraftCore

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
        // INVENTORY.md: 608 cases, 9,119 events; Amend Purchase Requisition (11 of 9,119 < 1%) is left out.
        #expect(history["cases"] as? Int == 608 && history["events"] as? Int == 9_119)
        let unmapped = try #require(history["unmapped_activities"] as? [[String: Any]])
        #expect(unmapped.count == 1 && unmapped.first?["activity"] as? String == "Amend Purchase Requisition")
        #expect(unmapped.first?["events"] as? Int == 11)
    }
}
