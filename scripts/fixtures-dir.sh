#!/usr/bin/env bash
# Prints the directory of the real MySQL/MariaDB binlog fixtures the tests and fuzz seeds read
# (MANIFEST.tsv inside). Looked for, in order: $BINRELAY_FIXTURES_DIR; shared/fixtures beside
# this checkout (../shared/fixtures); and, for a clone of a local checkout, shared/fixtures
# beside the checkout it was cloned from. Exits 1 with a message when none exists.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
candidates=()
[[ -n ${BINRELAY_FIXTURES_DIR:-} ]] && candidates+=("$BINRELAY_FIXTURES_DIR")
candidates+=("$repo/../shared/fixtures")
origin=$(git -C "$repo" remote get-url origin 2>/dev/null || true)
[[ -n $origin && -d $origin ]] && candidates+=("$origin/../shared/fixtures")
for dir in "${candidates[@]}"; do
  if [[ -f $dir/MANIFEST.tsv ]]; then
    (cd "$dir" && pwd)
    exit 0
  fi
done
echo "binlog fixtures not found (looked in: ${candidates[*]}); set BINRELAY_FIXTURES_DIR" >&2
exit 1
