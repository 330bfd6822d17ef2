#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, so a new public member is one reviewed line in the diff.
# Usage: tools/update-public-api.sh src/Reprise [src/Reprise.Chaos ...]
# Removed symbols (RS0017) are reported by the build; delete their lines by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in "$@"; do
  unshipped="$project/PublicAPI.Unshipped.txt"
  log=$(mktemp)
  dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
  { cat "$unshipped"; grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
      | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/"; } \
    | grep -v '^#nullable enable$' | LC_ALL=C sort -u >"$log.new"
  { echo '#nullable enable'; cat "$log.new"; } >"$unshipped"
  rm -f "$log" "$log.new"
  echo "$unshipped: $(($(wc -l <"$unshipped") - 1)) symbols"
done
