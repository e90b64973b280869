# Shell helpers for the benchmarks: throwaway MySQL 9.7 servers on 127.0.0.1, run in the sid
# chroot of scripts/mysql-chroot.sh (the chroot shares the loopback network). Source this file,
# set BINRELAY_TMP to a scratch directory, then:
#   my_start NAME PORT SERVER_ID [mysqld args...]   # data in the chroot's /tmp
#   my_sql NAME "SQL"                               # as root over the socket, -N -B output
#   my_client ARGS...                               # the chroot's mysql client, for TCP use
#   my_stop NAME
# Every server has GTIDs on, ROW binlogs and a user binrelay/binrelay-pw (caching_sha2_password)
# with all privileges over TCP.

: "${BINRELAY_TMP:?set BINRELAY_TMP to a scratch directory}"
MYSQL_CHROOT=${BINRELAY_MYSQL_CHROOT:-/opt/binrelay-mysql-sid}

# The server's directory as mysqld sees it (inside the chroot), and as the host sees it.
my_dir() { echo "/tmp/binrelay-bench-$(basename "$BINRELAY_TMP")-$1"; }
my_host_dir() { echo "$MYSQL_CHROOT$(my_dir "$1")"; }

my_chroot() { chroot "$MYSQL_CHROOT" "$@"; }

my_template() {
  local t=/tmp/binrelay-bench-template
  if [[ ! -f $MYSQL_CHROOT$t/data/mysql.ibd ]]; then
    rm -rf "$MYSQL_CHROOT$t"
    mkdir -p "$MYSQL_CHROOT$t"
    my_chroot mysqld --no-defaults --initialize-insecure --user=root --datadir="$t/data" \
      >"$MYSQL_CHROOT$t/install.log" 2>&1
  fi
  echo "$t/data"
}

my_start() {
  local name=$1 port=$2 server_id=$3
  shift 3
  local d
  d=$(my_dir "$name")
  if [[ ! -d $MYSQL_CHROOT$d/data ]]; then
    mkdir -p "$MYSQL_CHROOT$d"
    cp -a "$MYSQL_CHROOT$(my_template)" "$MYSQL_CHROOT$d/data"
    rm -f "$MYSQL_CHROOT$d/data/auto.cnf" # each server makes its own server_uuid
  fi
  chroot "$MYSQL_CHROOT" mysqld --no-defaults --user=root --datadir="$d/data" --socket="$d/sock" \
    --pid-file="$d/pid" --log-error="$d/error.log" --port="$port" --bind-address=127.0.0.1 \
    --mysqlx=OFF --secure-file-priv= --server-id="$server_id" --skip-name-resolve --gtid-mode=ON \
    --enforce-gtid-consistency=ON --log-bin="$d/data/binlog" --binlog-format=ROW \
    --innodb-buffer-pool-size=256M --max-connections=500 --max-allowed-packet=1G \
    --performance-schema=OFF "$@" &
  echo $! >"$MYSQL_CHROOT$d/mysqld.pid"
  local i
  for i in $(seq 1 900); do
    if my_chroot mysql --no-defaults -uroot --socket="$d/sock" -e 'SELECT 1' >/dev/null 2>&1; then
      my_sql "$name" "CREATE USER IF NOT EXISTS 'binrelay'@'%' IDENTIFIED BY 'binrelay-pw';
        GRANT ALL ON *.* TO 'binrelay'@'%' WITH GRANT OPTION;"
      return 0
    fi
    sleep 0.1
  done
  echo "mysqld $name did not start; see $MYSQL_CHROOT$d/error.log" >&2
  return 1
}

my_sql() {
  local name=$1
  shift
  my_chroot mysql --no-defaults -uroot -N -B --socket="$(my_dir "$name")/sock" -e "$*"
}

my_client() { my_chroot mysql --no-defaults "$@"; }

my_stop() {
  local d pid
  d=$(my_host_dir "$1")
  [[ -f $d/mysqld.pid ]] || return 0
  pid=$(cat "$d/mysqld.pid")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -rf "$d"
}
