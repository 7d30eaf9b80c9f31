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
CHECK_CFLAGS = $(shell pkg-config --cflags check jansson 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check jansson 2>/dev/null)
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
	@pkg-config --exists $(PKGS) check jansson || sh scripts/deps.sh

clean:
	rm -rf build imbal
