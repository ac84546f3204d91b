#!/usr/bin/env bash
# Load acceptance for the playground: starts `./jgrad playground` (with its default heap cap) on a
# free port, drives it with jgrad-playground/load/PlaygroundLoad.java for a bounded time, prints the
# latency percentiles and the server's resident memory, and stops the server.
#
#   scripts/playground-load.sh [SECONDS=60] [CLIENTS=200] [TRAINING_TABS=48]
#
# JGRAD_LAUNCHER names another checkout's ./jgrad, to measure an older server with the same driver.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60} clients=${2:-200} trainers=${3:-48}
. "$root/scripts/find-jdk.sh"
jgrad_require_jdk

log=$(mktemp)
"${JGRAD_LAUNCHER:-$root/jgrad}" playground --port 0 > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 600); do
  grep -q '^playground: http' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
url=$(sed -n 's/^playground: \(http[^ ]*\).*/\1/p' "$log")
echo "server: $(grep '^playground:' "$log")"
"$JGRAD_JDK_HOME/bin/java" -Xmx1g "$root/jgrad-playground/load/PlaygroundLoad.java" "$url" "$server" "$seconds" "$clients" "$trainers"
