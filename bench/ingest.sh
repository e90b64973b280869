#!/usr/bin/env bash
# Ingest throughput: binrelayd vs a native MariaDB replica's IO thread, pulling the same
# >= 150 MB binlog from the same MariaDB primary.
#   primary: a throwaway MariaDB 10.11 whose binlog index holds the sysbench binlog
#            (bench/gen_binlog.sh) as mysql-bin.000001; on start it recovers its GTID state
#            from it, so gtid_binlog_pos is the binlog's last GTID.
#   native:  a second MariaDB, CHANGE MASTER to mysql-bin.000001:4, START SLAVE IO_THREAD only;
#            done when Read_Master_Log_Pos reaches the primary's end.
#   binrelayd: started with an empty data dir; done when its relay log holds the primary's
#            gtid_binlog_pos.
# Each side is timed from its start (START SLAVE IO_THREAD / launching binrelayd) to the last
# write into its relay log (the newest relay log file's mtime); CPU is user+sys of the process
# (the whole replica mariadbd for the native side) over the same run. One run each.
# Usage: bench/ingest.sh [--sync transaction|none|interval:<ms>]   (default: transaction)
set -euo pipefail
cd "$(dirname "$0")/.."
sync=transaction
[[ ${1:-} == --sync ]] && sync=$2
scripts/deps.sh >/dev/null
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
cmake --build build-release --target binrelayd binrelay-inspect >/dev/null
bench/gen_binlog.sh 220
binlog=$(realpath bench/.data/sysbench.binlog)
binrelayd=build-release/tools/binrelayd/binrelayd
inspect=build-release/tools/binrelay-inspect/binrelay-inspect

# shellcheck source=lib.sh
source bench/lib.sh
bench_workspace ingest replica primary

mtime() { stat -c %.9Y "$1"; }

# --- the primary, serving the sysbench binlog --------------------------------------------
primary_port=$(free_port)
pdir=$(mdb_dir primary)
mkdir -p "$pdir"
cp -a "$(mdb_template)" "$pdir/data"
cp "$binlog" "$pdir/data/mysql-bin.000001"
echo "$pdir/data/mysql-bin.000001" >"$pdir/data/mysql-bin.index"
mdb_start primary "$primary_port" 1 --log-bin="$pdir/data/mysql-bin" --binlog-format=ROW \
  --max-binlog-size=1073741824
read -r end_file end_pos < <(mdb_sql primary "SHOW MASTER STATUS" | cut -f1,2)
gtid_pos=$(mdb_sql primary "SELECT @@gtid_binlog_pos")
primary_pid=$(cat "$pdir/mariadbd.pid")
total_bytes=0
for f in $(cat "$pdir/data/mysql-bin.index"); do total_bytes=$((total_bytes + $(stat -c %s "$f"))); done
mb=$(python3 -c "print($total_bytes / 1e6)")
echo "primary: ${mb%.*} MB of binlog up to $end_file:$end_pos, gtid_binlog_pos $gtid_pos"
cat "$pdir"/data/mysql-bin.0* >/dev/null  # page cache warm for both pulls

# --- native MariaDB replica, IO thread only ----------------------------------------------
# log-slave-updates (with a binlog) makes the IO thread ask for Annotate_rows events, as
# binrelayd does: both then receive the same bytes.
mdb_start replica "$(free_port)" 2 --relay-log="$(mdb_dir replica)/data/relay-bin" \
  --skip-slave-start --max-relay-log-size=1073741824 --log-bin="$(mdb_dir replica)/data/replica-bin" \
  --log-slave-updates --replicate-annotate-row-events=ON
mdb_sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port,
  MASTER_USER='binrelay', MASTER_PASSWORD='binrelay-pw', MASTER_USE_GTID=no,
  MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4"
replica_pid=$(cat "$(mdb_dir replica)/mariadbd.pid")
cpu0=$(cpu_of "$replica_pid")
pcpu0=$(cpu_of "$primary_pid")
t0=$(now)
mdb_sql replica "START SLAVE IO_THREAD"
while true; do
  read -r file pos < <(mariadb --no-defaults -uroot --socket="$(mdb_dir replica)/sock" \
    -e "SHOW SLAVE STATUS\G" |
    awk '/ Master_Log_File:/{f=$2} / Read_Master_Log_Pos:/{p=$2} END{print f, p}')
  [[ $file == "$end_file" && $pos == "$end_pos" ]] && break
  sleep 0.2
done
native_cpu=$(python3 -c "print($(cpu_of "$replica_pid") - $cpu0)")
native_pcpu=$(python3 -c "print($(cpu_of "$primary_pid") - $pcpu0)")
last_relay=$(ls -t "$(mdb_dir replica)"/data/relay-bin.0* | head -1)
native_stored=$(cat "$(mdb_dir replica)"/data/relay-bin.0* | wc -c)
native_s=$(python3 -c "print($(mtime "$last_relay") - $t0)")
mdb_sql replica "STOP SLAVE"
mdb_stop replica

# --- binrelayd -----------------------------------------------------------------------
rdir=$BINRELAY_TMP/binrelayd
mkdir -p "$rdir"
pcpu0=$(cpu_of "$primary_pid")
t0=$(now)
BINRELAY_UPSTREAM_PASSWORD=binrelay-pw "$binrelayd" --upstream "127.0.0.1:$primary_port" \
  --upstream-user binrelay --server-id 3 --data-dir "$rdir/data" --sync "$sync" \
  --log-level warn 2>"$rdir/binrelayd.log" &
relayd_pid=$!
last_size=-1
while true; do
  sleep 0.2
  kill -0 "$relayd_pid" || { cat "$rdir/binrelayd.log"; exit 1; }
  last=$(ls -t "$rdir"/data/relay-bin.0* 2>/dev/null | head -1 || true)
  [[ -z $last ]] && continue
  size=$(stat -c %s "$last")
  # Check the GTIDs only once the file stopped growing (the check itself reads the file).
  if [[ $size == "$last_size" ]] &&
    "$inspect" --gtids "$last" | grep -qx "last_gtids: $gtid_pos"; then
    break
  fi
  last_size=$size
done
ours_s=$(python3 -c "print($(mtime "$last") - $t0)")
ours_cpu=$(cpu_of "$relayd_pid")
ours_stored=$(cat "$rdir"/data/relay-bin.0* | wc -c)
ours_pcpu=$(python3 -c "print($(cpu_of "$primary_pid") - $pcpu0)")

python3 - "$mb" "$native_s" "$native_cpu" "$native_pcpu" "$native_stored" "$ours_s" "$ours_cpu" \
  "$ours_pcpu" "$ours_stored" "$sync" <<'PY'
import sys
mb, ns, nc, npc, nst, os_, oc, opc, ost = map(float, sys.argv[1:10])
print(f"native replica IO thread : {ns:6.2f} s  {mb/ns:7.1f} MB/s  replica cpu {nc:5.2f} s, "
      f"primary cpu {npc:5.2f} s, relay log {nst/1e6:.0f} MB")
print(f"binrelayd (--sync {sys.argv[10]}) : {os_:6.2f} s  {mb/os_:7.1f} MB/s  binrelayd cpu {oc:5.2f} s, "
      f"primary cpu {opc:5.2f} s, relay log {ost/1e6:.0f} MB")
print(f"ratio (binrelayd / native IO thread): {ns/os_:.2f}x   (target >= 2x)")
PY
