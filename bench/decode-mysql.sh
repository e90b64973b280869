#!/usr/bin/env bash
# Decode benchmark, MySQL side: binrelay-inspect vs mysqlbinlog 9.7 on the same MySQL 9.7 binlog
# (MB megabytes, default 40) written by a bounded sysbench-like write load (per transaction:
# UPDATE of an indexed column, UPDATE of a CHAR column, DELETE and INSERT of a row, over a
# table with INT, CHAR, VARCHAR, DECIMAL, DATETIME(6) and JSON columns) on a real MySQL 9.7
# in the chroot of scripts/mysql-chroot.sh:
#   binrelay-inspect -vv --base64-output=decode-rows FILE
#   mysqlbinlog      -vv --base64-output=decode-rows FILE   (9.7, run in the chroot)
# Each command runs RUNS times (default 2); the best wall time and the best CPU time (user +
# sys) are reported, with the ratio. Output goes to /dev/null; the page cache is warm.
# The binlog is kept in the chroot (/tmp/binrelay-decode-bench) and reused.
# Usage: [INSPECT=path] bench/decode-mysql.sh [RUNS] [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
mb=${2:-40}
root=${BINRELAY_MYSQL_CHROOT:-/opt/binrelay-mysql-sid}
if [[ ! -x $root/usr/sbin/mysqld ]]; then
  echo "decode-mysql.sh: no MySQL 9.7 chroot at $root (run scripts/mysql-chroot.sh)" >&2
  exit 1
fi
# INSPECT=path uses an existing binrelay-inspect instead of building a Release one.
inspect=${INSPECT:-build-release/tools/binrelay-inspect/binrelay-inspect}
if [[ -z ${INSPECT:-} ]]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
  cmake --build build-release --target binrelay-inspect >/dev/null
fi
dir=/tmp/binrelay-decode-bench  # inside the chroot
file=$dir/binlog.000001

in_root() { chroot "$root" sh -c "$1"; }

server_pid=
stop_server() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  server_pid=
}
trap stop_server EXIT

generate() {
  local work=$dir/server
  rm -rf "$root$dir"
  mkdir -p "$root$work"
  in_root "mysqld --no-defaults --initialize-insecure --user=root --datadir=$work/data \
    >$work/install.log 2>&1"
  # chroot execs sh, which execs mysqld: $! is mysqld's pid.
  chroot "$root" sh -c "exec mysqld --no-defaults --user=root --datadir=$work/data --socket=$work/sock \
    --pid-file=$work/pid --log-error=$work/error.log --skip-networking --mysqlx=OFF \
    --secure-file-priv= --server-id=1 --log-bin=$work/data/binlog --binlog-format=ROW \
    --max-binlog-size=1073741824 --gtid-mode=ON --enforce-gtid-consistency=ON \
    --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --performance-schema=OFF" &
  server_pid=$!
  local sql="mysql --no-defaults -uroot --socket=$work/sock"
  for _ in $(seq 1 300); do in_root "$sql -e 'SELECT 1'" >/dev/null 2>&1 && break; sleep 0.2; done
  in_root "$sql" <<'SQL'
CREATE DATABASE sbtest;
USE sbtest;
SET SESSION cte_max_recursion_depth = 100000;
CREATE TABLE sbtest.sbtest1 (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0,
  c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', note VARCHAR(200),
  amount DECIMAL(12,2), changed DATETIME(6), attrs JSON, KEY k_1 (k));
INSERT INTO sbtest.sbtest1 (k, c, pad, note, amount, changed, attrs)
  WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10000)
  SELECT n % 1000, REPEAT(HEX(CRC32(n)), 12), REPEAT(HEX(CRC32(n + 1)), 6), CONCAT('row ', n), n / 7,
         NOW(6), JSON_OBJECT('n', n, 'tag', HEX(CRC32(n))) FROM seq;
DELIMITER //
CREATE PROCEDURE sbtest.write_only(IN transactions INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE r INT;
  WHILE i < transactions DO
    SET r = 1 + (i * 7919) % 10000;
    START TRANSACTION;
    UPDATE sbtest.sbtest1 SET k = k + 1 WHERE id = r;
    UPDATE sbtest.sbtest1 SET c = REPEAT(HEX(CRC32(i)), 12), changed = NOW(6) WHERE id = r + 1;
    DELETE FROM sbtest.sbtest1 WHERE id = r + 2;
    INSERT INTO sbtest.sbtest1 (id, k, c, pad, note, amount, changed, attrs)
      VALUES (r + 2, i % 1000, REPEAT(UUID(), 3), HEX(CRC32(i)), CONCAT('new ', i), i / 3, NOW(6),
              JSON_OBJECT('i', i, 'even', i % 2 = 0));
    COMMIT;
    SET i = i + 1;
  END WHILE;
END //
DELIMITER ;
SQL
  echo "decode-mysql: writing $mb MB of binlog"
  while (($(stat -c %s "$root$work/data/binlog.000001") < mb * 1000000)); do
    in_root "$sql -e 'CALL sbtest.write_only(2000)'"
  done
  in_root "$sql -e 'FLUSH BINARY LOGS'"
  cp "$root$work/data/binlog.000001" "$root$file"
  stop_server
  rm -rf "${root:?}$work"
}

[[ -s $root$file ]] || generate
size=$(stat -c %s "$root$file")
cat "$root$file" >/dev/null  # warm the page cache for both tools

best() { # best "WALL CPU" of $runs runs of "$@"
  local i
  for ((i = 0; i < runs; i++)); do bench/timed.py "$@"; done |
    sort -n -k1,1 | awk 'NR == 1 {w = $1} {c = (NR == 1 || $2 < c) ? $2 : c} END {print w, c}'
}

native=$(best chroot "$root" mysqlbinlog -vv --base64-output=decode-rows "$file")
ours=$(best "$inspect" -vv --base64-output=decode-rows "$root$file")
version=$(chroot "$root" mysqlbinlog --version | head -1)
python3 - "$size" $native $ours "$version" <<'PY'
import sys
size, nw, nc, ow, oc = map(float, sys.argv[1:6])
mb = size / 1e6
print(f"binlog: {mb:.1f} MB (MySQL 9.7, ROW, write-only load); wall / cpu (user+sys)")
print(f"mysqlbinlog -vv --base64-output=decode-rows      : {nw:6.2f} s {mb/nw:7.1f} MB/s  cpu {nc:6.2f} s {mb/nc:7.1f} MB/s")
print(f"binrelay-inspect -vv --base64-output=decode-rows : {ow:6.2f} s {mb/ow:7.1f} MB/s  cpu {oc:6.2f} s {mb/oc:7.1f} MB/s")
print(f"ratio (binrelay-inspect / mysqlbinlog)           : wall {nw/ow:.1f}x, cpu {nc/oc:.1f}x   (target >= 10x)")
print(f"({sys.argv[6]})")
PY
