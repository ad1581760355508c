import Foundation
import Testing
@testable import StagecraftCore

/// A model resolved partly by a helper thread (`ResolutionShare`) must be the model
/// resolved on one thread, wherever the chunks divide.
@Suite struct ResolutionShareTests {
    /// A workflow with everything resolution keeps: repeated IDs, unknown names of every
    /// kind, conditions, approvers, checklist owners and rework targets, spread so that
    /// any chunking splits them.
    static let text: String = {
        var text = "workflow \"w\" {\n  param region: string = \"US\"\n  param size: number = 2\n  owner pm\n  owner qa\n  owner lead\n"
        for i in 0..<60 {
            switch i % 6 {
            case 0: text += "  stage s\(i) { owner pm; sla 1d; after s\(max(0, i - 1)); estimate 1d 2d 3d }\n"
            case 1: text += "  gate s\(i) { after s\(i - 1), s\(i - 1), ghost\(i); approvers qa, lead, qa, nobody; quorum 2; on reject -> s\(i - 1) }\n"
            case 2: text += "  stage s\(i) { owner ghost; when region == \"EU\" and size > \(i); checklist { \"x\" by lead\n \"y\" by who } }\n"
            case 3: text += "  stage s\(i - 3) { owner qa; after s\(i - 1) }\n"  // a repeated ID
            case 4: text += "  gate s\(i) { after s\(i - 2); approvers pm; on reject -> missing; when unknown == 1 }\n"
            default: text += "  stage s\(i) { owner lead; after s\(i - 1), s\(i - 5); checklist { } }\n"
            }
        }
        return text + "}\n"
    }()

    static func expectSame(_ a: WorkflowModel, _ b: WorkflowModel, _ label: String) {
        #expect(a.summaries == b.summaries, "\(label)")
        #expect(a.graph.predecessors.map { Array($0) } == b.graph.predecessors.map { Array($0) }, "\(label)")
        #expect(a.unresolved == b.unresolved, "\(label)")
        #expect(a.conditions.map(\.id) == b.conditions.map(\.id), "\(label)")
        #expect(a.conditions.map(\.condition) == b.conditions.map(\.condition), "\(label)")
        #expect(a.ownerIsUsed == b.ownerIsUsed && a.paramIsUsed == b.paramIsUsed, "\(label)")
        #expect(a.nodes.indices.map { a.owners(ofNode: $0) } == b.nodes.indices.map { b.owners(ofNode: $0) }, "\(label)")
    }

    @Test func everySplitGivesTheModelOfOneThread() throws {
        let workflow = try #require(Parser.parse(SourceFile(path: "w", text: Self.text)).tree.workflow)
        let alone = WorkflowModel(workflow)
        #expect(alone.nodes.count == 50)
        #expect(alone.unresolved.count > 20)
        for chunkSize in [1, 2, 7, 16, 60, 100] {
            let chunks = (60 + chunkSize - 1) / chunkSize
            for helped in 0...chunks {
                let share = ResolutionShare(chunkSize: chunkSize)
                share.builderHelpsFirst = helped
                Self.expectSame(WorkflowModel(workflow, sharingWith: share), alone, "chunks of \(chunkSize), \(helped) helped")
                // Everything was taken: a helper arriving late finds nothing to do.
                #expect(share.help() == 0)
            }
        }
    }

    @Test func aHelperOnAnotherThreadGivesTheSameModel() throws {
        let workflow = try #require(Parser.parse(SourceFile(path: "w", text: Self.text)).tree.workflow)
        let alone = WorkflowModel(workflow)
        for _ in 0..<20 {
            let share = ResolutionShare(chunkSize: 3)
            let helper = DispatchGroup()
            DispatchQueue.global().async(group: helper) { while share.help() == 0 && !share.isFinished {} }
            Self.expectSame(WorkflowModel(workflow, sharingWith: share), alone, "threaded")
            helper.wait()
        }
    }

    @Test func aHelperBeforeTheIndexesAreBuiltDoesNothing() {
        #expect(ResolutionShare().help() == 0)
    }
}
