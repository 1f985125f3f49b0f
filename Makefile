# Thin wrapper: the real build is meson (build/ and build-asan/).
.PHONY: all setup build demo check bench clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@ninja -C build
	@ninja -C build-asan

demo: setup
	@ninja -C build
	@./build/tools/mmsim demo

check: build
	@scripts/check.sh

bench: setup
	@ninja -C build
	@scripts/bench.sh

clean:
	rm -rf build build-asan
