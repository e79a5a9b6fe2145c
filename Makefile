# USER-MLIPEVAL quick start (a thin wrapper over the set-up scripts, CMake and CTest):
#   make demo    set up, build, and run the Si vacancy example
#   make test    set up, build, and run all tests (core, LAMMPS integration, MPI 1/2/4 ranks)
#   make bench   cost per atom and call of the analysis styles
# Set-up installs Debian packages and builds LAMMPS once into $(MLIPEVAL_CACHE)
# (default ~/.cache/user-mlipeval); later runs reuse it.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
LAMMPS_PROFILE ?= 2025
# OpenMPI refuses root without these (CI and fresh machines run as root)
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
export OMPI_MCA_rmaps_base_oversubscribe := 1

.PHONY: all setup build test demo bench bench-re bench-longrun bench-beyond bench-memory clean test-kk build-kk test-cuda-compile test-gpu test-compat build-2026 test-kokkos-layouts fuzz test-sanitize

all: build

setup:
	@bash cmake/setup-deps.sh
	@mkdir -p $(BUILD)
	@bash cmake/setup-lammps.sh $(LAMMPS_PROFILE) | tail -1 > $(BUILD)/.lammps-dir

build: setup
	@dir=$$(cat $(BUILD)/.lammps-dir) && \
	cmake -S . -B $(BUILD) -D LAMMPS_SOURCE_DIR=$$dir/lammps/src -D LAMMPS_BINARY_DIR=$$dir/build > $(BUILD)/configure.log || \
	  { cat $(BUILD)/configure.log; exit 1; }
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure
	@$(MAKE) --no-print-directory test-kk
	@$(MAKE) --no-print-directory test-kokkos-layouts
	@$(MAKE) --no-print-directory test-cuda-compile
	@$(MAKE) --no-print-directory test-compat
	@FUZZ_SECONDS=15 $(MAKE) --no-print-directory fuzz

demo: build
	@bash examples/si-vacancy/run.sh $(BUILD)/lmp

bench: build build-kk
	@/usr/bin/python3 bench/run.py $(BUILD)/lmp $(BUILD)-kk/lmp

# the compute re/atom table of make bench alone (32 000 and 256 000 atoms, 1 and 2 ranks)
bench-re: build
	@/usr/bin/python3 bench/run.py $(BUILD)/lmp --only re

# the long-run section of make bench alone (63 atoms, 250 000 steps)
bench-longrun: build
	@/usr/bin/python3 bench/run.py $(BUILD)/lmp --only longrun

# the sublattice and fix re/select section of make bench alone (issue 14)
bench-beyond: build
	@/usr/bin/python3 bench/run.py $(BUILD)/lmp --only beyond

# the memory section of make bench alone (compute re/atom at 2 097 152 atoms on 1, 2, 4 ranks)
bench-memory: build
	@/usr/bin/python3 bench/run.py $(BUILD)/lmp --only memory

# The plugin with its /kk styles against LAMMPS 4 Feb 2025 with KOKKOS (OpenMP and Serial) on
# Kokkos 4.5.01, built by LAMMPS's DOWNLOAD_KOKKOS from ../shared/vendor when it is there.
# make test runs its tests too: all tests again on that LAMMPS, plus each /kk style against its
# plain one.
build-kk:
	@bash cmake/setup-deps.sh
	@mkdir -p $(BUILD)-kk
	@bash cmake/setup-lammps.sh 2025kk | tail -1 > $(BUILD)-kk/.lammps-dir
	@dir=$$(cat $(BUILD)-kk/.lammps-dir) && \
	cmake -S . -B $(BUILD)-kk -D LAMMPS_SOURCE_DIR=$$dir/lammps/src -D LAMMPS_BINARY_DIR=$$dir/build > $(BUILD)-kk/configure.log || \
	  { cat $(BUILD)-kk/configure.log; exit 1; }
	@cmake --build $(BUILD)-kk -j $(JOBS)

test-kk: build-kk
	cd $(BUILD)-kk && ctest --output-on-failure

# The plugin with its /kk styles against LAMMPS 2025 configured with the two other Kokkos layouts:
# an external shared Kokkos (and bigbig integers), and a bundled lib/kokkos
test-kokkos-layouts: build-kk
	@bash cmake/kokkos-layouts-check.sh $$(cat $(BUILD)-kk/.lammps-dir) $$(pwd)/$(BUILD)-layouts

# Every /kk source compiled by nvcc 11.8 (Debian bookworm's nvidia-cuda-toolkit, g++-11) for
# Hopper against LAMMPS 2025's headers and Kokkos 4.5.01 built for CUDA; no GPU needed.
test-cuda-compile: setup
	@bash cmake/cuda-compile-check.sh $$(cat $(BUILD)/.lammps-dir) $$(pwd)/$(BUILD)-cuda

# The /kk styles on a GPU (LAMMPS 2025 + KOKKOS for CUDA, -k on g 1); says so and exits 0
# where there is none.
test-gpu:
	@bash cmake/test-gpu.sh $$(pwd)/$(BUILD)-gpu

# The plain styles against the newest LAMMPS Debian ships, 4 Jul 2026 (sid 20260704+dfsg-2)
build-2026:
	@bash cmake/setup-deps.sh
	@mkdir -p $(BUILD)-2026
	@bash cmake/setup-lammps.sh 2026 | tail -1 > $(BUILD)-2026/.lammps-dir
	@dir=$$(cat $(BUILD)-2026/.lammps-dir) && \
	cmake -S . -B $(BUILD)-2026 -D LAMMPS_SOURCE_DIR=$$dir/lammps/src -D LAMMPS_BINARY_DIR=$$dir/build > $(BUILD)-2026/configure.log || \
	  { cat $(BUILD)-2026/configure.log; exit 1; }
	@cmake --build $(BUILD)-2026 -j $(JOBS)

test-compat: build-2026
	cd $(BUILD)-2026 && ctest --output-on-failure

# libFuzzer targets for the extxyz, dump-reference and sites-file readers (clang 14, ASan, UBSan),
# FUZZ_SECONDS each (default 60; make test runs them for 15 s)
fuzz:
	@bash cmake/fuzz.sh $$(pwd)/$(BUILD)-fuzz

# The core, the plugin and every test with AddressSanitizer and UndefinedBehaviorSanitizer, the
# whole CTest suite run against them (LAMMPS not instrumented; its lmp runs with the runtimes
# preloaded).  Not part of make test (it takes longer than the CI budget allows with the rest).
test-sanitize: setup
	@bash cmake/sanitize-check.sh $$(cat $(BUILD)/.lammps-dir) $$(pwd)/$(BUILD)-sanitize

clean:
	rm -rf $(BUILD) $(BUILD)-kk $(BUILD)-cuda $(BUILD)-gpu $(BUILD)-2026 $(BUILD)-fuzz $(BUILD)-sanitize
