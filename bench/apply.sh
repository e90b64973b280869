#!/usr/bin/env bash
# Applier benchmark: transactions/s of binrelayd's applier (1, 2, 4, 8 workers) vs MariaDB's
# own replica SQL thread (slave_parallel_threads 0, and 4 conservative / optimistic), applying
# the same sysbench oltp_write_only binlog to identically configured servers from the same
# starting state (a copy of the primary's data after `sysbench prepare`). Run once with
# innodb_flush_log_at_trx_commit=2 + sync_binlog=0 and once durable (=1, sync_binlog=1).
# Only the apply phase is timed: the relay log (ours) / relay log (native: IO thread first)
# is complete before applying starts. Every downstream has log_bin (and log_slave_updates).
# Each run prints wall seconds and the CPU seconds of binrelayd and of the downstream mariadbd.
# Usage: bench/apply.sh [LOAD_SECONDS]   (default 20; BINRELAY_BUILD_DIR=build reuses a build,
#   BINRELAYD=path runs that binary)
#   APPLY_BENCH_DURABILITY="non-durable durable" (default both),
#   APPLY_BENCH_RUNS="1 2 4 8 4:--apply-batch=1 1:--apply-method=prepared": binrelayd runs, each
#     WORKERS[:FLAGS] (FLAGS comma-separated binrelayd flags),
#   APPLY_BENCH_NATIVE="0:conservative 4:conservative 4:optimistic" (empty: no native runs),
#   APPLY_BENCH_ARGS="--apply-text-sql" (extra binrelayd flags),
#   APPLY_BENCH_PERF=DIR: perf record (call graphs) of binrelayd and the downstream per run.
#   I/O-bound downstream (where parallel appliers overlap their page reads):
#   APPLY_BENCH_TABLE_SIZE=20000 (rows per sysbench table), APPLY_BENCH_PRIMARY_DURABLE=1 (the
#   load runs on a durable primary: larger group commits, so more dependency-free
#   transactions), APPLY_BENCH_DOWN_ARGS="--innodb-buffer-pool-size=16M
#   --innodb-flush-method=O_DIRECT" (extra mariadbd flags of every downstream).
set -euo pipefail
cd "$(dirname "$0")/.."
load_s=${1:-20}
build_dir=${BINRELAY_BUILD_DIR:-build-release}
if [[ $build_dir == build-release && -z ${BINRELAYD:-} ]]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
  cmake --build build-release --target binrelayd >/dev/null
fi
binrelayd=${BINRELAYD:-$PWD/$build_dir/tools/binrelayd/binrelayd}
# shellcheck source=lib.sh
source bench/lib.sh
bench_workspace applybench primary down
durabilities=${APPLY_BENCH_DURABILITY:-non-durable durable}
ours=${APPLY_BENCH_RUNS:-1 2 4 8 4:--apply-batch=1 1:--apply-method=prepared}
natives=${APPLY_BENCH_NATIVE-0:conservative 4:conservative 4:optimistic}
read -r -a extra_args <<<"${APPLY_BENCH_ARGS:-}"
perf_dir=${APPLY_BENCH_PERF:-}
table_size=${APPLY_BENCH_TABLE_SIZE:-20000}
read -r -a down_args <<<"${APPLY_BENCH_DOWN_ARGS:-}"
load_args=()
[[ ${APPLY_BENCH_PRIMARY_DURABLE:-0} == 1 ]] &&
  load_args=(--innodb-flush-log-at-trx-commit=1 --sync-binlog=1)

# 1. Primary, prepared tables, snapshot of the starting state.
pport=$(free_port)
pargs=(--log-bin="$BINRELAY_TMP/primary/data/mysql-bin" --binlog-format=ROW
       --innodb-flush-log-at-trx-commit=2 --sync-binlog=0)
mdb_start primary "$pport" 1 "${pargs[@]}"
mdb_sql primary "CREATE DATABASE sbtest"
sb=(sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$pport"
    --mysql-user=binrelay --mysql-password=binrelay-pw --mysql-db=sbtest --tables=4
    --table-size="$table_size" --db-ps-mode=disable)
