# Build, install and check Stagecraft. `make install PREFIX=~/.local` puts the binary in
# ~/.local/bin; DESTDIR stages an install for packaging.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
SWIFT ?= swift
# The same flags as .ci/run and the benchmark scripts, so none of them rebuilds what
# another built: the Swift runtime and Foundation linked in (the binary runs without the
# toolchain), position-dependent (no start-up relocations).
RELEASE_FLAGS = -c release --static-swift-stdlib -Xlinker -no-pie
BIN = .build/release/stagecraft
CHECK_PATHS ?= workflows examples

.PHONY: all build install uninstall test check docker clean

all: build

build:
	$(SWIFT) build $(RELEASE_FLAGS) --product stagecraft

install: build
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 $(BIN) "$(DESTDIR)$(BINDIR)/stagecraft"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/stagecraft"

test:
	$(SWIFT) test

check: build
	$(BIN) check --strict $(CHECK_PATHS)
	$(BIN) fmt --check $(CHECK_PATHS)

docker:
	docker build -t stagecraft .

clean:
	rm -rf .build
