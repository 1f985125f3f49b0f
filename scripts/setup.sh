#!/usr/bin/env bash
# Install missing Debian packages (as root), then configure the two build dirs.
# Idempotent: a second run changes nothing and exits quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config meson ninja-build libunicorn-dev libcapstone-dev libelf-dev libsqlite3-dev libcmocka-dev musl-tools busybox-static bash-static zlib1g-dev sqlite3 python3 libseccomp-dev libssl-dev"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "mmsim: missing Debian packages. Run as root:" >&2
    echo "  apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
  echo "mmsim: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $missing
fi

# build: the normal configuration; build-asan: ASan+UBSan for the unit tests.
[ -f build/build.ninja ] || meson setup build >/dev/null
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false -Dguests=false -Dbuildtype=debug >/dev/null
