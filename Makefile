# Quire: the two quick-start commands and a few conveniences. Each target does its own set-up.
#   make run      install what is missing, build Release, ingest the bundled samples, open the GUI
#                 (headless: run the same job and print where the results are)
#   make test     install what is missing, build, run the whole test suite through CTest
#   make package  build the .deb

JOBS ?= $(shell nproc)
SAMPLE_LIB := build/release/sample.quire

.PHONY: deps run test test-asan package build-release build-ci clean format

deps:
	@scripts/install-deps.sh

build-release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

run: build-release
	@scripts/run-sample.sh build/release $(SAMPLE_LIB)

build-ci: deps
	cmake --preset ci >/dev/null
	cmake --build --preset ci -j $(JOBS)

test: build-ci
	ctest --preset ci -j $(JOBS)

test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	# sparserecalltest (long-context recall up to 256K tokens) takes over 7 minutes per case at -O1 with
	# ASan; its code runs sanitized in sparseattentiontest, kvsnapshottest and chunkedprefilltest.
	ctest --preset asan -j $(JOBS) -LE 'fuzz|bench' -E '^sparserecalltest$$'

package: build-release
	cd build/release && cpack -G DEB

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build
