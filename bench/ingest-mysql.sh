#!/usr/bin/env bash
# Ingest throughput from a MySQL 9.7 primary: binrelayd vs a native MySQL 9.7 replica's
# receiver (IO) thread, pulling the same binlog from the same primary (both in the MySQL chroot
# of scripts/mysql-chroot.sh; binrelayd on the host, over loopback).
#   primary: a throwaway MySQL 9.7 (scripts/lib/mysql.sh) loaded with MB (default 150) of ROW
#            binlog: transactions of 10 inserted rows of ~230 bytes each, through the mysql
#            client.
#   native:  a second MySQL 9.7, CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1,
#            START REPLICA IO_THREAD only; done when its Retrieved_Gtid_Set holds the primary's
#            gtid_executed.
#   binrelayd: an empty data dir; done when its newest relay log file holds the primary's
#            gtid_executed (binrelay-inspect --gtids).
# Each side is timed from its start (START REPLICA IO_THREAD / launching binrelayd) to the last
# write into its relay log (the newest relay log file's mtime); CPU is user+sys of the process
# (the whole replica mysqld for the native side) over the same run. One run each.
# raw reader: `mysqlbinlog --read-from-remote-server --raw --to-last-log` of the same binlog
#            from the primary, its files symlinks to /dev/null: the primary's dump thread with
#            a client that does nothing but read. Timed from launch to exit; its CPU is
#            mysqlbinlog's (user+sys). If it takes as long as binrelayd, the primary's dump
#            thread bounds both.
# The primary's CPU (user+sys of its mysqld) is printed for every side.
# TLS: like for like. By default no side uses it (a MySQL replica's SOURCE_SSL=0 default
# connects in plain TCP; binrelayd --upstream-ssl-mode disabled, mysqlbinlog
# --ssl-mode=DISABLED); with --tls every side does (SOURCE_SSL=1, required, REQUIRED).
# Usage: bench/ingest-mysql.sh [--sync transaction|none|interval:<ms>] [--mb MB] [--tls]
#   (BINRELAY_BUILD_DIR=build-rel takes the binaries from that configured build tree)
set -euo pipefail
cd "$(dirname "$0")/.."
sync=transaction
mb_wanted=150
tls=0
while (($#)); do
  case $1 in
    --tls) tls=1; shift ;;
    --sync) sync=$2; shift 2 ;;
    --mb) mb_wanted=$2; shift 2 ;;
    *) echo "usage: bench/ingest-mysql.sh [--sync MODE] [--mb MB] [--tls]" >&2; exit 2 ;;
  esac
done
# BINRELAY_BUILD_DIR: an already configured build tree to take the binaries from

# shellcheck source=lib.sh
source bench/lib.sh
bench_build binrelayd binrelay-inspect
bench_workspace ingest-mysql
# shellcheck source=../scripts/lib/mysql.sh
source scripts/lib/mysql.sh
trap 'bench_cleanup; my_stop primary; my_stop replica' EXIT

mtime() { stat -c %.9Y "$1"; }
ssl_mode=disabled raw_ssl=DISABLED
if ((tls)); then ssl_mode=required raw_ssl=REQUIRED; fi

# --- the primary and its binlog ----------------------------------------------------------
primary_port=$(free_port)
my_start primary "$primary_port" 1 --max-binlog-size=1073741824 --sync-binlog=0 \
  --innodb-flush-log-at-trx-commit=2
my_sql primary "CREATE DATABASE b; CREATE TABLE b.t (id INT PRIMARY KEY, v VARCHAR(255))"
load=$(my_host_dir primary)/load.sql
rows_per_trx=10
python3 - "$mb_wanted" "$rows_per_trx" >"$load" <<'PY'
import sys
mb, per = int(sys.argv[1]), int(sys.argv[2])
trx = mb * 1_000_000 // (per * 260)
row = "x" * 220
for t in range(trx):
    vals = ",".join(f"({t * per + i},'{row}')" for i in range(per))
    print(f"INSERT INTO b.t VALUES {vals};")
PY
my_chroot sh -c "mysql --no-defaults -uroot --socket=$(my_dir primary)/sock < $(my_dir primary)/load.sql"
executed=$(my_sql primary "SELECT @@gtid_executed")
pdata=$(my_host_dir primary)/data
total_bytes=$(cat "$pdata"/binlog.0* | wc -c)
mb=$(python3 -c "print($total_bytes / 1e6)")
echo "primary: ${mb%.*} MB of binlog, gtid_executed $executed"
primary_pid=$(cat "$(my_host_dir primary)/mysqld.pid")

# --- native MySQL replica, receiver thread only -----------------------------------------
my_start replica "$(free_port)" 2 --skip-replica-start --max-relay-log-size=1073741824
my_sql replica "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=$primary_port,
  SOURCE_USER='binrelay', SOURCE_PASSWORD='binrelay-pw', SOURCE_AUTO_POSITION=1,
  GET_SOURCE_PUBLIC_KEY=1, SOURCE_SSL=$tls"
