#!/usr/bin/env bash
# The main job on an embedded default: a throwaway MariaDB primary on 127.0.0.1, binrelayd
# following it and serving its relay log on a port, a MariaDB replica replicating from binrelayd
# (CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos) and binrelayd's own applier (--apply-to,
# 4 workers) writing into a third server, during a short sysbench write load; then what
# binrelayd stored, its SHOW SLAVE STATUS on the admin port, and CHECKSUM TABLE of every table
# on the primary vs. the replica vs. the applier's downstream. Cleans up at the end.
# Usage: scripts/demo.sh [load-seconds]   (installs dependencies and builds first)
#        BINRELAY_BIN_DIR=/usr/bin scripts/demo.sh 3   (the installed binaries; no build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
scripts/deps.sh
if [[ -n ${BINRELAY_BIN_DIR:-} ]]; then
  binrelayd=$BINRELAY_BIN_DIR/binrelayd
  inspect=$BINRELAY_BIN_DIR/binrelay-inspect
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build --target binrelayd binrelay-inspect
  binrelayd=build/tools/binrelayd/binrelayd
  inspect=build/tools/binrelay-inspect/binrelay-inspect
fi
"$binrelayd" --version

export BINRELAY_TMP
BINRELAY_TMP=$(mktemp -d /tmp/binrelay-demo-XXXXXX)
# shellcheck source=lib/mariadb.sh
source scripts/lib/mariadb.sh
relay_pid=
cleanup() {
  if [[ -n $relay_pid ]]; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  mdb_stop replica
  mdb_stop applied
  mdb_stop primary
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

step "starting binrelayd: following the primary, serving replicas and admins, applying downstream"
relay_port=$(free_port)
export BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_REPL_PASSWORD=repl-pw
export BINRELAY_ADMIN_PASSWORD=admin-pw BINRELAY_APPLY_PASSWORD=binrelay-pw
"$binrelayd" --upstream "127.0.0.1:$primary_port" --upstream-user binrelay --server-id 100 \
  --data-dir "$BINRELAY_TMP/relay" --relay-log-max-size 4000000 \
  --listen "127.0.0.1:$relay_port" --repl-user repl --admin-user admin \
  --apply-to "127.0.0.1:$applied_port" --apply-user binrelay --apply-workers 4 \
  >"$BINRELAY_TMP/binrelayd.log" 2>&1 &
relay_pid=$!
relay_sql() {
  mariadb --no-defaults -h127.0.0.1 -P"$relay_port" -urepl -prepl-pw "$@"
}
admin_sql() {
  mariadb --no-defaults -h127.0.0.1 -P"$relay_port" -uadmin -padmin-pw "$@"
}

step "starting a MariaDB replica of binrelayd (not of the primary)"
replica_port=$(free_port)
mdb_start replica "$replica_port" 2
# binrelayd announces a MariaDB version once it holds the MariaDB primary's binlog.
for _ in $(seq 1 200); do
  [[ $(relay_sql -N -e 'SELECT @@version' 2>/dev/null) == *MariaDB* ]] && break
  sleep 0.1
done
mdb_sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$relay_port,
  MASTER_USER='repl', MASTER_PASSWORD='repl-pw', MASTER_USE_GTID=slave_pos,
  MASTER_CONNECT_RETRY=1; START SLAVE"

step "running sysbench oltp_write_only for ${seconds}s (8 threads)"
"${sb[@]}" --threads=8 --time="$seconds" --report-interval=5 run | grep -E '^\[|transactions:'

step "waiting for binrelayd and the replica to reach the primary's last GTID"
target=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
# gtid_reaching SERVER VARIABLE: polls @@VARIABLE on SERVER for up to 2 minutes until it equals
# $target, then prints its last value.
gtid_reaching() {
  local got _
  for _ in $(seq 1 600); do
    got=$(mdb_sql "$1" "SELECT @@$2")
    [[ $got == "$target" ]] && break
    sleep 0.2
  done
  echo "$got"
}
got=$(gtid_reaching replica gtid_slave_pos)
echo "  primary gtid_binlog_pos: $target   replica gtid_slave_pos: $got"
applied=$(gtid_reaching applied gtid_binlog_pos)
echo "  applier downstream gtid_binlog_pos: $applied"

step "relay log files"
ls -l "$BINRELAY_TMP"/relay/
for f in "$BINRELAY_TMP"/relay/relay-bin.0*; do "$inspect" --gtids "$f" | sed 's/^/  /'; done

step "binrelayd over the MySQL protocol (mariadb -h127.0.0.1 -P$relay_port)"
admin_sql -e 'SHOW SLAVE STATUS\G'
admin_sql -e 'SHOW REPLICAS; SHOW BINARY LOGS'
relay_sql -e 'SELECT @@version AS version, @@server_uuid AS server_uuid, @@gtid_binlog_pos AS gtid_binlog_pos\G'

step "the replica's SHOW SLAVE STATUS (its master is binrelayd)"
mariadb --no-defaults -uroot --socket="$(mdb_dir replica)/sock" -e 'SHOW SLAVE STATUS\G' | grep -E 'Master_(Host|Port)|Slave_(IO|SQL)_Running:|Using_Gtid|Gtid_IO_Pos|Last_(IO|SQL)_Error|Seconds_Behind'

step "binrelayd's log"
sed 's/^/  /' "$BINRELAY_TMP/binrelayd.log"

step "CHECKSUM TABLE: primary vs. replica of binrelayd vs. binrelayd's applier downstream"
status=0
[[ $got == "$target" ]] || { echo "  the replica did not reach $target"; status=1; }
[[ $applied == "$target" ]] || { echo "  the applier did not reach $target"; status=1; }
for t in sbtest1 sbtest2 sbtest3 sbtest4; do
  a=$(mdb_sql primary "CHECKSUM TABLE sbtest.$t" | cut -f2)
  b=$(mdb_sql replica "CHECKSUM TABLE sbtest.$t" | cut -f2)
  c=$(mdb_sql applied "CHECKSUM TABLE sbtest.$t" | cut -f2)
  verdict=equal; [[ $a == "$b" && $a == "$c" ]] || { verdict=DIFFERENT; status=1; }
  printf '  sbtest.%-8s primary %-12s replica %-12s applier %-12s %s\n' "$t" "$a" "$b" "$c" "$verdict"
done
exit $status
