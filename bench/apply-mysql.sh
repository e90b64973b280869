#!/usr/bin/env bash
# Applier benchmark against MySQL 9.7: binrelayd's applier (--apply-to, like bench/apply.sh)
# vs a native MySQL 9.7 replica's applier (replica_parallel_workers 0, 4, 8), applying the same
# binlog to identically configured, empty servers (scripts/lib/mysql.sh, in the chroot of
# scripts/mysql-chroot.sh).
#   primary:   a throwaway MySQL 9.7 (writeset dependency tracking, 9.7's only mode), non-
#              durable, loaded once with `sysbench oltp_write_only prepare` (4 tables of
#              APPLY_MYSQL_TABLE_SIZE rows) and then `run --events=TRX` (8 threads) over its
#              socket as root; its gtid_executed is the target.
#   relay log: binrelayd follows the primary once into a relay log; every binrelayd run starts
#              from a copy of it (only applying is timed).
#   native:    a fresh replica (empty: the template data), CHANGE REPLICATION SOURCE ...
#              SOURCE_AUTO_POSITION=1, START REPLICA IO_THREAD until RECEIVED_TRANSACTION_SET
#              holds everything; then the clock starts at START REPLICA SQL_THREAD.
#   binrelayd: a fresh downstream (same template, same flags); the clock starts when binrelayd
#              starts with --apply-to over the relay log copy.
#   Each side is done when the downstream's gtid_executed holds the primary's (polled every
#   50 ms). Non-durable: innodb_flush_log_at_trx_commit=2, sync_binlog=0 on the downstream;
#   durable: =1, =1. Every downstream has log_bin (log_replica_updates is on by default).
# Per configuration: wall seconds, CPU seconds of binrelayd and of the downstream mysqld, the
# downstream's redo log fsyncs (Innodb_os_log_fsyncs: group commit shows as fewer), and
# native/binrelayd (>1: binrelayd faster) against the best native configuration.
# Usage: bench/apply-mysql.sh [TRANSACTIONS]   (default 15000)
#   BINRELAY_BUILD_DIR=build-rel takes binrelayd from that configured build tree;
#   APPLY_MYSQL_DURABILITY="non-durable durable", APPLY_MYSQL_NATIVE="0 4 8",
#   APPLY_MYSQL_RUNS="4 8" (binrelayd runs, each WORKERS[:FLAGS], FLAGS comma-separated
#     binrelayd flags; --apply-parallel-mode=optimistic falls back to conservative on a MySQL
#     downstream, docs/applier.md), APPLY_MYSQL_TABLE_SIZE=20000.
set -euo pipefail
cd "$(dirname "$0")/.."
trx=${1:-15000}
durabilities=${APPLY_MYSQL_DURABILITY:-non-durable durable}
natives=${APPLY_MYSQL_NATIVE-0 4 8}
ours=${APPLY_MYSQL_RUNS:-4 8}
table_size=${APPLY_MYSQL_TABLE_SIZE:-20000}

# shellcheck source=lib.sh
source bench/lib.sh
bench_build binrelayd
bench_workspace apply-mysql
# shellcheck source=../scripts/lib/mysql.sh
source scripts/lib/mysql.sh
trap 'bench_cleanup; my_stop primary; my_stop down' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The primary and its load.
pport=$(free_port)
my_start primary "$pport" 1 --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
  --max-binlog-size=1073741824
my_sql primary "CREATE DATABASE sbtest"
sb=(sysbench oltp_write_only --db-driver=mysql --mysql-socket="$(my_host_dir primary)/sock"
    --mysql-user=root --mysql-db=sbtest --tables=4 --table-size="$table_size"
    --db-ps-mode=disable)
