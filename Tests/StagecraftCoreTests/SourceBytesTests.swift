import Foundation
import Testing
@testable import StagecraftCore

/// `check` maps big files into memory (`Files.readSource`); what it checks must be the
/// bytes a plain read gives, and every error a read reports.
@Suite struct SourceBytesTests {
    static func temporaryFile(_ bytes: [UInt8]) -> String {
        let path = NSTemporaryDirectory() + "stagecraft-source-\(UUID().uuidString).flow"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// A workflow of at least `bytes` bytes: `header`, then stage `i` as `stage(i)` for
    /// i = 0, 1, … until it is long enough, then `footer`; and how many stages it has.
    static func bigWorkflow(atLeast bytes: Int, header: String, stage: (Int) -> String,
                            footer: String) -> (text: String, stages: Int) {
        var text = header
        var i = 0
        while text.utf8.count < bytes {
            text += stage(i)
            i += 1
        }
        return (text + footer, i)
    }

    @Test func aBigFileIsMappedWithTheBytesAReadGives() throws {
        let (text, i) = Self.bigWorkflow(atLeast: Files.mapThreshold + 1000, header: "workflow \"big\" {\n  owner pm\n",
                                         stage: { "  stage s\($0) \"Revisión \($0)\" { owner pm; sla 1bd }\n" }, footer: "}\n")
        let path = Self.temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try Files.readSource(path, mapping: true)
        #expect(mapped.isMapped)
        #expect(mapped == SourceBytes(try Files.read(path)))
        let read = try Files.readSource(path, mapping: false)
        #expect(!read.isMapped && read == mapped)
        // The mapped file checks as the same text held in memory does.
        let fromMap = Checker.check(SourceFile(path: path, bytes: mapped))
        let fromText = Checker.check(SourceFile(path: path, text: text))
        #expect(fromMap.diagnostics == fromText.diagnostics)
        #expect(fromMap.model?.nodes.count == i)
        #expect(fromMap.source.location(of: mapped.count - 2) == fromText.source.location(of: mapped.count - 2))
    }

    @Test func aMappedFileWrittenToInPlaceIsSeenChanged() throws {
        let (text, _) = Self.bigWorkflow(atLeast: Files.mapThreshold, header: "workflow \"w\" {\n  owner pm\n",
                                         stage: { "  stage s\($0) { owner pm; sla 1bd }\n" }, footer: "}\n")
        let path = Self.temporaryFile(Array(text.utf8))
        let other = path + ".new"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: other)
        }
        let mapped = try Files.readSource(path, mapping: true)
        #expect(mapped.isMapped && !Files.changedInPlace(path, mapped))
        // Bytes that were read never changed, whatever happens to the file.
        let read = try Files.readSource(path, mapping: false)
        // File times tick coarsely: let one pass before writing.
        usleep(20_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data("#".utf8))
        try handle.close()
        #expect(Files.changedInPlace(path, mapped))
        #expect(!Files.changedInPlace(path, read))
        // A file saved by replacing it under its name leaves the mapping whole.
        let again = try Files.readSource(path, mapping: true)
        FileManager.default.createFile(atPath: other, contents: Data(text.utf8))
        #expect(rename(other, path) == 0)
        #expect(!Files.changedInPlace(path, again))
    }

    @Test func smallFilesAndOtherPathsAreRead() throws {
        let small = Self.temporaryFile(Array("workflow \"w\" {}\n".utf8))
        let empty = Self.temporaryFile([])
        defer {
            try? FileManager.default.removeItem(atPath: small)
            try? FileManager.default.removeItem(atPath: empty)
        }
        let smallBytes = try Files.readSource(small, mapping: true)
        #expect(!smallBytes.isMapped && smallBytes.array == Array("workflow \"w\" {}\n".utf8))
        let emptyBytes = try Files.readSource(empty, mapping: true)
        #expect(!emptyBytes.isMapped && emptyBytes.isEmpty)
        // A directory and a missing file give the errors a read gives.
        #expect(throws: InputError.self) { try Files.readSource(NSTemporaryDirectory(), mapping: true) }
        #expect(throws: InputError.self) { try Files.readSource("/nonexistent/x.flow", mapping: true) }
    }

    @Test func bytesCopiedFromAnArrayReadAsTheArray() {
        let array: [UInt8] = [0x61, 0x0A, 0xC3, 0xB3, 0x0A]
        let bytes = SourceBytes(array)
        #expect(bytes.count == 5 && Array(bytes) == array && bytes.array == array)
        #expect(bytes[2] == 0xC3 && Array(bytes[1..<3]) == [0x0A, 0xC3])
        #expect(bytes.withUnsafeBufferPointer { Array($0) } == array)
        #expect(SourceBytes([]).isEmpty && SourceBytes([]).withUnsafeBufferPointer { $0.count } == 0)
        #expect(bytes == [0x61, 0x0A, 0xC3, 0xB3, 0x0A] && bytes != SourceBytes([0x61]))
    }
}

/// `checkAll` in a process that exits after the command keeps a big file's tree, model
/// and bytes instead of freeing them; what it reports must not change.
@Suite struct CheckAllTests {
    @Test func keepingTreesForExitReportsTheSame() throws {
        let text = SourceBytesTests.bigWorkflow(
            atLeast: Checker.parallelRulesThreshold + 100, header: "workflow \"big\" {\n  owner pm { capacity 1 }\n",
            stage: { "  stage s\($0) { owner pm; sla \($0 % 7)bd; after s\(max(0, $0 - 1)) }\n" },
            footer: "  stage s0 { owner nobody }\n}\n").text
        let source = SourceFile(path: "big.flow", text: text)
        let freed = try Checker.checkAll(1, freesTrees: true) { _ in source }
        let kept = try Checker.checkAll(1, freesTrees: false) { _ in source }
        #expect(freed.count == 1 && kept.count == 1)
        #expect(kept[0].diagnostics == freed[0].diagnostics)
        #expect(Set(kept[0].diagnostics.map(\.rule)) == ["duplicate-id", "unknown-reference", "invalid-duration", "dependency-cycle"])
        // Either way the results hold the source and diagnostics, not the tree or model.
        #expect(kept[0].parsed.tree.workflow == nil && kept[0].model == nil)
        #expect(kept[0].source.bytes == source.bytes)
    }
}
