#!/usr/bin/env bash
# Installs every Debian package binrelay needs to build, test and run its demo and benchmarks.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  libboost1.81-dev libssl-dev zlib1g-dev libfmt-dev libcli11-dev catch2 libzstd-dev libsystemd-dev
  mariadb-server mariadb-client sysbench debootstrap keepalived iproute2 curl
  prometheus-mysqld-exporter help2man systemd dpkg-dev file
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi
