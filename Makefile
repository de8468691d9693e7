# Every target does its own set-up: bootstrap installs missing packages,
# configure is re-run only when needed. Builds use two jobs (the machines
# here have two cores) and ccache when it is installed.
JOBS ?= 2
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

.PHONY: all bootstrap configure build test run bench test-asan fuzz crash format tidy clean

all: build

bootstrap:
	@bash scripts/bootstrap.sh

$(BUILD_DIR)/build.ninja: | bootstrap
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

configure: bootstrap $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

run: build
	@bash scripts/run_demo.sh $(BUILD_DIR)

# Crash tests at full length: the ref store (50 kills) and the engine's
# concurrent writers (100 kills). `make test` runs short variants.
crash: build
	$(BUILD_DIR)/bin/og_crash_tests
	OG_CRASH_KILLS=100 $(BUILD_DIR)/bin/og_engine_crash_tests

bench: build
	@bash scripts/run_bench.sh $(BUILD_DIR)

test-asan: bootstrap
	@test -f $(ASAN_DIR)/build.ninja || cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOG_SANITIZE=ON -DOG_BENCH=OFF
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 OG_TEST_SCALE=small \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS)

fuzz: bootstrap
	@test -f $(FUZZ_DIR)/build.ninja || CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOG_FUZZ=ON -DOG_BENCH=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	@bash scripts/run_fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
