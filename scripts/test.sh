#!/usr/bin/env bash
# The whole test suite: installs dependencies, checks the formatting (scripts/format.sh), builds
# with -Werror, runs unit and integration tests against real MariaDB servers, builds and
# installs the Debian package and runs the demo on the installed binaries
# (scripts/package-check.sh), then a short libFuzzer run of every decoder. MySQL 9.7 runs from
# a sid chroot (scripts/mysql-chroot.sh). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/mysql-chroot.sh >/dev/null  # MySQL 9.7 for the MySQL tests (they fail without it)
scripts/format.sh --check
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBINRELAY_WERROR=ON \
  -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
scripts/package-check.sh 3  # the .deb installed with apt-get, the demo on /usr/bin
scripts/fuzz.sh "${BINRELAY_FUZZ_SECONDS:-20}"
