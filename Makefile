# imbal: make (libimbal.a + imbal), check, asan, bench, run, deps, clean.
# Sources are found by wildcard, so a new module or technique needs no edit here.

CC      ?= cc
PKGS    := gsl yaml-0.1
BUILD   ?= build/release
OPT     ?= -O2
SAN     ?=
WARN    := -Wall -Wextra -Wpedantic -Werror
CFLAGS_BASE := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) -g -fopenmp -ffp-contract=off \
               -Iinclude -Isrc $(SAN)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
override CFLAGS := $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS  := $(PKG_LIBS) -lm

LIB_SRC  := $(wildcard src/*.c src/samplers/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_UTIL := tests/util.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libimbal.a
BIN      := $(BUILD)/imbal
HEADERS  := $(wildcard include/imbal/*.h src/*.h tests/*.h)

.PHONY: all check asan bench run deps clean test-bins

all: $(BIN) imbal

imbal: $(BIN)
	@if [ "$(BUILD)" = "build/release" ]; then ln -sf $(BIN) imbal; fi

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_UTIL) $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -Itests -o $@ $< $(TEST_UTIL) $(LIB) $(CHECK_LIBS) $(LDLIBS)

test-bins: $(TEST_BIN) $(BIN)

# Each test file is its own Check program; all run even if one fails, and the
# totals line at the end is what CI reads.
check: deps-present test-bins
	@BIN=$(BIN) sh scripts/run-tests.sh $(TEST_BIN)

asan:
	$(MAKE) check BUILD=build/asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

bench: all
	sh bench/run.sh

run: deps-present all
	./imbal run configs/abalone.yaml

deps:
	sh scripts/deps.sh

# Installs the dependencies only when pkg-config cannot find them.
.PHONY: deps-present
deps-present:
	@pkg-config --exists $(PKGS) check || sh scripts/deps.sh

clean:
	rm -rf build imbal

# ---- fuzzing: make fuzz [FUZZ_SECONDS=N] ------------------------------------------------
# libFuzzer targets tests/fuzz/fuzz_<name>.c, built with clang in their own directory: the
# library with -fsanitize=fuzzer-no-link,address,undefined (and clang's OpenMP, libomp), each
# target with -fsanitize=fuzzer. scripts/fuzz.sh runs every target for FUZZ_SECONDS from the
# seeds in tests/fuzz/corpus/<name>/ (new inputs go to $(FUZZ_BUILD)/corpus/, outside git) and
# fails on any finding. Self-contained: it shares no rule or variable with the build above.
# -DPANEL_PASS= drops logreg_panel.c's target_clones (ifuncs), which clang 14 does not link
# here; the fuzzed readers never reach the solver's kernels.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SANS    := address,undefined
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror \
                -Wno-pass-failed -O1 -g -fno-omit-frame-pointer -fopenmp -ffp-contract=off \
                -fno-sanitize-recover=all -DPANEL_PASS= -Iinclude -Isrc -Itests/fuzz
FUZZ_LIBSRC  := $(wildcard src/*.c src/samplers/*.c)
FUZZ_LIBOBJ  := $(FUZZ_LIBSRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB     := $(FUZZ_BUILD)/libimbal-fuzz.a
FUZZ_UTIL    := tests/fuzz/fuzz_util.c tests/fuzz/fuzz_dataset.c
FUZZ_NAMES   := csv keel spec params
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_HDRS    := $(wildcard include/imbal/*.h src/*.h src/samplers/*.h tests/fuzz/*.h)

.PHONY: fuzz fuzz-build
fuzz: fuzz-build
	FUZZ_BUILD=$(FUZZ_BUILD) sh scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/src/%.o: src/%.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SANS) \
	    $(shell pkg-config --cflags gsl yaml-0.1) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_UTIL) $(FUZZ_LIB) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SANS) \
	    $(shell pkg-config --cflags gsl yaml-0.1) -o $@ $< $(FUZZ_UTIL) $(FUZZ_LIB) \
	    $(shell pkg-config --libs gsl yaml-0.1) -lm
