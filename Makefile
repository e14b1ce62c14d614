# Thin wrapper over CMake.  `make demo` and `make check` work on a fresh
# Debian machine: they install what is missing first (scripts/setup-deps).
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
SHAKE_BUILD ?= build-shake
# make shake: live-capture runs (seeds), the chunk-layout tests' layouts, and
# a ctest regex narrowing both (tests/shake/run_shake.sh)
SHAKE_RUNS ?= 3
SHAKE_TESTS ?=
SHAKE_LAYOUTS ?= frame_end frame_hash register_write timing fence command_batch 1
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# make install: the embedder's libraries (libvgt.so.0, the static archives)
# and headers, bin/vgt, vgt.pc and vgt-static.pc, the CMake package
# (docs/device.md, "Building against an installed vgt").  DESTDIR stages.
PREFIX     ?= /usr/local

.PHONY: all build deps demo check test install asan tsan tsan-smoke fuzz shake format clean

all: build

deps:
	@scripts/setup-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	@scripts/demo $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The prefix is given at install time (cmake --install --prefix), so one
# build installs anywhere; the pc files name PREFIX, files land in
# DESTDIR/PREFIX (the CMake package names no path: it finds its prefix).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

check: deps
	$(MAKE) test
	$(MAKE) asan

# -O1, as AddressSanitizer's documentation advises: the suite's CPU time
# under ASan+UBSan fell from 660 s to 316 s (the soft rasterizer and the
# capture tests at -O0 were 2-4x slower) for 122 s more of compiling
# (docs/performance.md, "CI time").  -g1 (line tables: the sanitizers'
# reports still name every file, line and inlined frame) compiles the
# tree in 16% less CPU time than -g; reconfigure with -g for a debugger.
# handle_sigill: UBSan's checks trap in this tree (CMakeLists.txt), and
# ASan's handler reports a trap with its stack, file and line.
# intercept_tls_get_addr=0: LeakSanitizer then does not walk the dynamic
# TLS blocks of dlopen'd libraries (Mesa's), whose bookkeeping in gcc 12's
# runtime read a bogus block at exit in test_gl_clear ("Tracer caught
# signal 11", with libubsan out of the process).  The cost: a pointer held
# only in such a block would read as a leak (a false report, never a
# missed one); none does.  Run a test by hand with these options too.
# UBSAN_OPTIONS: for a tree configured with -DVGT_UBSAN_MESSAGES=ON.
ASAN_TEST_OPTIONS = detect_leaks=1:abort_on_error=1:handle_sigill=1:intercept_tls_get_addr=0
$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
	    -DVGT_SANITIZE=ON $(CMAKE_ARGS)

asan: $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=$(ASAN_TEST_OPTIONS) \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/gl/lsan.supp \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    VGT_TEST_SLOW=0 ctest --output-on-failure -j $(JOBS) -LE no-asan

# ThreadSanitizer (docs/security.md): the suites where threads meet - the
# hostile device and 3D suites, allocation-failure injection, the device,
# capture and live-3D tests.  tsan.supp: every entry says why it is benign.
# One test at a time: their threads spin, and two TSan processes sharing two
# cores slow each other down past the guest driver's 10 s waits.
TSAN_TESTS = test_hostile_device test_hostile_3d test_hostile_alloc test_capture \
             test_device_fifo test_device_irq test_device_gmr test_device_badguest \
             test_device_taps test_device3d test_device_8bit test_device_hicolor \
             test_device_video test_device_traces test_device_so2 test_capture_traces
empty :=
space := $(empty) $(empty)
# The lists name executables (build targets); one split into ctest entries
# NAME_part1..n (vgt_add_test PARTS, tests/CMakeLists.txt) runs as all of them.
PARTS_RE = (_part[0-9]+)?

# -O1, as ThreadSanitizer's documentation advises (the smoke's tests, one at
# a time, took 80 s instead of 168 s, for 35 s more of compiling); -g1 as
# the ASan tree's.
$(TSAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
	    -DVGT_TSAN=ON $(CMAKE_ARGS)

tsan: $(TSAN_BUILD)/CMakeCache.txt
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TESTS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tsan.supp" \
	    ctest --output-on-failure -j 1 -R '^($(subst $(space),|,$(strip $(TSAN_TESTS))))$(PARTS_RE)$$'

# A ThreadSanitizer smoke pass for CI (~1 min on 2 cores): the device's
# FIFO thread against the guest thread, the trace writer's compression
# threads, and the capture's fast tests (a captured guest run with its
# compression thread); `make tsan` runs the full set by hand (~13 min).
# VGT_TEST_SKIP='*_3d*' leaves out test_capture's 3D captures started mid-run
# and test_trim_3d (20-65 s each under TSan, one at a time; trims are one
# thread's work): docs/security.md.  test_capture_traces (captured guest
# runs: framebuffer refreshes, relocated BARs, three 3D guests) adds ~3 s of
# compiling and under 1 s of running.
TSAN_SMOKE_TESTS = test_device_fifo test_device_irq test_device_gmr test_device_badguest \
                   test_device_8bit test_device_hicolor test_device_video test_device_taps \
                   test_device3d test_device_traces test_device_so2 test_vm_pci test_format_roundtrip \
                   test_capture test_capture_traces

tsan-smoke: deps $(TSAN_BUILD)/CMakeCache.txt
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_SMOKE_TESTS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tsan.supp" \
	    VGT_TEST_SKIP='*_3d*' \
	    ctest --output-on-failure -j 1 -R '^($(subst $(space),|,$(strip $(TSAN_SMOKE_TESTS))))$(PARTS_RE)$$'

# libFuzzer targets (clang, ASan + UBSan, the whole tree instrumented), each
# run for FUZZ_SECONDS; crashes land in tests/fuzz/regressions/ (docs/security.md).
# -g1 as the ASan tree's (a crash's stack still has its lines).
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DVGT_SANITIZE=ON -DVGT_FUZZ=ON \
	    -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target vgt_fuzz
	BUILD=$(FUZZ_BUILD) tests/fuzz/run-fuzzers $(FUZZ_SECONDS)

# Shakes the tests of live captures (docs/conventions.md, "Shaking the
# live-capture tests"): a Release tree with -DVGT_SHAKE=ON (the device's
# FIFO passes end after 1..6 commands, the sample driver writes IRQMASK
# after a third of its commits), the entries labelled live-capture run
# SHAKE_RUNS times with a seed each, those labelled chunk-layout once per
# layout of SHAKE_LAYOUTS; a summary per test, exit 1 on any failure.  By
# hand before pushing a test that captures live; not in CI (its time is
# spent).  SHAKE_SEED=N re-runs a seed, SHAKE_TESTS='^cli_trim' narrows.
$(SHAKE_BUILD)/CMakeCache.txt:
	cmake -S . -B $(SHAKE_BUILD) -DCMAKE_BUILD_TYPE=Release -DVGT_SHAKE=ON $(CMAKE_ARGS)

shake: $(SHAKE_BUILD)/CMakeCache.txt
	cmake --build $(SHAKE_BUILD) -j $(JOBS)
	SHAKE_RUNS="$(SHAKE_RUNS)" SHAKE_TESTS="$(SHAKE_TESTS)" SHAKE_LAYOUTS="$(SHAKE_LAYOUTS)" SHAKE_SEED="$(SHAKE_SEED)" \
	    SHAKE_JOBS="$(JOBS)" tests/shake/run_shake.sh $(SHAKE_BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(SHAKE_BUILD)
