#!/usr/bin/env bash
# Applier benchmark: transactions/s of binrelayd's applier (1, 2, 4, 8 workers) vs MariaDB's
# own replica SQL thread (slave_parallel_threads 0, and 4 conservative / optimistic), applying
# the same sysbench oltp_write_only binlog to identically configured servers from the same
# starting state (a copy of the primary's data after `sysbench prepare`). Run once with
# innodb_flush_log_at_trx_commit=2 + sync_binlog=0 and once durable (=1, sync_binlog=1).
# Only the apply phase is timed: the relay log (ours) / relay log (native: IO thread first)
# is complete before applying starts. Every downstream has log_bin (and log_slave_updates).
# Usage: bench/apply.sh [LOAD_SECONDS]   (default 20; BINRELAY_BUILD_DIR=build reuses a build)
set -euo pipefail
cd "$(dirname "$0")/.."
load_s=${1:-20}
build_dir=${BINRELAY_BUILD_DIR:-build-release}
if [[ $build_dir == build-release ]]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
  cmake --build build-release --target binrelayd >/dev/null
fi
binrelayd=$PWD/$build_dir/tools/binrelayd/binrelayd
export BINRELAY_TMP
BINRELAY_TMP=$(mktemp -d /tmp/binrelay-applybench-XXXXXX)
# shellcheck source=../scripts/lib/mariadb.sh
source scripts/lib/mariadb.sh
relay_pid=
cleanup() {
  [[ -n $relay_pid ]] && kill "$relay_pid" 2>/dev/null || true
  for n in primary down; do mdb_stop $n; done
  rm -rf "$BINRELAY_TMP"
}
trap cleanup EXIT
now() { date +%s.%N; }

# 1. Primary, prepared tables, snapshot of the starting state.
pport=$(free_port)
pargs=(--log-bin="$BINRELAY_TMP/primary/data/mysql-bin" --binlog-format=ROW
       --innodb-flush-log-at-trx-commit=2 --sync-binlog=0)
mdb_start primary "$pport" 1 "${pargs[@]}"
mdb_sql primary "CREATE DATABASE sbtest"
sb=(sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$pport"
    --mysql-user=binrelay --mysql-password=binrelay-pw --mysql-db=sbtest --tables=4
    --table-size=20000 --db-ps-mode=disable)
