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
        .testTarget(name: "StagecraftCoreTests", dependencies: ["StagecraftCore"]),
    ]
)