replica_pid=$(cat "$(my_host_dir replica)/mysqld.pid")
cpu0=$(cpu_of "$replica_pid")
pcpu0=$(cpu_of "$primary_pid")
t0=$(now)
my_sql replica "START REPLICA IO_THREAD"
until [[ $(my_sql replica "SELECT GTID_SUBSET('$executed', RECEIVED_TRANSACTION_SET)
    FROM performance_schema.replication_connection_status") == 1 ]]; do
  sleep 0.2
done
native_cpu=$(python3 -c "print($(cpu_of "$replica_pid") - $cpu0)")
native_pcpu=$(python3 -c "print($(cpu_of "$primary_pid") - $pcpu0)")
rdata=$(my_host_dir replica)/data
last_relay=$(ls -t "$rdata"/*relay-bin.0* | head -1)
native_stored=$(cat "$rdata"/*relay-bin.0* | wc -c)
native_s=$(python3 -c "print($(mtime "$last_relay") - $t0)")
my_sql replica "STOP REPLICA"
my_stop replica

# --- binrelayd -----------------------------------------------------------------------
rdir=$BINRELAY_TMP/binrelayd
mkdir -p "$rdir"
pcpu0=$(cpu_of "$primary_pid")
t0=$(now)
BINRELAY_UPSTREAM_PASSWORD=binrelay-pw "$binrelayd" --upstream "127.0.0.1:$primary_port" \
  --upstream-ssl-mode "$ssl_mode" --upstream-user binrelay --server-id 3 \
  --data-dir "$rdir/data" --sync "$sync" --log-level warn 2>"$rdir/binrelayd.log" &
relayd_pid=$!
last_size=-1
want=$(tr -d '\n' <<<"$executed")
while true; do
  sleep 0.2
  kill -0 "$relayd_pid" || { cat "$rdir/binrelayd.log"; exit 1; }
  last=$(ls -t "$rdir"/data/relay-bin.0* 2>/dev/null | head -1 || true)
  [[ -z $last ]] && continue
  size=$(stat -c %s "$last")
  # Check the GTIDs only once the file stopped growing (the check itself reads the file).
  if [[ $size == "$last_size" ]] && "$inspect" --gtids "$last" | grep -q ":${want##*:}\$"; then
    break
  fi
  last_size=$size
done
ours_s=$(python3 -c "print($(mtime "$last") - $t0)")
ours_cpu=$(cpu_of "$relayd_pid")
ours_queued=$(queued_of "$relayd_pid")
ours_stored=$(cat "$rdir"/data/relay-bin.0* | wc -c)
ours_pcpu=$(python3 -c "print($(cpu_of "$primary_pid") - $pcpu0)")

kill "$relayd_pid"; wait "$relayd_pid" || true; relayd_pid=

# --- raw reader: the primary's dump thread and a client that only reads ---------------------
raw_in=$(my_dir primary)/raw
mkdir -p "$(my_host_dir primary)/raw"
for f in 1 2 3 4 5 6 7 8 9; do ln -s /dev/null "$(my_host_dir primary)/raw/binlog.00000$f"; done
first_log=$(my_sql primary "SHOW BINARY LOGS" | head -1 | cut -f1)
pcpu0=$(cpu_of "$primary_pid")
read -r raw_s raw_cpu < <(python3 bench/timed.py chroot "$MYSQL_CHROOT" mysqlbinlog --no-defaults \
  --read-from-remote-server --raw --to-last-log -h127.0.0.1 -P"$primary_port" -ubinrelay \
  -pbinrelay-pw --get-server-public-key --ssl-mode="$raw_ssl" --result-file="$raw_in/" "$first_log")
raw_pcpu=$(python3 -c "print($(cpu_of "$primary_pid") - $pcpu0)")
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg); TLS: $( ((tls)) && echo on || echo off) on every side"

python3 - "$mb" "$native_s" "$native_cpu" "$native_pcpu" "$native_stored" "$ours_s" "$ours_cpu" \
  "$ours_pcpu" "$ours_stored" "$sync" "$raw_s" "$raw_cpu" "$raw_pcpu" "$ours_queued" <<'PY'
import sys
mb, ns, nc, npc, nst, os_, oc, opc, ost = map(float, sys.argv[1:10])
rs, rc, rpc, oq = map(float, sys.argv[11:15])
print(f"native MySQL 9.7 receiver thread : {ns:6.2f} s  {mb/ns:7.1f} MB/s  replica cpu {nc:5.2f} s, "
      f"primary cpu {npc:5.2f} s, relay log {nst/1e6:.0f} MB")
print(f"binrelayd (--sync {sys.argv[10]}) : {os_:6.2f} s  {mb/os_:7.1f} MB/s  binrelayd cpu {oc:5.2f} s, "
      f"primary cpu {opc:5.2f} s, relay log {ost/1e6:.0f} MB, waited {oq:5.2f} s for a CPU")
print(f"raw reader (mysqlbinlog --raw)   : {rs:6.2f} s  {mb/rs:7.1f} MB/s  mysqlbinlog cpu {rc:5.2f} s, "
      f"primary cpu {rpc:5.2f} s")
print(f"ratio (binrelayd / native receiver thread): {ns/os_:.2f}x   (target >= 5x)")
print(f"ratio (binrelayd / raw reader): {rs/os_:.2f}x   (~1 or below: the primary's sending bounds binrelayd)")
PY