"${sb[@]}" --threads=4 prepare >/dev/null
snap_pos=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
mdb_stop primary
cp -a "$BINRELAY_TMP/primary/data" "$BINRELAY_TMP/snapshot"
rm -f "$BINRELAY_TMP"/snapshot/mysql-bin.* "$BINRELAY_TMP"/snapshot/*.info
mdb_start primary "$pport" 1 "${pargs[@]}"

# 2. The load whose binlog is applied.
"${sb[@]}" --threads=8 --time="$load_s" --report-interval=0 run >/dev/null
end_pos=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
count=$((${end_pos##*-} - ${snap_pos##*-}))
echo "workload: sysbench oltp_write_only, 8 threads, ${load_s} s: $count transactions ($snap_pos -> $end_pos)"

# 3. binrelayd's relay log of everything, then where the snapshot ends in it.
relay_common=(--upstream="127.0.0.1:$pport" --upstream-user=binrelay --server-id=4242
              --data-dir="$BINRELAY_TMP/relay" --relay-log-max-size=100000000)
export BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_APPLY_PASSWORD=binrelay-pw
"$binrelayd" "${relay_common[@]}" >"$BINRELAY_TMP/relay.log" 2>&1 &
relay_pid=$!
relay_gtids() { # every GTID in the relay log, in order (reads whole files: no SIGPIPE)
  for f in "$BINRELAY_TMP"/relay/relay-bin.[0-9]*; do
    mariadb-binlog --skip-gtid-strict-mode "$f" 2>/dev/null || true
  done | grep -oE 'GTID [0-9]+-[0-9]+-[0-9]+' || true
}
until relay_gtids | grep -x "GTID $end_pos" >/dev/null; do sleep 0.5; done
kill "$relay_pid"; wait "$relay_pid" || true; relay_pid=
first_seq=$((${snap_pos##*-} + 1))
resume=$(for f in "$BINRELAY_TMP"/relay/relay-bin.[0-9]*; do
  mariadb-binlog --skip-gtid-strict-mode "$f" | awk -v f="$(basename "$f")" \
    -v g="GTID ${snap_pos%-*}-$first_seq " '/^# at /{at=$3} index($0, g) && !done {print f, at; done=1}'
  done | sed -n 1p)
read -r resume_file resume_offset <<<"$resume"
resume_number=$((10#${resume_file##*.}))

down_start() { # durability args...
  rm -rf "$BINRELAY_TMP/down"
  mkdir -p "$BINRELAY_TMP/down"
  cp -a "$BINRELAY_TMP/snapshot" "$BINRELAY_TMP/down/data"
  dport=$(free_port)
  mdb_start down "$dport" 2 --log-bin="$BINRELAY_TMP/down/data/down-bin" --binlog-format=ROW \
    --log-slave-updates "$@"
}

wait_pos() { # variable
  until [[ $(mdb_sql down "SELECT @@$1") == "$end_pos" ]]; do sleep 0.05; done
}

run_ours() { # workers durability-args...
  local workers=$1
  shift
  down_start "$@"
  mdb_sql down "SET SESSION sql_log_bin=0; CREATE DATABASE binrelay;
    CREATE TABLE binrelay.apply_progress (worker INT UNSIGNED NOT NULL PRIMARY KEY,
      file_number BIGINT UNSIGNED NOT NULL, relay_file VARCHAR(512) NOT NULL,
      end_offset BIGINT UNSIGNED NOT NULL, gtid VARCHAR(200) NOT NULL) ENGINE=InnoDB;
    INSERT INTO binrelay.apply_progress VALUES (0, $resume_number, '$resume_file', $resume_offset, '$snap_pos')"
  rm -rf "$BINRELAY_TMP/relay-run"
  cp -a "$BINRELAY_TMP/relay" "$BINRELAY_TMP/relay-run"
  local start
  start=$(now)
  "$binrelayd" "${relay_common[@]/--data-dir=*/--data-dir=$BINRELAY_TMP/relay-run}" \
    --apply-to="127.0.0.1:$dport" --apply-user=binrelay --apply-workers="$workers" \
    >"$BINRELAY_TMP/apply-$workers.log" 2>&1 &
  relay_pid=$!
  wait_pos gtid_binlog_pos
  python3 -c "print($(now) - $start)"
  kill "$relay_pid"; wait "$relay_pid" || true; relay_pid=
  mdb_stop down
}

run_native() { # threads mode durability-args...
  local threads=$1 mode=$2
  shift 2
  down_start "$@"
  mdb_sql down "SET GLOBAL gtid_slave_pos='$snap_pos'; SET GLOBAL slave_parallel_threads=$threads;
    SET GLOBAL slave_parallel_mode='$mode';
    CHANGE MASTER TO master_host='127.0.0.1', master_port=$pport, master_user='binrelay',
      master_password='binrelay-pw', master_use_gtid=slave_pos; START SLAVE IO_THREAD"
  until mariadb --no-defaults -uroot --socket="$(mdb_dir down)/sock" -e "SHOW SLAVE STATUS\G" |
      grep "Gtid_IO_Pos: $end_pos\$" >/dev/null; do sleep 0.2; done
  local start
  start=$(now)
  mdb_sql down "START SLAVE SQL_THREAD"
  wait_pos gtid_slave_pos
  python3 -c "print($(now) - $start)"
  mdb_sql down "STOP SLAVE"
  mdb_stop down
}

for durability in "non-durable" "durable"; do
  if [[ $durability == durable ]]; then dargs=(--innodb-flush-log-at-trx-commit=1 --sync-binlog=1)
  else dargs=(--innodb-flush-log-at-trx-commit=2 --sync-binlog=0); fi
  results=()
  for t in "0 conservative" "4 conservative" "4 optimistic"; do
    read -r threads mode <<<"$t"
    results+=("native slave_parallel_threads=$threads $mode:$(run_native "$threads" "$mode" "${dargs[@]}")")
  done
  for w in 1 2 4 8; do
    results+=("binrelay applier $w worker(s):$(run_ours "$w" "${dargs[@]}")")
  done
  printf '%s\n' "${results[@]}" | python3 -c "
import sys
count = $count
rows = [l.rsplit(':', 1) for l in sys.stdin.read().splitlines()]
rate = {name: count / float(s) for name, s in rows}
best = max(v for k, v in rate.items() if k.startswith('native'))
print('--- $durability (${dargs[*]}) ---')
for name, s in rows:
    print(f'{name:45s} {float(s):7.2f} s  {rate[name]:8.0f} tx/s  {rate[name] / best:5.2f}x best native')
"
done
