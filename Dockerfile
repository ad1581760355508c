# A container with only the stagecraft binary:
#   docker build -t stagecraft .
#   docker run --rm -v "$PWD:/work" -w /work stagecraft check workflows
# The build stage links the Swift runtime and Foundation statically (as `make build`
# does), so the runtime stage needs no toolchain.
FROM swift:6.3 AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# Every target's folder must exist for the package to load, the benchmarks' and tests' too.
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft \
 && install -D -m 0755 .build/release/stagecraft /out/stagecraft

FROM ubuntu:24.04
# zlib for .gz event logs (the one system library the binary links).
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/stagecraft /usr/local/bin/stagecraft
ENTRYPOINT ["stagecraft"]
CMD ["--help"]
