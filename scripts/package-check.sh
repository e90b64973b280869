#!/usr/bin/env bash
# The Debian package as a user gets it: builds build/binrelay_*.deb (cpack, dependencies from
# dpkg-shlibdeps), checks its unit with systemd-analyze verify, installs it with apt-get, runs
# scripts/demo.sh against the installed /usr/bin binaries with a short load, then checks that
# the man pages and the example config are in place. Run by scripts/test.sh after ctest.
# REQUIRES: build/ configured with -DCMAKE_INSTALL_PREFIX=/usr and built. Run as root (or sudo).
# Usage: scripts/package-check.sh [load-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' build/CMakeCache.txt)
[[ $prefix == /usr ]] || { echo "build/ has CMAKE_INSTALL_PREFIX=$prefix; the .deb needs /usr" >&2; exit 1; }
rm -f build/binrelay_*.deb
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/binrelay_*.deb)
echo "== $deb"
dpkg-deb --field "$deb" Package Version Depends
dpkg-deb --contents "$deb" | awk '{print "  " $6}' | grep -E 'bin/|systemd|etc/|man'
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --reinstall "./$deb" >/dev/null
unit=$(dpkg -L binrelay | grep 'binrelayd.service$')
if command -v systemd-analyze >/dev/null; then
  echo "== systemd-analyze verify $unit"
  man_check=(); command -v man >/dev/null || man_check=(--man=no)
  systemd-analyze verify "${man_check[@]}" "$unit"
else
  echo "systemd-analyze not found: unit not verified" >&2
fi
for f in /usr/bin/binrelayd /usr/bin/binrelay-inspect /usr/bin/binrelay-import \
  /etc/binrelay/binrelayd.cnf /usr/share/man/man8/binrelayd.8; do
  [[ -e $f ]] || { echo "the package did not install $f" >&2; exit 1; }
done
getent passwd binrelay >/dev/null || { echo "the package did not create the binrelay user" >&2; exit 1; }
grep -q "pid.*file" /usr/share/man/man8/binrelayd.8 || { echo "binrelayd.8 lacks --pid-file" >&2; exit 1; }
BINRELAY_BIN_DIR=/usr/bin scripts/demo.sh "$seconds"
