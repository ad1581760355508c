import Testing
@testable import StagecraftLanguage

/// The name index answers as a dictionary would, first declaration winning.
@Suite struct NameIndexTests {
    @Test func answersAsADictionaryDoes() {
        var rng = TestRandom(state: 5)
        // Short and long names, empty, non-ASCII, and many repeats, through several growths.
        let pieces = ["n", "o", "stage", "Revisión", "🚀", "_", "-", "0", "9", "review-and-sign-off"]
        var index = NameIndex(capacity: 2)
        var expected: [String: Int] = [:]
        var names: [String] = [""]
        for k in 0..<5000 {
            let stem = (0..<rng.below(4)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            let name = stem + (rng.below(3) == 0 ? "" : "\(rng.below(900))")
            names.append(name)
            let (value, inserted) = index.insert(name, k)
            if let first = expected[name] {
                #expect(!inserted && value == first, "\(name)")
            } else {
                #expect(inserted && value == k, "\(name)")
                expected[name] = k
            }
        }
        #expect(index.count == expected.count)
        for name in names + ["missing", "n1000", "Revision"] {
            #expect(index[name] == expected[name], "\(name)")
        }
    }
}
