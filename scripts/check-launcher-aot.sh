#!/usr/bin/env bash
# Checks the launcher's AOT cache handling (docs/performance.md, "Warm-up") the way a user meets it:
# `./jgrad` runs quietly with no cache, with a damaged one and with a stale one; `./jgrad warmup`
# records a cache that the next run really uses; JGRAD_AOT=0 turns it off. Uses `jgrad version` as
# the workload, so it takes seconds once the launcher has built the project (a first run builds it).
#
#   scripts/check-launcher-aot.sh
#
# Works on caches in a temporary folder (JGRAD_AOT_CACHE), never on the real ones.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-launcher-aot: FAILED: $*" >&2; exit 1; }
say() { echo "check-launcher-aot: $*" >&2; }
unset JGRAD_AOT JGRAD_JAVA_OPTS

# Runs `./jgrad version` with the given cache file and environment; fails unless it prints the
# version and, on stderr, nothing but the Vector API's incubator notice.
quiet_version() {
  local cache=$1; shift
  env JGRAD_AOT_CACHE="$cache" "$@" "$root/jgrad" version > "$work/out" 2> "$work/err" \
    || fail "jgrad version failed with cache $cache: $(cat "$work/out" "$work/err")"
  grep -q '^jgrad ' "$work/out" || fail "jgrad version printed no version: $(cat "$work/out")"
  if grep -v '^WARNING: Using incubator modules: jdk.incubator.vector$' "$work/err" | grep -q .; then
    fail "jgrad version printed on stderr with cache $cache: $(cat "$work/err")"
  fi
}

"$root/jgrad" version > /dev/null   # builds the project if needed, outside the checks below
defaults=$(JGRAD_PRINT_JVM_OPTS=1 "$root/jgrad")

quiet_version "$work/missing.aot"
say "no cache: ok"

head -c 65536 /dev/urandom > "$work/damaged.aot"
quiet_version "$work/damaged.aot"
say "damaged cache: ok, nothing printed"
# ... because the launcher silenced the JVM's warning, not because it passed no cache: a user's
# -Xlog:aot in JGRAD_JAVA_OPTS turns it back on.
JGRAD_AOT_CACHE="$work/damaged.aot" JGRAD_JAVA_OPTS="$defaults -Xlog:aot=warning" "$root/jgrad" version \
  > "$work/out" 2>&1 || fail "jgrad version failed with a damaged cache and -Xlog:aot"
grep -q 'aot' "$work/out" || fail "the damaged cache was not passed to the JVM: $(cat "$work/out")"
JGRAD_AOT=0 JGRAD_AOT_CACHE="$work/damaged.aot" JGRAD_JAVA_OPTS="$defaults -Xlog:aot=warning" \
  "$root/jgrad" version > "$work/out" 2>&1 || fail "jgrad version failed with JGRAD_AOT=0"
if grep -q '\[aot\]' "$work/out"; then fail "JGRAD_AOT=0 still passed the cache: $(cat "$work/out")"; fi
say "JGRAD_AOT=0: ok, cache not passed"

JGRAD_AOT_CACHE="$work/good.aot" "$root/jgrad" warmup version > "$work/out" 2> "$work/err" \
  || fail "jgrad warmup version failed: $(cat "$work/err")"
[ -s "$work/good.aot" ] || fail "jgrad warmup wrote no cache: $(cat "$work/err")"
[ ! -s "$work/out" ] || fail "jgrad warmup printed on stdout: $(cat "$work/out")"
say "warmup: ok, $(du -k "$work/good.aot" | cut -f1) KiB"
quiet_version "$work/good.aot"
# AOTMode=on makes the JVM refuse to start unless it maps the cache: proof that it is used.
quiet_version "$work/good.aot" JGRAD_JAVA_OPTS="$defaults -XX:AOTMode=on"
say "recorded cache: used, nothing printed"

# A cache older than the jar is stale: the launcher deletes it and runs without it.
touch -d '2000-01-01' "$work/good.aot"
quiet_version "$work/good.aot"
[ ! -e "$work/good.aot" ] || fail "a cache older than the jar was kept"
say "stale cache: ok, removed"
say "all checks passed"
