#!/usr/bin/env bash
# Fan-out: N concurrent readers of binrelayd's relay log vs N readers of a MariaDB primary
# holding the same >= 200 MB binlog (bench/gen_binlog.sh).
#   primary:   a throwaway MariaDB 10.11 whose binlog index holds the sysbench binlog as
#              mysql-bin.000001 (as in bench/ingest.sh).
#   binrelayd: serve-only mode (no --upstream) over a store built by binrelay-import from the
#              same file, also named mysql-bin.000001.
#   readers:   the same client on both sides, a file/position dump of mysql-bin.000001 from 4
#              to the end of the log (BINLOG_DUMP_NON_BLOCK, no --stop-never):
#              --client dump_reader (default): bench/dump_reader.cpp, binrelay's replication
#                client (registers with server_id 100+i), counts and discards the events; it
#                prints the bytes it got and its own CPU seconds;
#              --client mariadb-binlog: mariadb-binlog --read-from-remote-server --raw
#                --result-file=DIR/ mysql-bin.000001, output to /dev/null (DIR/mysql-bin.00000x
#                are symlinks to it) so that the disk is not what is measured.
#              Either way one unmeasured mariadb-binlog per side first writes real files, whose
#              sizes give the bytes per reader (and, for binrelayd, are compared with the
#              source file: byte identity).
#   ceiling:   (dump_reader only) bench/frame_server: a trivial server that answers the
#              connect sequence and then sends every reader the same dump, framed once at
#              start, from memory with one blocking send() per reader (FANOUT_CEILING_METHOD=
#              sendfile: sendfile() from a memfd, no send-side copy). No server does less per
#              byte, so with the readers on the same cores it bounds any server's aggregate.
# Per N: wall time from launching the N readers to the last one exiting, aggregate MB/s
# (bytes all readers received / wall; 1 MB = 10^6 bytes), server CPU seconds (user+sys from
# /proc/<pid>/stat before and after), the readers' CPU, and the whole machine's busy CPU
# seconds (/proc/stat user+nice+system+irq+softirq: it includes the loopback's softirq work
# that ksoftirqd does for nobody's account, and anything else running) with the cores busy on
# average, for each side, and the ratio.
# One run per side per N.
# Usage: bench/fanout.sh [--client dump_reader|mariadb-binlog] [N...]   (default: 1 10 50)
set -euo pipefail
cd "$(dirname "$0")/.."
client=dump_reader
if [[ ${1:-} == --client ]]; then
  client=$2
  shift 2
fi
[[ $client == dump_reader || $client == mariadb-binlog ]] || {
  echo "fanout.sh: --client is dump_reader or mariadb-binlog" >&2
  exit 2
}
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(1 10 50)
scripts/deps.sh >/dev/null
# FANOUT_BUILD_DIR: an already configured build tree to take the binaries from (default: a
# Release build in build-release/)
build_dir=${FANOUT_BUILD_DIR:-build-release}
if [[ $build_dir == build-release ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF \
    "${launcher[@]}" >/dev/null
fi
cmake --build "$build_dir" --target binrelayd binrelay-import dump_reader frame_server >/dev/null
echo "binaries: $build_dir ($(grep -m1 CMAKE_BUILD_TYPE: "$build_dir/CMakeCache.txt"))"
bench/gen_binlog.sh 220
binlog=$(realpath bench/.data/sysbench.binlog)
binrelayd=$build_dir/tools/binrelayd/binrelayd
import=$build_dir/tools/binrelay-import/binrelay-import
dump_reader=$build_dir/bench/dump_reader
frame_server=$build_dir/bench/frame_server

# shellcheck source=lib.sh
source bench/lib.sh
bench_workspace fanout primary
ceiling_pid=
trap '[[ -z $ceiling_pid ]] || kill "$ceiling_pid" 2>/dev/null; bench_cleanup' EXIT

wait_port() {
  local i
  for i in $(seq 1 300); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" \
      "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# --- the primary, holding the sysbench binlog ---------------------------------------------
primary_port=$(free_port)
pdir=$(mdb_dir primary)
mkdir -p "$pdir"
cp -a "$(mdb_template)" "$pdir/data"
cp "$binlog" "$pdir/data/mysql-bin.000001"
echo "$pdir/data/mysql-bin.000001" >"$pdir/data/mysql-bin.index"
mdb_start primary "$primary_port" 1 --log-bin="$pdir/data/mysql-bin" --binlog-format=ROW \
  --max-binlog-size=1073741824
primary_pid=$(cat "$pdir/mariadbd.pid")

# --- binrelayd, serve-only, over the imported store --------------------------------------
rdir=$BINRELAY_TMP/binrelayd
mkdir -p "$rdir/in"
ln -s "$binlog" "$rdir/in/mysql-bin.000001"
"$import" --data-dir "$rdir/data" "$rdir/in/mysql-bin.000001" >"$rdir/import.log"
relay_port=$(free_port)
BINRELAY_REPL_PASSWORD=binrelay-pw "$binrelayd" --data-dir "$rdir/data" \
  --relay-log-name mysql-bin --listen "127.0.0.1:$relay_port" --repl-user binrelay \
  --max-connections 512 --log-level warn 2>"$rdir/binrelayd.log" &
relayd_pid=$!
wait_port "$relay_port"
cat "$binlog" "$rdir"/data/mysql-bin.0* >/dev/null # page cache warm for both sides

# --- the ceiling: frame_server over a copy of the store -----------------------------------
if [[ $client == dump_reader ]]; then
  cp -a "$rdir/data" "$rdir/ceiling-data"
  ceiling_port=$(free_port)
  "$frame_server" --data-dir "$rdir/ceiling-data" --file mysql-bin.000001 --port "$ceiling_port" \
    --method "${FANOUT_CEILING_METHOD:-write}" 2>"$rdir/frame_server.log" &
  ceiling_pid=$!
  wait_port "$ceiling_port"
fi

# read_one PORT DIR: one mariadb-binlog reader, its files in DIR
read_one() {
  mariadb-binlog --no-defaults --read-from-remote-server --host=127.0.0.1 --port="$1" \
    --user=binrelay --password=binrelay-pw --raw --result-file="$2/" mysql-bin.000001
}

# read_dump PORT DIR I: one dump_reader (server_id 100+I); its "bytes .. cpu .." line in DIR/out
read_dump() {
  BINRELAY_REPL_PASSWORD=binrelay-pw "$dump_reader" --port "$1" --user binrelay \
    --server-id $((100 + $3)) --file mysql-bin.000001 >"$2/out"
}

# bytes_per_reader SIDE PORT: one unmeasured reader writing real files; prints their size
bytes_per_reader() {
  local d=$BINRELAY_TMP/check-$1
  mkdir -p "$d"
  read_one "$2" "$d" >/dev/null
  cat "$d"/* | wc -c
}

# machine_busy: busy CPU seconds of the whole machine so far (all cores).
machine_busy() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat
}

# readers SIDE PORT PID N BYTES: prints "WALL CPU BYTES CLIENT_CPU BUSY" of N concurrent
# readers, CPU of process PID; BYTES received in all (mariadb-binlog: N x BYTES per reader),
# CLIENT_CPU the readers' CPU seconds (dump_reader only; 0 otherwise), BUSY the machine's busy
# CPU seconds over the run (machine_busy)
readers() {
  local side=$1 port=$2 pid=$3 n=$4 per_reader=$5 i d cpu0 busy0 t0 pids=() failed=0
  for ((i = 0; i < n; i++)); do
    d=$BINRELAY_TMP/out-$side-$n/$i
    mkdir -p "$d"
    for f in 1 2 3 4 5 6 7 8 9; do ln -s /dev/null "$d/mysql-bin.00000$f"; done
  done
  cpu0=$(cpu_of "$pid")
  busy0=$(machine_busy)
  t0=$(now)
  for ((i = 0; i < n; i++)); do
    d=$BINRELAY_TMP/out-$side-$n/$i
    if [[ $client == dump_reader ]]; then
      read_dump "$port" "$d" "$i" &
    else
      read_one "$port" "$d" >/dev/null &
    fi
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  local t1 cpu1 busy1 bytes=$((n * per_reader)) client_cpu=0
  t1=$(now)
  busy1=$(machine_busy)
  cpu1=$(cpu_of "$pid")
  ((failed == 0)) || { echo "a reader of $side failed" >&2; return 1; }
  if [[ $client == dump_reader ]]; then
    read -r bytes client_cpu < <(cat "$BINRELAY_TMP/out-$side-$n"/*/out |
      awk '{b += $2; c += $8} END {printf "%.0f %.2f\n", b, c}')
  fi
  echo "$(python3 -c "print($t1 - $t0)") $(python3 -c "print($cpu1 - $cpu0)") $bytes $client_cpu" \
    "$(python3 -c "print($busy1 - $busy0)")"
}

primary_bytes=$(bytes_per_reader primary "$primary_port")
relay_bytes=$(bytes_per_reader binrelayd "$relay_port")
cmp "$BINRELAY_TMP/check-binrelayd/mysql-bin.000001" "$rdir/data/mysql-bin.000001"
echo "bytes per reader: primary $primary_bytes, binrelayd $relay_bytes" \
  "(binrelayd's copy of mysql-bin.000001 is byte-identical to its store file)"
echo "server cpu = user+sys of mariadbd / binrelayd / frame_server over the run; 2-core machine"
echo "readers: $client"
for n in "${counts[@]}"; do
  echo "N=$n load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  primary_run=$(readers primary "$primary_port" "$primary_pid" "$n" "$primary_bytes")
  relay_run=$(readers binrelayd "$relay_port" "$relayd_pid" "$n" "$relay_bytes")
  ceiling_run="0 0 0 0 0"
  if [[ -n $ceiling_pid ]]; then
    ceiling_run=$(readers ceiling "$ceiling_port" "$ceiling_pid" "$n" "$relay_bytes")
  fi
  rm -rf "$BINRELAY_TMP"/out-*
  # shellcheck disable=SC2086  # three "WALL CPU BYTES CLIENT_CPU BUSY" lists
  python3 - "$n" $primary_run $relay_run $ceiling_run <<'PY'
import sys
n = int(sys.argv[1])
runs = [list(map(float, sys.argv[i:i + 5])) for i in (2, 7, 12)]
names = ["primary  ", "binrelayd", "ceiling  "]
mbps = []
for name, (wall, cpu, b, client_cpu, busy) in zip(names, runs):
    mbps.append(b / 1e6 / wall if wall else 0.0)
    if wall:
        print(f"N={n:<3} {name}: {wall:7.2f} s {mbps[-1]:8.1f} MB/s  server cpu {cpu:6.2f} s"
              f"  readers cpu {client_cpu:6.2f} s  machine busy {busy:6.2f} s"
              f" ({busy / wall:.2f} cores)  ({b / 1e6:.0f} MB)")
(pw, pc, pb, _, _), (rw, rc, rb, _, _) = runs[0], runs[1]
print(f"N={n:<3} ratio (binrelayd / primary): {mbps[1] / mbps[0]:.2f}x MB/s, "
      f"server cpu per byte {(pc / pb) / (rc / rb) if rc else float('inf'):.2f}x less"
      f"   (target >= 3x, >= 1000 MB/s)")
if mbps[2]:
    print(f"N={n:<3} ceiling / primary: {mbps[2] / mbps[0]:.2f}x, binrelayd / ceiling: "
          f"{mbps[1] / mbps[2]:.2f}")
PY
done
