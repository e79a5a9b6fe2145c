#!/usr/bin/env bash
# Install the build dependencies from Debian's packages, only those not yet installed.
set -euo pipefail
# Arguments: more packages that one step needs (make fuzz: clang-14 libclang-rt-14-dev).
pkgs="cmake g++ make xz-utils libeigen3-dev libgtest-dev libopenmpi-dev openmpi-bin voro++-dev
      python3-numpy python3-matplotlib $*"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup-deps: need root (or sudo) to install:$missing" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup-deps: installing from Debian:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
