#!/bin/sh
# make check: `make install` into a temporary DESTDIR, then a program from outside the tree
# (tests/install/prog.c) built with nothing but `pkg-config --cflags --libs imbal`, linked
# statically and against libimbal.so, run and compared with the installed imbal's own runs.csv;
# then `make uninstall` must leave exactly what was there before. Prints a Check-style summary
# line, so scripts/run-tests.sh counts each check in the totals.
# Environment (set by make check): MAKE, BUILD, OPT, SAN (the sanitizer flags, which the
# program needs too when the library was built with them).
cd "$(dirname "$0")/.." || exit 1
MAKE=${MAKE:-make}
BUILD=${BUILD:-build/release}
prefix=/usr/local
stage=$(mktemp -d /tmp/imbal-install.XXXXXX)
trap 'rm -rf "$stage"' EXIT
n=0
failed=0

check() { # check "what" command...: runs the command, counts and reports the result
    what=$1
    shift
    n=$((n + 1))
    if "$@" > "$stage/check.out" 2>&1; then
        echo "install-test: ok: $what"
    else
        failed=$((failed + 1))
        echo "install-test: FAILED: $what"
        sed 's/^/    /' "$stage/check.out" | tail -n 20
    fi
}

same_file() { # same_file A B: A and B have identical contents
    cmp "$1" "$2"
}

links_to() { # links_to LINK TARGET: LINK is a symbolic link whose text is TARGET
    [ -L "$1" ] && [ "$(readlink "$1")" = "$2" ]
}

soname_is() { # soname_is LIB NAME
    readelf -d "$1" | grep -q "(SONAME).*\[$2\]"
}

needs() { # needs PROG LIB: PROG's dynamic section lists LIB
    readelf -d "$1" | grep -q "(NEEDED).*\[$2\]"
}

not_needs() {
    ! readelf -d "$1" | grep -q "(NEEDED).*\[$2\]"
}

runs_auc() { # runs_auc RUNS.CSV: the ROC AUC column (auc), one value a line
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "auc") c = i; next}
             c {print $c}' "$1"
}

left_over() { # left_over: no file or link of ours under the stage, the others untouched
    extra=$(cd "$stage/root" && find . \( -type f -o -type l \) ! -name 'not-ours.*' | sort)
    [ -z "$extra" ] || { echo "left behind: $extra"; return 1; }
    [ ! -e "$stage/root$prefix/include/imbal" ] || { echo "include/imbal remains"; return 1; }
    [ "$(cat "$stage/root$prefix/lib/not-ours.txt")" = keep ] &&
        [ "$(cat "$stage/root$prefix/share/man/man1/not-ours.1")" = keep ]
}

install_it() {
    "$MAKE" --no-print-directory -s install PREFIX="$prefix" DESTDIR="$stage/root" \
        BUILD="$BUILD" OPT="$OPT" SAN="$SAN"
}

uninstall_it() {
    "$MAKE" --no-print-directory -s uninstall PREFIX="$prefix" DESTDIR="$stage/root" \
        BUILD="$BUILD"
}

# Files of someone else's in the same directories: uninstall must leave them alone.
mkdir -p "$stage/root$prefix/lib" "$stage/root$prefix/share/man/man1"
echo keep > "$stage/root$prefix/lib/not-ours.txt"
echo keep > "$stage/root$prefix/share/man/man1/not-ours.1"

version=$(sed -n 's/.*IMBAL_VERSION "\(.*\)".*/\1/p' include/imbal/version.h)
major=${version%%.*}
dest=$stage/root$prefix
check "make install DESTDIR=... PREFIX=$prefix" install_it
check "bin/imbal is the built CLI" same_file "$dest/bin/imbal" "$BUILD/imbal"
check "lib/libimbal.a is the built archive" same_file "$dest/lib/libimbal.a" "$BUILD/libimbal.a"
check "lib/libimbal.so.$version has soname libimbal.so.$major" \
    soname_is "$dest/lib/libimbal.so.$version" "libimbal.so.$major"
check "libimbal.so.$major -> libimbal.so.$version" \
    links_to "$dest/lib/libimbal.so.$major" "libimbal.so.$version"
check "libimbal.so -> libimbal.so.$major" links_to "$dest/lib/libimbal.so" "libimbal.so.$major"
for h in include/imbal/*.h; do
    check "header $h" same_file "$dest/include/imbal/${h##*/}" "$h"
done
check "share/man/man1/imbal.1" same_file "$dest/share/man/man1/imbal.1" imbal.1
if command -v mandoc > /dev/null; then
    check "the man page passes mandoc -T lint" mandoc -T lint "$dest/share/man/man1/imbal.1"
fi

export PKG_CONFIG_PATH="$dest/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$stage/root"
check "pkg-config --modversion imbal is $version" \
    test "$(pkg-config --modversion imbal)" = "$version"
cflags=$(pkg-config --cflags imbal)
libs=$(pkg-config --libs imbal)
# -l:libimbal.a picks the archive by its file name, so the static program cannot use the .so
static_libs=$(pkg-config --static --libs imbal | sed 's/-limbal\b/-l:libimbal.a/')
# shellcheck disable=SC2086 # the flags are word lists
check "cc prog.c \$(pkg-config --cflags --libs imbal)" \
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror $SAN $cflags -o "$stage/prog_shared" \
    tests/install/prog.c $libs
# shellcheck disable=SC2086
check "cc prog.c \$(pkg-config --cflags --static --libs imbal) with libimbal.a" \
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror $SAN $cflags -o "$stage/prog_static" \
    tests/install/prog.c $static_libs
check "the shared program needs libimbal.so.$major" needs "$stage/prog_shared" "libimbal.so.$major"
check "the static program does not" not_needs "$stage/prog_static" "libimbal.so.$major"

check "the installed imbal runs configs/demo.yaml" \
    "$dest/bin/imbal" run configs/demo.yaml -q -j 1 --no-timings -o "$stage/demo"
runs_auc "$stage/demo/runs.csv" > "$stage/demo.auc"
check "runs.csv has the 30 runs' ROC AUCs" test "$(grep -c . "$stage/demo.auc")" = 30
check "the shared program: roc_auc and the demo's AUCs as the CLI's" sh -c \
    "LD_LIBRARY_PATH='$dest/lib' '$stage/prog_shared' configs/demo.yaml > '$stage/shared.out' &&
     head -n 1 '$stage/shared.out' | grep -q '^roc_auc 0.75 ok' &&
     tail -n +2 '$stage/shared.out' | cmp - '$stage/demo.auc'"
check "the static program: the same" sh -c \
    "'$stage/prog_static' configs/demo.yaml > '$stage/static.out' &&
     cmp '$stage/static.out' '$stage/shared.out'"

check "make uninstall" uninstall_it
check "uninstall removed exactly what install installed" left_over

echo "install-test: $((n - failed)) of $n checks passed"
echo "$(((n - failed) * 100 / n))%: Checks: $n, Failures: $failed, Errors: 0"
[ "$failed" -eq 0 ]
