#!/usr/bin/env bash
# Decode benchmark: binrelay-inspect vs mariadb-binlog on the same >= 200 MB sysbench binlog
# (the MySQL 9.7 side: bench/decode-mysql.sh).
#   full row decoding to text: binrelay-inspect -vv --base64-output=decode-rows FILE  vs
#                              mariadb-binlog -vv --base64-output=decode-rows FILE
#   header-only scan:          binrelay-inspect --stats FILE (GB/s)
# Each command runs RUNS times (default 2); the best wall time and the best CPU time
# (user + sys) are reported. Output goes to /dev/null; the page cache is warm.
# Usage: bench/decode.sh [RUNS]   (installs dependencies, builds Release, generates the binlog once)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
scripts/deps.sh >/dev/null
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
cmake --build build-release --target binrelay-inspect >/dev/null
bench/gen_binlog.sh 220
file=bench/.data/sysbench.binlog
inspect=build-release/tools/binrelay-inspect/binrelay-inspect
mb=$(python3 -c "import os; print(os.path.getsize('$file') / 1e6)")
cat "$file" >/dev/null  # warm the page cache for both tools

best() { # best "WALL CPU" of $runs runs of "$@"
  local i
  for ((i = 0; i < runs; i++)); do bench/timed.py "$@"; done |
    sort -n -k1,1 | awk 'NR == 1 {w = $1} {c = (NR == 1 || $2 < c) ? $2 : c} END {print w, c}'
}

native=$(best mariadb-binlog -vv --base64-output=decode-rows "$file")
ours=$(best "$inspect" -vv --base64-output=decode-rows "$file")
stats=$(best "$inspect" --stats --no-verify-checksums "$file")
stats_crc=$(best "$inspect" --stats "$file")
python3 - "$mb" $native $ours $stats $stats_crc <<'PY'
import sys
mb, nw, nc, ow, oc, sw, sc, cw, cc = map(float, sys.argv[1:])
print(f"binlog: {mb:.0f} MB (sysbench oltp_write_only, MariaDB 10.11, ROW); wall / cpu (user+sys)")
print(f"mariadb-binlog -vv --base64-output=decode-rows : {nw:6.2f} s {mb/nw:7.1f} MB/s  cpu {nc:6.2f} s {mb/nc:7.1f} MB/s")
print(f"binrelay-inspect (rows decoded to text)        : {ow:6.2f} s {mb/ow:7.1f} MB/s  cpu {oc:6.2f} s {mb/oc:7.1f} MB/s")
print(f"ratio (full decode, binrelay / mariadb-binlog)  : wall {nw/ow:.1f}x, cpu {nc/oc:.1f}x   (target >= 10x)")
print(f"binrelay-inspect --stats (headers only)        : {sw:6.2f} s {mb/sw/1000:6.2f} GB/s  cpu {sc:6.2f} s {mb/sc/1000:6.2f} GB/s  (target >= 1 GB/s)")
print(f"binrelay-inspect --stats with CRC32 checks     : {cw:6.2f} s {mb/cw/1000:6.2f} GB/s  cpu {cc:6.2f} s {mb/cc/1000:6.2f} GB/s")
PY
