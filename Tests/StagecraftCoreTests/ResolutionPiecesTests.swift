import Foundation
import Testing
@testable import StagecraftCore

/// Resolution in two pieces side by side (big workflows) must build the model one walk
/// builds, and the flat adjacency lists must be the lists they stand for.
@Suite struct ResolutionPiecesTests {
    static func expectSameModel(_ workflow: Workflow, _ label: String) {
        let one = WorkflowModel(workflow, piecesAbove: .max)
        let two = WorkflowModel(workflow, piecesAbove: 0)
        #expect(two.summaries == one.summaries, "\(label)")
        #expect(two.unresolved == one.unresolved, "\(label)")
        #expect(two.conditions.map(\.id) == one.conditions.map(\.id), "\(label)")
        #expect(two.conditions.map(\.condition) == one.conditions.map(\.condition), "\(label)")
        #expect(two.ownerIsUsed == one.ownerIsUsed, "\(label)")
        #expect(two.paramIsUsed == one.paramIsUsed, "\(label)")
        #expect(one.nodes.indices.map { two.owners(ofNode: $0) } == one.nodes.indices.map { one.owners(ofNode: $0) }, "\(label)")
        #expect(two.graph.predecessors.map { Array($0) } == one.graph.predecessors.map { Array($0) }, "\(label)")
        #expect(two.graph.successors.map { Array($0) } == one.graph.successors.map { Array($0) }, "\(label)")
        #expect(two.graph.topologicalOrder == one.graph.topologicalOrder, "\(label)")
        #expect(two.graph.rank == one.graph.rank, "\(label)")
    }

    @Test func twoPiecesBuildTheModelOneWalkBuilds() throws {
        var files = corpusFiles()
        files += (try? Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])) ?? []
        var checked = 0
        var rng = TestRandom(state: 99)
        for path in files {
            let original = try Files.read(path)
            var variants = [original]
            // Seeded deletions: repeated IDs, unknown names and broken nodes land on
            // either side of the middle.
            for _ in 0..<6 where !original.isEmpty {
                var bytes = original
                let at = rng.below(bytes.count)
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(40)))
                variants.append(bytes)
            }
            for bytes in variants {
                guard let workflow = Parser.parse(SourceFile(path: path, bytes: bytes)).tree.workflow else { continue }
                Self.expectSameModel(workflow, path)
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func repeatedNodesAcrossTheCutKeepTheFirst() throws {
        // Four node declarations cut two and two; `a` is declared again after the cut,
        // and its repeat names an unknown owner and an unknown node.
        let text = """
            workflow "w" {
              owner pm
              owner qa
              stage a { owner pm; sla 1d }
              gate b { after a; approvers qa, pm, qa; quorum 2 }
              stage a { owner ghost; after nowhere }
              stage c { after b, a, b; owner qa }
            }
            """
        let workflow = try #require(Parser.parse(SourceFile(path: "w", text: text)).tree.workflow)
        Self.expectSameModel(workflow, "w")
        let two = WorkflowModel(workflow, piecesAbove: 0)
        #expect(two.nodes.map(\.id.name) == ["a", "b", "c"])
        #expect(two.graph.predecessors.map { Array($0) } == [[], [0], [1, 0]])
        #expect(two.graph.successors.map { Array($0) } == [[1, 2], [2], []])
        #expect(two.unresolved.map(\.name.name) == ["ghost", "nowhere"])
        #expect(two.owners(ofNode: 1) == [1, 0])
        #expect(two.summaries[1].distinctApproverCount == 2)
        #expect(two.summaries[1].approverCount == 3)
    }

    @Test func adjacencyListsReverse() {
        let lists: [[Int]] = [[], [0], [0, 1], [2, 0]]
        let adjacency = Adjacency(lists)
        #expect(adjacency.count == 4)
        #expect(adjacency.map { Array($0) } == lists)
        #expect(Array(adjacency[3]) == [2, 0])
        #expect(adjacency.reversed(count: 4).map { Array($0) } == [[1, 2, 3], [2], [3], []])
        #expect(Adjacency([]).isEmpty)
    }
}
