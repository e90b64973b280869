#!/usr/bin/env bash
# Fan-out against MySQL 9.7: N concurrent `mysqlbinlog --read-from-remote-server --raw
# --to-last-log` readers of the same binlog from binrelayd vs from the MySQL primary's own dump
# threads (MySQL 9.7 in the chroot of scripts/mysql-chroot.sh, scripts/lib/mysql.sh).
#   primary:   a throwaway MySQL 9.7 loaded with MB (default 100) of ROW binlog through the mysql
#              client (transactions of 10 inserted rows of ~230 bytes, as bench/ingest-mysql.sh).
#   binrelayd: follows the primary (--upstream) into an empty data dir with --relay-log-name
#              binlog and serves it (--listen, --repl-user binrelay); it announces a MySQL
#              version, so the readers log in with caching_sha2_password.
#   readers:   the chroot's mysqlbinlog 9.7, --ssl-mode=DISABLED --get-server-public-key on both
#              sides, from the first file to the end of the last (no --stop-never), output
#              files symlinks to /dev/null. One unmeasured reader per side first writes real
#              files, whose total size is the bytes per reader.
# Per N: wall time from launching the N readers to the last one exiting, aggregate MB/s
# (1 MB = 10^6 bytes), server CPU (user+sys of mysqld / binrelayd from /proc/PID/stat) and the
# ratio. One run per side per N.
# Usage: bench/fanout-mysql.sh [--mb MB] [N...]   (default: 1 4 8; BINRELAY_BUILD_DIR=build-rel
#   takes the binaries from that configured build tree)
set -euo pipefail
cd "$(dirname "$0")/.."
mb_wanted=100
if [[ ${1:-} == --mb ]]; then
  mb_wanted=$2
  shift 2
fi
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(1 4 8)

# shellcheck source=lib.sh
source bench/lib.sh
bench_build binrelayd binrelay-inspect
bench_workspace fanout-mysql
# shellcheck source=../scripts/lib/mysql.sh
source scripts/lib/mysql.sh
trap 'bench_cleanup; my_stop primary' EXIT

# --- the primary and its binlog ----------------------------------------------------------
primary_port=$(free_port)
my_start primary "$primary_port" 1 --max-binlog-size=1073741824 --sync-binlog=0 \
  --innodb-flush-log-at-trx-commit=2
my_sql primary "CREATE DATABASE b; CREATE TABLE b.t (id INT PRIMARY KEY, v VARCHAR(255))"
python3 - "$mb_wanted" >"$(my_host_dir primary)/load.sql" <<'PY'
import sys
mb, per = int(sys.argv[1]), 10
row = "x" * 220
for t in range(mb * 1_000_000 // (per * 260)):
    print(f"INSERT INTO b.t VALUES {','.join(f'({t * per + i},{chr(39)}{row}{chr(39)})' for i in range(per))};")
PY
my_chroot sh -c "mysql --no-defaults -uroot --socket=$(my_dir primary)/sock < $(my_dir primary)/load.sql"
executed=$(my_sql primary "SELECT @@gtid_executed" | tr -d '\n')
primary_pid=$(cat "$(my_host_dir primary)/mysqld.pid")
primary_first=$(my_sql primary "SHOW BINARY LOGS" | head -1 | cut -f1)

# --- binrelayd, following the primary and serving --------------------------------------------
rdir=$BINRELAY_TMP/binrelayd
mkdir -p "$rdir"
relay_port=$(free_port)
BINRELAY_UPSTREAM_PASSWORD=binrelay-pw BINRELAY_REPL_PASSWORD=binrelay-pw "$binrelayd" \
  --upstream "127.0.0.1:$primary_port" --upstream-user binrelay --server-id 3 \
  --data-dir "$rdir/data" --relay-log-name binlog --listen "127.0.0.1:$relay_port" \
  --repl-user binrelay --max-connections 512 --log-level warn 2>"$rdir/binrelayd.log" &
relayd_pid=$!
until last=$(ls -t "$rdir"/data/binlog.0* 2>/dev/null | head -1) && [[ -n $last ]] &&
    "$inspect" --gtids "$last" 2>/dev/null | grep -q ":${executed##*:}\$"; do
  kill -0 "$relayd_pid" || { cat "$rdir/binrelayd.log"; exit 1; }
  sleep 0.5
done
relay_first=$(basename "$(ls "$rdir"/data/binlog.0* | head -1)")

# read_one PORT DIR FIRST: one mysqlbinlog reader from FIRST to the end, its files in DIR
# (a directory inside the chroot)
read_one() {
  my_chroot mysqlbinlog --no-defaults --read-from-remote-server --raw --to-last-log \
    -h127.0.0.1 -P"$1" -ubinrelay -pbinrelay-pw --ssl-mode=DISABLED --get-server-public-key \
    --result-file="$2/" "$3" 2>/dev/null
}
inside=$(my_dir primary)
bytes_per_reader() { # SIDE PORT FIRST
  mkdir -p "$MYSQL_CHROOT$inside/check-$1"
  read_one "$2" "$inside/check-$1" "$3"
  cat "$MYSQL_CHROOT$inside/check-$1"/* | wc -c
}
readers() { # SIDE PORT PID N FIRST: prints "WALL CPU"
  local side=$1 port=$2 pid=$3 n=$4 first=$5 i d cpu0 t0 pids=() failed=0
  for ((i = 0; i < n; i++)); do
    d=$MYSQL_CHROOT$inside/out-$side-$n/$i
    mkdir -p "$d"
    for f in 1 2 3 4 5 6 7 8 9; do ln -s /dev/null "$d/binlog.00000$f"; done
  done
  cpu0=$(cpu_of "$pid")
  t0=$(now)
  for ((i = 0; i < n; i++)); do
    read_one "$port" "$inside/out-$side-$n/$i" "$first" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  local t1 cpu1
  t1=$(now)
  cpu1=$(cpu_of "$pid")
  ((failed == 0)) || { echo "a reader of $side failed" >&2; return 1; }
  rm -rf "$MYSQL_CHROOT$inside/out-$side-$n"
  echo "$(python3 -c "print($t1 - $t0)") $(python3 -c "print($cpu1 - $cpu0)")"
}

primary_bytes=$(bytes_per_reader primary "$primary_port" "$primary_first")
relay_bytes=$(bytes_per_reader binrelayd "$relay_port" "$relay_first")
echo "bytes per reader: primary $primary_bytes ($primary_first...), binrelayd $relay_bytes" \
  "($relay_first...); gtid_executed $executed"
for n in "${counts[@]}"; do
  echo "N=$n load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  p=$(readers primary "$primary_port" "$primary_pid" "$n" "$primary_first")
  r=$(readers binrelayd "$relay_port" "$relayd_pid" "$n" "$relay_first")
  # shellcheck disable=SC2086
  python3 - "$n" "$primary_bytes" "$relay_bytes" $p $r <<'PY'
import sys
n, pb, rb = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
pw, pc, rw, rc = map(float, sys.argv[4:8])
print(f"N={n:<2} MySQL primary: {pw:6.2f} s {n * pb / 1e6 / pw:7.1f} MB/s  mysqld cpu {pc:5.2f} s")
print(f"N={n:<2} binrelayd    : {rw:6.2f} s {n * rb / 1e6 / rw:7.1f} MB/s  binrelayd cpu {rc:5.2f} s")
print(f"N={n:<2} ratio (primary time / binrelayd time): {pw / rw:.2f}x")
PY
done
