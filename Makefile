# imbal: make (libimbal.a + imbal), check, asan, bench, run, deps, install, uninstall,
# fresh-check, clean. Sources are found by wildcard, so a new module or technique needs no edit.
#
# The pkg-config flags live in $(BUILD)/config.mk, a makefile this one writes: its rule first
# installs what is missing (scripts/deps.sh), then records pkg-config's answers. GNU make remakes
# an included makefile and reads everything again before it builds any goal, so on a bare
# machine the first `make run` installs the packages and then compiles with their flags. (Flags
# expanded while this file is parsed would be computed before the packages exist.)

CC      ?= cc
PKGS    := gsl yaml-0.1
TEST_PKGS := check jansson
BUILD   ?= build/release
OPT     ?= -O2
SAN     ?=
WARN    := -Wall -Wextra -Wpedantic -Werror
CFLAGS_BASE := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) -g -fopenmp -ffp-contract=off \
               -Iinclude -Isrc $(SAN)
# PKG_CFLAGS, PKG_LIBS, CHECK_CFLAGS, CHECK_LIBS come from $(BUILD)/config.mk, so these stay
# deferred (=): they are expanded in recipes, after config.mk has been read.
ALL_CFLAGS = $(CFLAGS_BASE) $(PKG_CFLAGS) $(SVM_CFLAGS) $(XGB_CFLAGS) $(CAIRO_CFLAGS) $(CFLAGS)
ALL_LIBS   = $(PKG_LIBS) $(SVM_LIBS) $(XGB_LIBS) $(CAIRO_LIBS) -lm $(LDLIBS)

