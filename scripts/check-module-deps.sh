#!/usr/bin/env bash
# Checks the dependency direction of src/ (docs/architecture.md): every `#include "M/..."` of a
# module must name a module that module may use, i.e. one linked into its include root
# BUILD/include/<module>/ (made by cmake/modules.cmake from src/CMakeLists.txt).
# Usage: scripts/check-module-deps.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: $0 BUILD_DIR}
bad=0
for dir in src/*/; do
  module=$(basename "$dir")
  allowed="$build/include/$module"
  [[ -d "$allowed" ]] || { echo "no include root $allowed for module $module"; bad=1; continue; }
  while IFS=: read -r file line used; do
    if [[ -d "src/$used" && ! -e "$allowed/$used" ]]; then
      echo "$file:$line: module '$module' may not include '$used/'"
      bad=1
    fi
  done < <(grep -rnoE '^#include "[a-z_]+/' "$dir" | sed -E 's/#include "([a-z_]+)\//\1/')
done
if ((bad)); then exit 1; fi
echo "module dependencies follow docs/architecture.md"
