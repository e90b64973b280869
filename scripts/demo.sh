#!/usr/bin/env bash
# The main job on an embedded default: a throwaway MariaDB primary on 127.0.0.1, binrelayd
# following it, a short sysbench write load, then what binrelayd stored and proof that it is
# complete: the relay log files are replayed into a second MariaDB server with mariadb-binlog,
# binrelayd's own applier (--apply-to, 4 workers) applies them into a third one, and CHECKSUM
# TABLE of every table is compared with the primary. Cleans up at the end.
# Usage: scripts/demo.sh [load-seconds]   (installs dependencies and builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target binrelayd binrelay-inspect
binrelayd=build/tools/binrelayd/binrelayd
inspect=build/tools/binrelay-inspect/binrelay-inspect

export BINRELAY_TMP
BINRELAY_TMP=$(mktemp -d /tmp/binrelay-demo-XXXXXX)
# shellcheck source=lib/mariadb.sh
source scripts/lib/mariadb.sh
relay_pid=
cleanup() {
  [[ -n $relay_pid ]] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
  mdb_stop primary
  mdb_stop copy
  mdb_stop applied
  rm -rf "$BINRELAY_TMP"
}
trap cleanup EXIT

step() { printf '\n=== %s\n' "$*"; }

step "starting a MariaDB primary"
primary_port=$(free_port)
mdb_start primary "$primary_port" 1 --log-bin="$BINRELAY_TMP/primary/data/mysql-bin" --binlog-format=ROW
mdb_sql primary "CREATE DATABASE sbtest"
sb=(sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$primary_port"
  --mysql-user=binrelay --mysql-password=binrelay-pw --mysql-db=sbtest --tables=4 --table-size=10000)
"${sb[@]}" prepare >/dev/null

step "starting a downstream MariaDB server for binrelayd's applier"
applied_port=$(free_port)
mdb_start applied "$applied_port" 3 --log-bin="$BINRELAY_TMP/applied/data/mysql-bin" --binlog-format=ROW

step "starting binrelayd following the primary and applying to the downstream"
export BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_APPLY_PASSWORD=binrelay-pw
"$binrelayd" --upstream "127.0.0.1:$primary_port" --upstream-user binrelay --server-id 100 \
  --data-dir "$BINRELAY_TMP/relay" --relay-log-max-size 4000000 \
  --apply-to "127.0.0.1:$applied_port" --apply-user binrelay --apply-workers 4 2>&1 |
  sed 's/^/  binrelayd: /' &
relay_pid=$!

step "running sysbench oltp_write_only for ${seconds}s (8 threads)"
"${sb[@]}" --threads=8 --time="$seconds" --report-interval=5 run | grep -E '^\[|transactions:'

step "waiting for binrelayd to hold the primary's last GTID"
target=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
for _ in $(seq 1 300); do
  last=$(ls "$BINRELAY_TMP"/relay/relay-bin.0* | tail -1)
  got=$("$inspect" --gtids "$last" | sed -n 's/^last_gtids: //p')
  [[ $got == "$target" ]] && break
  sleep 0.2
done
echo "  primary gtid_binlog_pos: $target   relay log last GTID: $got"
for _ in $(seq 1 600); do
  applied=$(mdb_sql applied "SELECT @@gtid_binlog_pos")
  [[ $applied == "$target" ]] && break
  sleep 0.2
done
echo "  applier downstream gtid_binlog_pos: $applied"

step "relay log files"
ls -l "$BINRELAY_TMP"/relay/
for f in "$BINRELAY_TMP"/relay/relay-bin.0*; do "$inspect" --gtids "$f" | sed 's/^/  /'; done

step "replaying the relay log into a second MariaDB server with mariadb-binlog"
copy_port=$(free_port)
mdb_start copy "$copy_port" 2
mariadb-binlog "$BINRELAY_TMP"/relay/relay-bin.0* | mariadb --no-defaults -uroot --socket="$BINRELAY_TMP/copy/sock"

step "CHECKSUM TABLE: primary vs. replay of binrelayd's relay log vs. binrelayd's applier"
status=0
for t in sbtest1 sbtest2 sbtest3 sbtest4; do
  a=$(mdb_sql primary "CHECKSUM TABLE sbtest.$t" | cut -f2)
  b=$(mdb_sql copy "CHECKSUM TABLE sbtest.$t" | cut -f2)
  c=$(mdb_sql applied "CHECKSUM TABLE sbtest.$t" | cut -f2)
  verdict=equal; [[ $a == "$b" && $a == "$c" ]] || { verdict=DIFFERENT; status=1; }
  printf '  sbtest.%-8s primary %-12s relay-replay %-12s applier %-12s %s\n' "$t" "$a" "$b" "$c" \
    "$verdict"
done
exit $status