LIB_SRC  := $(wildcard src/*.c src/samplers/*.c src/classifiers/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_UTIL := tests/util.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libimbal.a
BIN      := $(BUILD)/imbal
HEADERS  := $(wildcard include/imbal/*.h src/*.h src/samplers/*.h src/classifiers/*.h tests/*.h)

# The shared library is built from its own position-independent objects, so libimbal.a and
# the CLI keep exactly the objects (and results) they had.
VERSION  := $(shell sed -n 's/.*IMBAL_VERSION "\(.*\)".*/\1/p' include/imbal/version.h)
SOMAJOR  := $(firstword $(subst ., ,$(VERSION)))
SONAME   := libimbal.so.$(SOMAJOR)
SHLIB_FILE := libimbal.so.$(VERSION)
PIC_OBJ  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
SHLIB    := $(BUILD)/$(SHLIB_FILE)

# Goals that need no compiler flags, and so never install packages to compute them.
NO_CONFIG_GOALS := clean deps deps-present asan fresh-check uninstall
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/config.mk
endif

.PHONY: all shared check asan bench run deps deps-present clean test-bins install uninstall \
        fresh-check

all: $(BIN) imbal

shared: $(SHLIB)

imbal: $(BIN)
	@if [ "$(BUILD)" = "build/release" ]; then ln -sf $(BIN) imbal; fi

# Written to a temporary name and renamed, so a failed install or pkg-config leaves no
# half-written config.mk behind (make would otherwise read it next time).
$(BUILD)/config.mk: Makefile scripts/deps.sh
	@mkdir -p $(dir $@)
	@pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null || sh scripts/deps.sh
	@c=$$(pkg-config --cflags $(PKGS)) && l=$$(pkg-config --libs $(PKGS)) && \
	    tc=$$(pkg-config --cflags $(TEST_PKGS)) && tl=$$(pkg-config --libs $(TEST_PKGS)) && \
	    sc= ; sl= ; \
	    if printf '#include <libsvm/svm.h>\nint main(void) { return svm_get_nr_sv(0) > 0; }\n' | \
	        $(CC) -x c - -o $@.probe -lsvm >/dev/null 2>&1; then \
	        sc=-DIMBAL_HAVE_LIBSVM; sl=-lsvm; fi; rm -f $@.probe; \
	    xc= ; xl= ; \
	    if printf '#include <xgboost/c_api.h>\nint main(void) { int a, b, c; XGBoostVersion(&a, &b, &c); return a < 0; }\n' | \
	        $(CC) -x c - -o $@.probe -lxgboost >/dev/null 2>&1; then \
	        xc=-DIMBAL_HAVE_XGBOOST; xl=-lxgboost; fi; rm -f $@.probe; \
	    cc= ; cl= ; \
	    if pkg-config --exists cairo 2>/dev/null; then \
	        cc="-DIMBAL_HAVE_CAIRO $$(pkg-config --cflags cairo)"; cl=$$(pkg-config --libs cairo); fi; \
	    printf '%s\n' "# written by make from pkg-config; delete it to ask again" \
	        "PKG_CFLAGS := $$c" "PKG_LIBS := $$l" "CHECK_CFLAGS := $$tc" \
	        "CHECK_LIBS := $$tl" "SVM_CFLAGS := $$sc" "SVM_LIBS := $$sl" \
	        "XGB_CFLAGS := $$xc" "XGB_LIBS := $$xl" "CAIRO_CFLAGS := $$cc" "CAIRO_LIBS := $$cl" > $@.tmp && \
	    mv $@.tmp $@
	@if grep -q 'SVM_LIBS := -lsvm' $@; then echo "config: libsvm found (svm_smote)"; \
	    else echo "config: libsvm not found: svm_smote disabled (install libsvm-dev)"; fi
	@if grep -q 'XGB_LIBS := -lxgboost' $@; then echo "config: XGBoost found (xgboost)"; \
	    else echo "config: XGBoost not found: classifier xgboost disabled (install libxgboost-dev)"; fi
	@if grep -q 'CAIRO_CFLAGS := -DIMBAL_HAVE_CAIRO' $@; then echo "config: cairo found (PNG plots)"; \
	    else echo "config: cairo not found: PNG plots disabled (install libcairo2-dev)"; fi
	@echo "config: $(PKGS) $(TEST_PKGS) found; flags in $@"

$(BUILD)/pic/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(SHLIB): $(PIC_OBJ)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $(PIC_OBJ) $(ALL_LIBS)

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(ALL_LIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_UTIL) $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests -o $@ $< $(TEST_UTIL) $(LIB) $(CHECK_LIBS) \
	    $(ALL_LIBS)

test-bins: $(TEST_BIN) $(BIN)

# Each test file is its own Check program; all run even if one fails, and the
# totals line at the end is what CI reads. scripts/install-test.sh installs into a
# temporary DESTDIR and links a program against the result; it counts in the totals too.
check: test-bins $(SHLIB)
	@BIN=$(BIN) MAKE="$(MAKE)" BUILD=$(BUILD) OPT="$(OPT)" SAN="$(SAN)" \
	    sh scripts/run-tests.sh $(TEST_BIN) scripts/install-test.sh

asan:
	$(MAKE) check BUILD=build/asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

bench: all
	sh bench/run.sh

run: all
	./imbal run configs/abalone.yaml

deps:
	sh scripts/deps.sh

# Kept for habit: config.mk's rule is what installs missing packages before a build.
deps-present:
	@pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null || sh scripts/deps.sh

# README's two commands in a fresh clone on a throw-away minimal Debian 12 root (needs root,
# debootstrap and a few minutes; not part of make check). JOBS=2: both under MAKEFLAGS=-j2.
fresh-check:
	JOBS="$(JOBS)" sh scripts/fresh-machine.sh

# make install PREFIX=/usr/local DESTDIR=/tmp/stage; make uninstall removes exactly those files.
PREFIX  ?= /usr/local
DESTDIR ?=
bindir  := $(PREFIX)/bin
libdir  := $(PREFIX)/lib
includedir := $(PREFIX)/include
man1dir := $(PREFIX)/share/man/man1
pkgconfigdir := $(libdir)/pkgconfig
PUBLIC_HEADERS := $(wildcard include/imbal/*.h)
INSTALLED := $(bindir)/imbal $(libdir)/libimbal.a $(libdir)/$(SHLIB_FILE) $(libdir)/$(SONAME) \
             $(libdir)/libimbal.so $(pkgconfigdir)/imbal.pc $(man1dir)/imbal.1 \
             $(PUBLIC_HEADERS:include/imbal/%=$(includedir)/imbal/%)

install: $(BIN) $(LIB) $(SHLIB) imbal.1
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) $(DESTDIR)$(pkgconfigdir) \
	    $(DESTDIR)$(includedir)/imbal $(DESTDIR)$(man1dir)
	install -m 755 $(BIN) $(DESTDIR)$(bindir)/imbal
	install -m 644 $(LIB) $(DESTDIR)$(libdir)/libimbal.a
	install -m 755 $(SHLIB) $(DESTDIR)$(libdir)/$(SHLIB_FILE)
	ln -sf $(SHLIB_FILE) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(libdir)/libimbal.so
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(includedir)/imbal/
	install -m 644 imbal.1 $(DESTDIR)$(man1dir)/imbal.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@SVM_LIBS@|$(SVM_LIBS)|' \
	    -e 's|@XGB_LIBS@|$(XGB_LIBS)|' \
	    -e 's|@CAIRO_PC@|$(if $(CAIRO_LIBS),cairo,)|' imbal.pc.in \
	    > $(DESTDIR)$(pkgconfigdir)/imbal.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig > /dev/null; then \
	    ldconfig; fi

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	@if [ -d $(DESTDIR)$(includedir)/imbal ]; then \
	    rmdir --ignore-fail-on-non-empty $(DESTDIR)$(includedir)/imbal; fi

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
FUZZ_LIBSRC  := $(wildcard src/*.c src/samplers/*.c src/classifiers/*.c)
FUZZ_LIBOBJ  := $(FUZZ_LIBSRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB     := $(FUZZ_BUILD)/libimbal-fuzz.a
FUZZ_UTIL    := tests/fuzz/fuzz_util.c tests/fuzz/fuzz_dataset.c
FUZZ_NAMES   := csv keel spec params
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_HDRS    := $(wildcard include/imbal/*.h src/*.h src/samplers/*.h src/classifiers/*.h tests/fuzz/*.h)

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

# ---- ThreadSanitizer: make tsan [TSAN_TESTS="test_knn test_runner ..."] -----------------
# The library, the CLI and the Check programs built with clang -fsanitize=thread in their own
# directory, with LLVM's OpenMP runtime (libomp): its Archer tool tells TSan what OpenMP's
# barriers, criticals and task ends order (gcc's libgomp is invisible to TSan and gives
# thousands of false reports). scripts/tsan.sh runs the programs in TSAN_TESTS and an
# `imbal run -j 2`, with OMP_NUM_THREADS=2, and fails on any report. -DPANEL_PASS= drops
# logreg_panel.c's target_clones (ifuncs), which clang 14 does not link here (as in fuzz);
# -Wno-string-concatenation: clang's warning on a test's deliberately split "\xc3\x9f" "e".
# Self-contained: it shares no rule or variable with the build above.
TSAN_CC     ?= clang
TSAN_BUILD  ?= build/tsan
TSAN_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror \
               -Wno-pass-failed -Wno-string-concatenation -O1 -g -fno-omit-frame-pointer \
               -fsanitize=thread \
               -fopenmp=libomp -ffp-contract=off -DPANEL_PASS= -Iinclude -Isrc
TSAN_PKGS   := gsl yaml-0.1
# The programs that run a parallel region (knn's three, the runner's loop and its progress
# critical) in their own process or start imbal processes that do. Left out: those that run
# no OpenMP (parsers, formulas, the solver; `make check` runs them), test_cleaning_knn (the
# cleaning samplers' neighbour queries again, slow under TSan), test_logreg_scale (its
# 20,000-feature fit exhausts TSan's shadow memory) and test_report (its fixture starts
# libomp before Check forks, and Archer crashes at the children's exit; the runner it calls
# with one thread is covered by test_runner and test_threads).
TSAN_TESTS  ?= test_threads test_runner test_knn test_cluster_centroids test_samplers \
               test_cleaning test_classes test_sampler_errors test_simd test_inspect \
               test_resolved test_cli test_init_cli test_readme test_outdir test_logreg_extreme \
               test_dataset_robust
TSAN_LIBOBJ := $(patsubst %.c,$(TSAN_BUILD)/%.o,$(wildcard src/*.c src/samplers/*.c src/classifiers/*.c))
TSAN_CLIOBJ := $(patsubst %.c,$(TSAN_BUILD)/%.o,$(wildcard src/cli/*.c))
TSAN_LIB    := $(TSAN_BUILD)/libimbal-tsan.a
TSAN_BIN    := $(TSAN_BUILD)/imbal
TSAN_BINS   := $(TSAN_TESTS:%=$(TSAN_BUILD)/tests/%)
TSAN_HDRS   := $(wildcard include/imbal/*.h src/*.h src/samplers/*.h src/classifiers/*.h src/cli/*.h tests/*.h)

.PHONY: tsan tsan-build
tsan: tsan-build
	TSAN_BUILD=$(TSAN_BUILD) sh scripts/tsan.sh $(TSAN_BIN) $(TSAN_BINS)

tsan-build: $(TSAN_BIN) $(TSAN_BINS)

$(TSAN_BUILD)/src/%.o: src/%.c $(TSAN_HDRS)
	@mkdir -p $(dir $@)
	$(TSAN_CC) $(TSAN_CFLAGS) $(SVM_CFLAGS) $(shell pkg-config --cflags $(TSAN_PKGS)) -c $< -o $@

$(TSAN_LIB): $(TSAN_LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(TSAN_BIN): $(TSAN_CLIOBJ) $(TSAN_LIB)
	$(TSAN_CC) $(TSAN_CFLAGS) -o $@ $(TSAN_CLIOBJ) $(TSAN_LIB) \
	    $(shell pkg-config --libs $(TSAN_PKGS)) $(SVM_LIBS) -lm

$(TSAN_BUILD)/tests/%: tests/%.c tests/util.c $(TSAN_LIB) $(TSAN_HDRS)
	@mkdir -p $(dir $@)
	$(TSAN_CC) $(TSAN_CFLAGS) $(shell pkg-config --cflags $(TSAN_PKGS) check jansson) -Itests \
	    -o $@ $< tests/util.c $(TSAN_LIB) $(shell pkg-config --libs $(TSAN_PKGS) check jansson) \
	    $(SVM_LIBS) -lm
