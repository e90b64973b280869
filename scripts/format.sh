#!/usr/bin/env bash
# clang-format over every C++ file of the tree (.clang-format at the root).
#   scripts/format.sh          rewrites the files in place
#   scripts/format.sh --check  lists the files that differ and fails if there are any (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'src/*.h' 'src/*.cpp' 'tests/*.h' 'tests/*.cpp' 'tools/*.h' \
  'tools/*.cpp' 'bench/*.h' 'bench/*.cpp')
if [[ "${1:-}" != "--check" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format "$f" | cmp -s - "$f" || bad+=("$f")
done
if ((${#bad[@]})); then
  printf 'not clang-formatted (run scripts/format.sh):\n'
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "clang-format: ${#files[@]} files formatted"
