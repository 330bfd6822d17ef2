#!/usr/bin/env bash
# Start-up of `reprise get` for one URL against curl's: medians of N alternated runs (default 20), so that the
# machine's load falls on both alike. Starts the chaos server (`reprise serve`) for the URL unless one is given.
#
#   bench/startup/measure.sh "<reprise command>" [runs] [url]
#   bench/startup/measure.sh "/tmp/reprise-native/reprise" 20
#   bench/startup/measure.sh "dotnet src/Reprise.Cli/bin/Release/net10.0/Reprise.Cli.dll" 20
set -euo pipefail
reprise=$1
runs=${2:-20}
url=${3:-}
server_pid=
if [ -z "$url" ]; then
  out=$(mktemp)
  $reprise serve >"$out" 2>/dev/null &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$out"' EXIT
  for _ in $(seq 1 200); do grep -q healthy "$out" && break; sleep 0.1; done
  url="$(grep healthy "$out" | cut -f2)items/1"
fi

ms() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(( (end - start) / 1000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'; }

# One warm-up of each, then alternated runs.
ms curl -sS -o /dev/null "$url" >/dev/null
ms $reprise get "$url" >/dev/null
r=(); c=()
for _ in $(seq 1 "$runs"); do
  c+=("$(ms curl -sS -o /dev/null "$url")")
  r+=("$(ms $reprise get "$url" -o /dev/null)")
done
rm_=$(printf '%s\n' "${r[@]}" | median)
cm=$(printf '%s\n' "${c[@]}" | median)
echo "url: $url; runs: $runs alternated"
echo "reprise get: median ${rm_} ms"
echo "curl:        median ${cm} ms"
awk -v r="$rm_" -v c="$cm" 'BEGIN { printf "ratio: %.1fx\n", r / c }'