"${sb[@]}" --threads=4 prepare >/dev/null
snap_pos=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
mdb_stop primary
cp -a "$BINRELAY_TMP/primary/data" "$BINRELAY_TMP/snapshot"
rm -f "$BINRELAY_TMP"/snapshot/mysql-bin.* "$BINRELAY_TMP"/snapshot/*.info
mdb_start primary "$pport" 1 "${pargs[@]}" "${load_args[@]}"

# 2. The load whose binlog is applied.
"${sb[@]}" --threads=8 --time="$load_s" --report-interval=0 run >/dev/null
end_pos=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
count=$((${end_pos##*-} - ${snap_pos##*-}))
echo "workload: sysbench oltp_write_only, 8 threads, ${load_s} s, 4 tables of $table_size rows: $count transactions ($snap_pos -> $end_pos)"
[[ ${#down_args[@]} -gt 0 ]] && echo "downstream flags: ${down_args[*]}"

# 3. binrelayd's relay log of everything, then where the snapshot ends in it.
relay_common=(--upstream="127.0.0.1:$pport" --upstream-user=binrelay --server-id=4242
              --data-dir="$BINRELAY_TMP/relay" --relay-log-max-size=100000000)
export BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_APPLY_PASSWORD=binrelay-pw
"$binrelayd" "${relay_common[@]}" >"$BINRELAY_TMP/relay.log" 2>&1 &
relayd_pid=$!
relay_gtids() { # every GTID in the relay log, in order (reads whole files: no SIGPIPE)
  for f in "$BINRELAY_TMP"/relay/relay-bin.[0-9]*; do
    mariadb-binlog --skip-gtid-strict-mode "$f" 2>/dev/null || true
  done | grep -oE 'GTID [0-9]+-[0-9]+-[0-9]+' || true
}
until relay_gtids | grep -x "GTID $end_pos" >/dev/null; do sleep 0.5; done
kill "$relayd_pid"; wait "$relayd_pid" || true; relayd_pid=
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
    --log-slave-updates "$@" "${down_args[@]}"
}

wait_pos() { # variable
  until [[ $(mdb_sql down "SELECT @@$1") == "$end_pos" ]]; do sleep 0.05; done
}

run_ours() { # workers[:flags] durability-args...
  local workers=${1%%:*} flags=
  [[ $1 == *:* ]] && flags=${1#*:}
  local -a run_args
  IFS=, read -r -a run_args <<<"$flags"
  shift
  down_start "$@"
  mdb_sql down "SET SESSION sql_log_bin=0; CREATE DATABASE binrelay;
    CREATE TABLE binrelay.apply_progress (worker INT UNSIGNED NOT NULL PRIMARY KEY,
      file_number BIGINT UNSIGNED NOT NULL, relay_file VARCHAR(512) NOT NULL,
      end_offset BIGINT UNSIGNED NOT NULL, gtid VARCHAR(200) NOT NULL) ENGINE=InnoDB;
    INSERT INTO binrelay.apply_progress VALUES (0, $resume_number, '$resume_file', $resume_offset, '$snap_pos')"
  rm -rf "$BINRELAY_TMP/relay-run"
  cp -a "$BINRELAY_TMP/relay" "$BINRELAY_TMP/relay-run"
  local start down_pid down_cpu perf_pid=
  down_pid=$(cat "$(mdb_dir down)/mariadbd.pid")
  down_cpu=$(cpu_of "$down_pid")
  start=$(now)
  "$binrelayd" "${relay_common[@]/--data-dir=*/--data-dir=$BINRELAY_TMP/relay-run}" \
    --apply-to="127.0.0.1:$dport" --apply-user=binrelay --apply-workers="$workers" \
    "${run_args[@]}" "${extra_args[@]}" >"$BINRELAY_TMP/apply-$workers.log" 2>&1 &
  relayd_pid=$!
  if [[ -n $perf_dir ]]; then
    mkdir -p "$perf_dir"
    sleep 1  # binrelayd's threads exist: perf -p follows the threads present when it starts
    perf record -q -F 999 -g -p "$relayd_pid,$down_pid" -o "$perf_dir/apply-$durability-$workers.data" \
      >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wait_pos gtid_binlog_pos
  local wall relay_cpu
  wall=$(python3 -c "print($(now) - $start)")
  relay_cpu=$(cpu_of "$relayd_pid")
  echo "$wall $relay_cpu $(python3 -c "print($(cpu_of "$down_pid") - $down_cpu)")"
  [[ -n $perf_pid ]] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
  kill "$relayd_pid"; wait "$relayd_pid" || true; relayd_pid=
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
  local start down_pid down_cpu
  down_pid=$(cat "$(mdb_dir down)/mariadbd.pid")
  down_cpu=$(cpu_of "$down_pid")
  start=$(now)
  mdb_sql down "START SLAVE SQL_THREAD"
  wait_pos gtid_slave_pos
  echo "$(python3 -c "print($(now) - $start)") 0 $(python3 -c "print($(cpu_of "$down_pid") - $down_cpu)")"
  mdb_sql down "STOP SLAVE"
  mdb_stop down
}

for durability in $durabilities; do
  read -ra dargs <<<"$(durability_flags "$durability")"
  results=()
  for t in $natives; do
    results+=("native slave_parallel_threads=${t%%:*} ${t#*:}:$(run_native "${t%%:*}" "${t#*:}" "${dargs[@]}")")
  done
  for r in $ours; do
    label="binrelay $r"
    [[ $r == *:* ]] || label="binrelay $r worker(s)"
    results+=("${label/:/ worker(s) }:$(run_ours "$r" "${dargs[@]}")")
  done
  printf '%s\n' "${results[@]}" | python3 -c "
import sys
count = $count
rows = [(n, [float(x) for x in v.split()]) for n, v in (l.rsplit(':', 1) for l in sys.stdin.read().splitlines())]
rate = {name: count / v[0] for name, v in rows}
natives = [v for k, v in rate.items() if k.startswith('native')]
best = max(natives) if natives else None
print('--- $durability (${dargs[*]}) ---')
print(f'{\"run\":45s} {\"wall s\":>7s} {\"tx/s\":>8s} {\"vs best native\":>14s} {\"binrelayd CPU s\":>15s} {\"downstream CPU s\":>16s}')
for name, v in rows:
    ratio = f'{rate[name] / best:13.2f}x' if best else '            -'
    print(f'{name:45s} {v[0]:7.2f} {rate[name]:8.0f} {ratio} {v[1]:15.2f} {v[2]:16.2f}')
"
done
