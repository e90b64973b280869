#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for the given seconds (default 20),
# seeded from the real binlogs in ../shared/fixtures (found by scripts/fixtures-dir.sh). Exits
# non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBINRELAY_WERROR=ON -DBINRELAY_FUZZ=ON -DBINRELAY_TESTS=OFF -DBINRELAY_TOOLS=OFF \
  -DBINRELAY_BENCH=OFF >/dev/null
# Only the fuzz targets and the libraries they link: the daemon and tools are not fuzzed.
fuzz_targets=$(for f in tests/fuzz/fuzz_*.cpp; do basename "$f" .cpp; done)
# shellcheck disable=SC2086
cmake --build build-fuzz -j "$(nproc)" --target $fuzz_targets
shopt -s nullglob
targets=(build-fuzz/tests/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then
  echo "fuzz: no targets built" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=$(basename "$t")
  corpus="build-fuzz/corpus/$name"
  mkdir -p "$corpus"
  seeds="tests/fuzz/seeds/$name"
  [[ -x "$seeds" ]] && "$seeds" "$corpus"
  echo "fuzz: $name for ${seconds}s"
  "$t" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="build-fuzz/$name-" -print_final_stats=0 "$corpus" 2>build-fuzz/$name.log \
    || { tail -50 build-fuzz/$name.log; echo "fuzz: $name crashed" >&2; exit 1; }
done
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
