#!/usr/bin/env bash
# Decode benchmark: binrelay-inspect vs mariadb-binlog on the same >= 200 MB sysbench binlog.
#   full row decoding to text: binrelay-inspect FILE  vs  mariadb-binlog -vv --base64-output=decode-rows FILE
#   header-only scan:          binrelay-inspect --stats FILE (MB/s)
# Usage: bench/decode.sh   (installs dependencies, builds Release, generates the binlog once)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh >/dev/null
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
cmake --build build-release --target binrelay-inspect >/dev/null
bench/gen_binlog.sh 220
file=bench/.data/sysbench.binlog
inspect=build-release/tools/binrelay-inspect/binrelay-inspect
mb=$(python3 -c "import os; print(os.path.getsize('$file') / 1e6)")
cat "$file" >/dev/null  # warm the page cache for both tools

seconds() { # runs "$@" with stdout to /dev/null, prints wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}

t_native=$(seconds mariadb-binlog -vv --base64-output=decode-rows "$file")
t_ours=$(seconds "$inspect" "$file")
t_stats=$(seconds "$inspect" --stats --no-verify-checksums "$file")
t_stats_crc=$(seconds "$inspect" --stats "$file")
python3 - "$mb" "$t_native" "$t_ours" "$t_stats" "$t_stats_crc" <<'PY'
import sys
mb, native, ours, stats, stats_crc = map(float, sys.argv[1:])
print(f"binlog: {mb:.0f} MB (sysbench oltp_write_only, MariaDB 10.11, ROW)")
print(f"mariadb-binlog -vv --base64-output=decode-rows : {native:7.2f} s  {mb/native:8.1f} MB/s")
print(f"binrelay-inspect (rows decoded to text)        : {ours:7.2f} s  {mb/ours:8.1f} MB/s")
print(f"ratio (full decode, binrelay / mariadb-binlog)  : {native/ours:.1f}x   (target >= 10x)")
print(f"binrelay-inspect --stats (headers only)        : {stats:7.2f} s  {mb/stats/1000:8.2f} GB/s  (target >= 1 GB/s)")
print(f"binrelay-inspect --stats with CRC32 checks     : {stats_crc:7.2f} s  {mb/stats_crc/1000:8.2f} GB/s")
PY
