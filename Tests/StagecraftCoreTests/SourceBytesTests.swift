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

    @Test func aBigFileIsMappedWithTheBytesAReadGives() throws {
        var text = "workflow \"big\" {\n  owner pm\n"
        var i = 0
        while text.utf8.count < Files.mapThreshold + 1000 {
            text += "  stage s\(i) \"Revisión \(i)\" { owner pm; sla 1bd }\n"
            i += 1
        }
        text += "}\n"
        let path = Self.temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try #require(try Files.map(path))
        #expect(mapped == SourceBytes(try Files.read(path)))
        #expect(try Files.readSource(path, mapping: true) == mapped)
        #expect(try Files.readSource(path, mapping: false) == mapped)
        // The mapped file checks as the same text held in memory does.
        let fromMap = Checker.check(SourceFile(path: path, bytes: mapped))
        let fromText = Checker.check(SourceFile(path: path, text: text))
        #expect(fromMap.diagnostics == fromText.diagnostics)
        #expect(fromMap.model?.nodes.count == i)
        #expect(fromMap.source.location(of: mapped.count - 2) == fromText.source.location(of: mapped.count - 2))
    }

    @Test func smallFilesAndOtherPathsAreRead() throws {
        let small = Self.temporaryFile(Array("workflow \"w\" {}\n".utf8))
        let empty = Self.temporaryFile([])
        defer {
            try? FileManager.default.removeItem(atPath: small)
            try? FileManager.default.removeItem(atPath: empty)
        }
        #expect(try Files.map(small) == nil)
        #expect(try Files.readSource(small, mapping: true).array == Array("workflow \"w\" {}\n".utf8))
        #expect(try Files.map(empty) == nil)
        #expect(try Files.readSource(empty, mapping: true).isEmpty)
        // A directory and a missing file give the errors a read gives.
        #expect(try Files.map(NSTemporaryDirectory()) == nil)
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
