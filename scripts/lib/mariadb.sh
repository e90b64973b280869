# Shell helpers for the demo and the benchmarks: throwaway MariaDB servers on 127.0.0.1.
# Source this file, set BINRELAY_TMP to a scratch directory, then:
#   mdb_start NAME PORT SERVER_ID [mariadbd args...]   # data in $BINRELAY_TMP/NAME
#   mdb_sql NAME "SQL"                                 # as root over the socket, -N -B output
#   mdb_stop NAME
# Every server gets a user binrelay/binrelay-pw with all privileges over TCP.

: "${BINRELAY_TMP:?set BINRELAY_TMP to a scratch directory}"

mdb_dir() { echo "$BINRELAY_TMP/$1"; }

mdb_template() {
  local t="$BINRELAY_TMP/.template"
  if [[ ! -d $t/data ]]; then
    mkdir -p "$t"
    mariadb-install-db --no-defaults --user=root --auth-root-authentication-method=socket \
      --skip-test-db --datadir="$t/data" >"$t/install.log" 2>&1
  fi
  echo "$t/data"
}

mdb_start() {
  local name=$1 port=$2 server_id=$3
  shift 3
  local d
  d=$(mdb_dir "$name")
  if [[ ! -d $d/data ]]; then
    mkdir -p "$d"
    cp -a "$(mdb_template)" "$d/data"
  fi
  mariadbd --no-defaults --user=root --datadir="$d/data" --socket="$d/sock" \
    --pid-file="$d/pid" --log-error="$d/error.log" --port="$port" --bind-address=127.0.0.1 \
    --server-id="$server_id" --skip-name-resolve --innodb-buffer-pool-size=256M \
    --max-connections=500 --max-allowed-packet=1G "$@" &
  echo $! >"$d/mariadbd.pid"
  local i
  for i in $(seq 1 600); do
    if mariadb --no-defaults -uroot --socket="$d/sock" -e 'SELECT 1' >/dev/null 2>&1; then
      mdb_sql "$name" "CREATE USER IF NOT EXISTS 'binrelay'@'%' IDENTIFIED BY 'binrelay-pw';
        GRANT ALL ON *.* TO 'binrelay'@'%' WITH GRANT OPTION;"
      return 0
    fi
    sleep 0.1
  done
  echo "mariadbd $name did not start; see $d/error.log" >&2
  return 1
}

mdb_sql() {
  local name=$1
  shift
  mariadb --no-defaults -uroot -N -B --socket="$(mdb_dir "$name")/sock" -e "$*"
}

mdb_stop() {
  local d pid
  d=$(mdb_dir "$1")
  [[ -f $d/mariadbd.pid ]] || return 0
  pid=$(cat "$d/mariadbd.pid")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$d/mariadbd.pid"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
