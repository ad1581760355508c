import Foundation
import Testing

/// Compares `actual` with `Tests/StagecraftCoreTests/Golden/NAME`. Set
/// `STAGECRAFT_UPDATE_GOLDEN=1` to (re)write the file instead; review the diff before committing.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = repositoryRoot + "/Tests/StagecraftCoreTests/Golden/" + name
    if ProcessInfo.processInfo.environment["STAGECRAFT_UPDATE_GOLDEN"] == "1" {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("golden file \(name) is missing; run STAGECRAFT_UPDATE_GOLDEN=1 swift test to create it",
                     sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    #expect(actual == expected,
            "output differs from Golden/\(name); if the change is intended, run STAGECRAFT_UPDATE_GOLDEN=1 swift test and review the diff",
            sourceLocation: sourceLocation)
}

/// A fresh temporary folder, removed by the caller.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let dir = NSTemporaryDirectory() + "stagecraft-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return (dir as NSString).standardizingPath
}

/// Writes a text file, creating folders on the way.
func writeFile(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
