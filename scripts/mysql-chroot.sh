#!/usr/bin/env bash
# Builds (once) a Debian sid chroot holding MySQL 9.7 from Debian's mysql-server-core and
# mysql-client-core, for the tests, the benchmarks and the demo. MySQL 9.7 needs a newer libc than
# Debian 12 has, so it runs chrooted; the chroot shares the host's loopback network.
#
# Usage: scripts/mysql-chroot.sh [DIR]     (default: $BINRELAY_MYSQL_CHROOT or /opt/binrelay-mysql-sid)
# Prints the chroot's path on its last line. Reuses a chroot that already has mysqld; mounts /proc
# and /dev/shm when they are not mounted. Exits non-zero with a reason when it cannot be built.
set -euo pipefail
dir=${1:-${BINRELAY_MYSQL_CHROOT:-/opt/binrelay-mysql-sid}}
fail() { echo "mysql-chroot: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (debootstrap and chroot need it)"

mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | grep -v security | head -1 | awk '{print ($1=="deb") ? $2 : $2}')
  # a "deb [opts] URI" line puts the URI after the options
  [[ $uri == \[* ]] && uri=$(grep -hsE '^deb ' /etc/apt/sources.list | head -1 | sed -E 's/.*\] *//; s/ .*//')
  echo "${uri:-http://deb.debian.org/debian}"
}

mount_once() { # TYPE TARGET
  mountpoint -q "$2" || mount -t "$1" "$1" "$2"
}

if [[ ! -x $dir/usr/sbin/mysqld ]]; then
  command -v debootstrap >/dev/null || {
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null
  } || fail "cannot install debootstrap"
  m=$(mirror)
  echo "mysql-chroot: building a sid chroot in $dir from $m (about 30 s)" >&2
  partial="$dir.partial"
  rm -rf "$partial"
  debootstrap --variant=minbase sid "$partial" "$m" >"$partial.log" 2>&1 \
    || fail "debootstrap of sid from $m failed; see $partial.log"
  mount_once proc "$partial/proc"
  if ! chroot "$partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
      --no-install-recommends mysql-server-core mysql-client-core >>"$partial.log" 2>&1; then
    umount "$partial/proc" || true
    fail "apt-get install mysql-server-core mysql-client-core in the sid chroot failed; see $partial.log"
  fi
  umount "$partial/proc"
  rm -rf "$dir"
  mv "$partial" "$dir"
  rm -f "$partial.log"
fi
mount_once proc "$dir/proc"
mkdir -p "$dir/dev/shm" "$dir/tmp"
chmod 1777 "$dir/tmp"
[[ -c $dir/dev/null ]] || mknod -m 666 "$dir/dev/null" c 1 3
[[ -c $dir/dev/urandom ]] || mknod -m 666 "$dir/dev/urandom" c 1 9
[[ -c $dir/dev/random ]] || mknod -m 666 "$dir/dev/random" c 1 8
chroot "$dir" mysqld --version >/dev/null 2>&1 || fail "mysqld in $dir does not run"
echo "$dir"
