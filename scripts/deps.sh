#!/bin/sh
# Installs imbal's build dependencies from Debian's packages; does nothing when present.
set -e
PKGS="build-essential pkg-config libgsl-dev libyaml-dev check libjansson-dev libsvm-dev
      libxgboost-dev libcairo2-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all present ($PKGS)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
echo "deps: installing$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing
