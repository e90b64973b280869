# Shared by the benchmark scripts (sourced from the repository root, after `set -euo pipefail`):
# a scratch workspace with the MariaDB helpers that cleans up after itself, timing and CPU.

# bench_build TARGET...: builds the targets in $BINRELAY_BUILD_DIR (an already configured build
# tree), else in build-release/ (configured here as a Release build without tests); sets
# build_dir and the absolute paths binrelayd and inspect.
bench_build() {
  build_dir=${BINRELAY_BUILD_DIR:-build-release}
  [[ $build_dir != build-release ]] ||
    cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBINRELAY_TESTS=OFF >/dev/null
  cmake --build "$build_dir" --target "$@" >/dev/null
  build_dir=$(cd "$build_dir" && pwd)
  binrelayd=$build_dir/tools/binrelayd/binrelayd
  inspect=$build_dir/tools/binrelay-inspect/binrelay-inspect
}

# bench_workspace NAME SERVER...: a fresh $BINRELAY_TMP (binrelay-NAME-XXXXXX) and the mdb_*
# helpers of scripts/lib/mariadb.sh; on exit the binrelayd in $relayd_pid is stopped, the named
# MariaDB servers are stopped and the workspace is removed; an error names the script's line.
bench_workspace() {
  local name=$1
  shift
  export BINRELAY_TMP
  BINRELAY_TMP=$(mktemp -d "${TMPDIR:-/tmp}/binrelay-$name-XXXXXX")
  bench_servers=("$@")
  # shellcheck source=../scripts/lib/mariadb.sh
  source scripts/lib/mariadb.sh  # needs BINRELAY_TMP; defines functions only
  relayd_pid=
  trap bench_cleanup EXIT
  # shellcheck disable=SC2064  # the name is fixed now, the line number at the error
  trap "echo \"$name.sh: failed at line \$LINENO\" >&2" ERR
}
bench_cleanup() {
  if [[ -n $relayd_pid ]]; then kill "$relayd_pid" 2>/dev/null && wait "$relayd_pid" 2>/dev/null; fi
  local s
  for s in "${bench_servers[@]}"; do mdb_stop "$s"; done
  rm -rf "$BINRELAY_TMP"
}

# now: wall clock in seconds with nanoseconds.
now() { date +%s.%N; }
# cpu_of PID: user+sys seconds the process has used so far (from /proc/PID/stat).
cpu_of() {
  python3 -c "import os,sys; t=open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')',1)[1].split(); print((int(t[11])+int(t[12]))/os.sysconf('SC_CLK_TCK'))" "$1"
}
# queued_of PID: seconds the process's threads have spent runnable but waiting for a CPU (the
# run queue, /proc/PID/task/*/schedstat): on a loaded machine, wall time that is not its own.
queued_of() {
  cat /proc/"$1"/task/*/schedstat | awk '{w += $2} END {printf "%.3f\n", w / 1e9}'
}

# The server flags of a durability (the apply benchmarks' two settings, both flavours): prints
# them space-separated; `read -ra ARGS <<<"$(durability_flags durable)"`.
durability_flags() {
  if [[ $1 == durable ]]; then
    echo "--innodb-flush-log-at-trx-commit=1 --sync-binlog=1"
  else
    echo "--innodb-flush-log-at-trx-commit=2 --sync-binlog=0"
  fi
}
