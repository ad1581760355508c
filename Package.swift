// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Stagecraft",
    products: [
        .executable(name: "stagecraft", targets: ["stagecraft"]),
        .library(name: "StagecraftCore", targets: ["StagecraftCore"]),
    ],
    targets: [
        // The system zlib, for reading `.gz` event logs.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "StagecraftCore",
            dependencies: ["CZlib"]
        ),
        .executableTarget(name: "stagecraft", dependencies: ["StagecraftCore"]),
        // Generators and in-process timings for scripts/bench-*.sh; not part of the product.
        .executableTarget(name: "stagecraft-bench", dependencies: ["StagecraftCore"], path: "Benchmarks"),
        .testTarget(
            name: "StagecraftCoreTests", dependencies: ["StagecraftCore"],
            // Test data read through #filePath, not bundled as resources.
            exclude: ["Corpus", "Golden", "Fixtures"]),
    ]
)