"${sb[@]}" --threads=4 prepare >/dev/null
"${sb[@]}" --threads=8 --events="$trx" --time=0 --report-interval=0 run >/dev/null
executed=$(my_sql primary "SELECT @@gtid_executed" | tr -d '\n')
count=$(python3 -c "
import sys
n = 0
for part in sys.argv[1].split(',')[0].split(':')[1:]:
    a, _, b = part.partition('-')
    n += int(b or a) - int(a) + 1
print(n)" "$executed")
echo "workload: sysbench prepare (4 tables x $table_size rows) + oltp_write_only, 8 threads," \
  "$trx events: $count transactions ($executed)"

# 2. binrelayd's relay log of everything.
relay_common=(--upstream="127.0.0.1:$pport" --upstream-user=binrelay --server-id=4242
              --relay-log-max-size=100000000 --log-level=warn)
export BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_APPLY_PASSWORD=binrelay-pw
"$binrelayd" "${relay_common[@]}" --data-dir="$BINRELAY_TMP/relay" >"$BINRELAY_TMP/relay.log" 2>&1 &
relayd_pid=$!
# Caught up: the primary lists binrelayd's dump thread as having sent everything; simplest
# observable: the relay log stops growing for 2 s after the primary's binlog stopped.
last=-1
while true; do
  sleep 1
  size=$(cat "$BINRELAY_TMP"/relay/relay-bin.0* 2>/dev/null | wc -c)
  [[ $size == "$last" && $size -gt 0 ]] && break
  last=$size
done
kill "$relayd_pid"; wait "$relayd_pid" || true; relayd_pid=
echo "relay log: $((size / 1000000)) MB"

down_start() { # durability args...
  my_stop down
  dport=$(free_port)
  my_start down "$dport" 2 --max-binlog-size=1073741824 --skip-replica-start "$@"
  down_pid=$(cat "$(my_host_dir down)/mysqld.pid")
}

wait_done() {
  until [[ $(my_sql down "SELECT GTID_SUBSET('$executed', @@gtid_executed)") == 1 ]]; do
    sleep 0.05
  done
}

# fsyncs: the downstream's Innodb_os_log_fsyncs so far (redo log flushes).
fsyncs() { my_sql down "SHOW GLOBAL STATUS LIKE 'Innodb_os_log_fsyncs'" | cut -f2; }

run_ours() { # workers[:flags] durability-args...
  local workers=${1%%:*} flags=
  [[ $1 == *:* ]] && flags=${1#*:}
  local -a run_args
  IFS=, read -r -a run_args <<<"$flags"
  shift
  down_start "$@"
  rm -rf "$BINRELAY_TMP/relay-run"
  cp -a "$BINRELAY_TMP/relay" "$BINRELAY_TMP/relay-run"
  local start cpu0 fs0
  fs0=$(fsyncs)
  cpu0=$(cpu_of "$down_pid")
  start=$(now)
  "$binrelayd" "${relay_common[@]}" --data-dir="$BINRELAY_TMP/relay-run" \
    --apply-to="127.0.0.1:$dport" --apply-user=binrelay --apply-workers="$workers" \
    "${run_args[@]}" >"$BINRELAY_TMP/apply-$workers.log" 2>&1 &
  relayd_pid=$!
  wait_done
  echo "$(python3 -c "print($(now) - $start)") $(cpu_of "$relayd_pid")" \
    "$(python3 -c "print($(cpu_of "$down_pid") - $cpu0)")" $(($(fsyncs) - fs0))
  kill "$relayd_pid"; wait "$relayd_pid" || true; relayd_pid=
  my_stop down
}

run_native() { # workers durability-args...
  local workers=$1
  shift
  down_start "$@"
  my_sql down "SET GLOBAL replica_parallel_workers=$workers;
    CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=$pport,
      SOURCE_USER='binrelay', SOURCE_PASSWORD='binrelay-pw', SOURCE_AUTO_POSITION=1,
      GET_SOURCE_PUBLIC_KEY=1; START REPLICA IO_THREAD"
  until [[ $(my_sql down "SELECT GTID_SUBSET('$executed', RECEIVED_TRANSACTION_SET)
      FROM performance_schema.replication_connection_status") == 1 ]]; do sleep 0.2; done
  local start cpu0 fs0
  fs0=$(fsyncs)
  cpu0=$(cpu_of "$down_pid")
  start=$(now)
  my_sql down "START REPLICA SQL_THREAD"
  wait_done
  echo "$(python3 -c "print($(now) - $start)") 0 $(python3 -c "print($(cpu_of "$down_pid") - $cpu0)") $(($(fsyncs) - fs0))"
  my_sql down "STOP REPLICA"
  my_stop down
}

for durability in $durabilities; do
  read -ra dargs <<<"$(durability_flags "$durability")"
  results=()
  for w in $natives; do
    results+=("native replica_parallel_workers=$w:$(run_native "$w" "${dargs[@]}")")
  done
  for w in $ours; do
    label="binrelayd --apply-workers=${w%%:*}"
    [[ $w == *:* ]] && label+=" ${w#*:}"
    results+=("$label:$(run_ours "$w" "${dargs[@]}")")
  done
  echo "load average after $durability: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%s\n' "${results[@]}" | python3 -c "
import sys
count = $count
rows = [(n, [float(x) for x in v.split()]) for n, v in (l.rsplit(':', 1) for l in sys.stdin.read().splitlines())]
natives = [(v[0], n) for n, v in rows if n.startswith('native')]
best = min(natives) if natives else None
print('--- $durability (${dargs[*]}) ---')
print(f'{\"run\":38s} {\"wall s\":>7s} {\"tx/s\":>7s} {\"binrelayd CPU s\":>15s} {\"downstream CPU s\":>16s} {\"redo fsyncs\":>11s}')
for name, v in rows:
    print(f'{name:38s} {v[0]:7.2f} {count / v[0]:7.0f} {v[1]:15.2f} {v[2]:16.2f} {v[3]:11.0f}')
if best:
    print(f'best native: {best[1]} ({best[0]:.2f} s)')
    for name, v in rows:
        if name.startswith('binrelayd'):
            print(f'ratio best native / {name}: {best[0] / v[0]:.2f}x  (>1: binrelayd faster)')
    for n, v in rows:
        if n.startswith('native'):
            for name, o in rows:
                if name.startswith('binrelayd'):
                    print(f'  {n} / {name}: {v[0] / o[0]:.2f}x')
"
done
