#!/bin/sh
# make fresh-check: README's set-up as a newcomer meets it. Makes a throw-away Debian 12 root
# (debootstrap --variant=minbase) that has only git, make and gcc, clones this repository's
# commit into it and runs README's two commands there, `make run` then `make check`. It proves
# what CI cannot, since CI's machine already has the packages. Needs root and a few minutes.
#
# usage: scripts/fresh-machine.sh [REV]    REV: the commit to clone (default HEAD; only
#        committed work is seen). KEEP=1 keeps the root (its path is printed). JOBS=2 runs
#        both commands with MAKEFLAGS=-j2 (the commands themselves stay README's).
# Exit status: 0 when both commands passed, 1 when one failed, 2 when the root could not be made.
set -eu

rev=${1:-HEAD}
repo=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm

say() {
    printf 'fresh-machine: %s\n' "$*"
}

if [ "$(id -u)" != 0 ]; then
    say "needs root (debootstrap and chroot)" >&2
    exit 2
fi
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    say "warning: uncommitted changes in $repo are not part of the test"
fi
if ! command -v debootstrap > /dev/null; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap > /dev/null
fi

# The machine's own apt sources for this suite (apt's parsed view, so both sources.list and
# deb822 files count), and its proxy, so the chroot fetches the way this machine does.
# shellcheck disable=SC2016 # $(REPO_URI) and the like are apt's format fields
sources=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT) $(TARGET_OF)' \
    2> /dev/null | awk -v s="$suite" '$4 == "deb" && index($2, s) == 1 {print $1, $2, $3}' |
    sort -u)
mirror=$(printf '%s\n' "$sources" | awk -v s="$suite" '$2 == s {print $1; exit}')
if [ -z "$mirror" ]; then
    mirror=http://deb.debian.org/debian/
    sources="$mirror $suite main"
fi
http_proxy_conf=""
https_proxy_conf=""
eval "$(apt-config shell http_proxy_conf Acquire::http::Proxy https_proxy_conf Acquire::https::Proxy)"
if [ -n "$http_proxy_conf" ] && [ "$http_proxy_conf" != DIRECT ]; then
    export http_proxy="$http_proxy_conf"
fi
if [ -n "$https_proxy_conf" ] && [ "$https_proxy_conf" != DIRECT ]; then
    export https_proxy="$https_proxy_conf"
fi

root=$(mktemp -d /var/tmp/imbal-fresh.XXXXXX)
# Unmounts what was mounted, then removes the root without crossing into any file system still
# mounted inside it (so a failed umount can never reach the host's files).
# shellcheck disable=SC2317 # reached through the trap
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    if mountpoint -q "$root/proc"; then
        umount "$root/proc" || umount -l "$root/proc" || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        say "kept $root"
    elif grep -q " $root/" /proc/mounts; then
        say "something is still mounted under $root; not removing it" >&2
    else
        rm -rf --one-file-system "$root"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "debootstrap --variant=minbase $suite $root $mirror"
if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$root.debootstrap.log" 2>&1; then
    tail -n 20 "$root.debootstrap.log" >&2
    rm -f "$root.debootstrap.log"
    say "debootstrap failed" >&2
    exit 2
fi
rm -f "$root.debootstrap.log"
printf '%s\n' "$sources" | awk '{print "deb", $1, $2, $3}' > "$root/etc/apt/sources.list"
if [ -n "${http_proxy:-}" ]; then
    printf 'Acquire::http::Proxy "%s";\n' "$http_proxy" > "$root/etc/apt/apt.conf.d/01proxy"
fi
if [ -n "${https_proxy:-}" ]; then
    printf 'Acquire::https::Proxy "%s";\n' "$https_proxy" >> "$root/etc/apt/apt.conf.d/01proxy"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"

in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive ${JOBS:+MAKEFLAGS=-j$JOBS} \
        ${http_proxy:+http_proxy=$http_proxy} \
        ${https_proxy:+https_proxy=$https_proxy} "$@"
}

say "installing only git, make and gcc in the root"
if ! in_root sh -c 'apt-get update -q && apt-get install -y -q git make gcc' \
    > "$root/tmp/apt.log" 2>&1; then
    tail -n 20 "$root/tmp/apt.log" >&2
    say "apt-get in the root failed" >&2
    exit 2
fi
for p in pkg-config libgsl-dev libyaml-dev check libjansson-dev; do
    # shellcheck disable=SC2016 # ${Status} is dpkg-query's field
    if in_root dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed'; then
        say "$p is already in the root: this is not a bare machine" >&2
        exit 2
    fi
done

# A bundle needs a ref: REV itself when it names one (HEAD, a branch), else every branch.
if [ "$rev" = HEAD ] || git -C "$repo" show-ref -q "$rev"; then
    git -C "$repo" bundle create "$root/tmp/imbal.bundle" "$rev" 2> /dev/null
else
    git -C "$repo" bundle create "$root/tmp/imbal.bundle" --all 2> /dev/null
fi
in_root git -c advice.detachedHead=false clone -q /tmp/imbal.bundle /root/imbal
in_root git -C /root/imbal checkout -q "$commit"
say "fresh clone of $(git -C "$repo" log -1 --format='%h %s' "$commit")"

status=0
for cmd in "make run" "make check"; do
    say "\$ $cmd${JOBS:+   (MAKEFLAGS=-j$JOBS)}"
    if in_root sh -c "cd /root/imbal && $cmd"; then
        say "$cmd: ok"
    else
        say "$cmd: FAILED (exit $?)"
        status=1
        break
    fi
done
if [ "$status" = 0 ]; then
    say "passed: make run and make check on a bare Debian $suite (minbase + git, make, gcc)"
else
    say "FAILED on a bare Debian $suite"
fi
exit "$status"
