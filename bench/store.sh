#!/usr/bin/env bash
# Store write ceiling: appends every event of the >= 200 MB sysbench binlog to a fresh relay
# store (bench/store_bench.cpp), once per sync policy, and prints MB/s (wall and per CPU core).
# The events are in memory beforehand: this measures the store alone (checksum verification,
# log_pos/checksum rewrite, buffered writes, fdatasync), not the network.
# Usage: bench/store.sh [BATCH_KIB]   (installs dependencies, builds Release, generates the binlog once)
set -euo pipefail
cd "$(dirname "$0")/.."
batch_kib=${1:-64}
scripts/deps.sh >/dev/null
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
cmake --build build-release --target store_bench >/dev/null
bench/gen_binlog.sh 220
file=bench/.data/sysbench.binlog
scratch=$(mktemp -d "${TMPDIR:-/tmp}/binrelay-store-bench-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
echo "store write ceiling on $(($(stat -L -c %s "$file") / 1000000)) MB of sysbench binlog (best of 3; target >= 500 MB/s with sync none/interval)"
for sync in none interval transaction; do
  build-release/bench/store_bench "$file" --dir "$scratch/store" --sync "$sync" \
    --batch-kib "$batch_kib" --rounds 3
done
