#!/usr/bin/env bash
# Generates a MariaDB binlog of at least MB megabytes (default 220) with sysbench
# oltp_write_only (8 threads) and copies it to OUT (default bench/.data/sysbench.binlog).
# Reuses an existing OUT of sufficient size. Usage: bench/gen_binlog.sh [MB] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-220}
out=${2:-bench/.data/sysbench.binlog}
if [[ -f $out ]] && (($(stat -L -c %s "$out") >= mb * 1000000)); then
  echo "gen_binlog: reusing $out ($(($(stat -L -c %s "$out") / 1000000)) MB)"
  exit 0
fi
mkdir -p "$(dirname "$out")"
export BINRELAY_TMP
BINRELAY_TMP=$(mktemp -d /tmp/binrelay-gen-XXXXXX)
# shellcheck source=../scripts/lib/mariadb.sh
source scripts/lib/mariadb.sh
trap 'mdb_stop gen; rm -rf "$BINRELAY_TMP"' EXIT
port=$(free_port)
mdb_start gen "$port" 1 --log-bin="$BINRELAY_TMP/gen/data/mysql-bin" --binlog-format=ROW \
  --max-binlog-size=1073741824 --innodb-flush-log-at-trx-commit=0 --sync-binlog=0
mdb_sql gen "CREATE DATABASE sbtest"
sb=(sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port"
  --mysql-user=binrelay --mysql-password=binrelay-pw --mysql-db=sbtest --tables=4
  --table-size=100000 --threads=8)
"${sb[@]}" prepare >/dev/null
echo "gen_binlog: writing ${mb} MB of binlog with sysbench oltp_write_only"
while true; do
  size=$(stat -c %s "$BINRELAY_TMP/gen/data/mysql-bin.000001")
  ((size >= mb * 1000000)) && break
  "${sb[@]}" --time=20 --report-interval=0 run >/dev/null
done
mdb_sql gen "FLUSH BINARY LOGS"
cp "$BINRELAY_TMP/gen/data/mysql-bin.000001" "$out"
echo "gen_binlog: $out $(($(stat -L -c %s "$out") / 1000000)) MB"
