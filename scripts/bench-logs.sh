#!/usr/bin/env bash
# Benchmarks `authdesk logs` against wc -l, rg -c (when installed) and the reference Python
# triage on deterministic ~1 GB JSON-lines and combined-format logs, checks that authdesk's
# results equal Python's, and prints MB/s, peak RSS and ratios. Not part of the test suite.
#
# Usage: scripts/bench-logs.sh [SIZE_MB]   (default 1000; files go to target/bench-logs/)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1000}
DIR=target/bench-logs
mkdir -p "$DIR"
cargo build --release --quiet
BIN=target/release/authdesk

for kind in json combined; do
  f="$DIR/$kind-$SIZE_MB.log"
  [ -s "$f" ] || { echo "generating $f" >&2; python3 scripts/bench-logs-gen.py "$kind" "$SIZE_MB" "$f"; }
done

# Runs a command with its stdout to a file; prints "seconds peak_rss_kb".
measure() {
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" > "$out"
  cat "$DIR/time.txt"
}

printf '%-10s %-26s %9s %9s %11s %9s\n' file tool seconds MB/s "peak RSS" "vs authdesk"
for kind in json combined; do
  f="$DIR/$kind-$SIZE_MB.log"
  mb=$(( $(stat -c %s "$f") / 1000000 ))
  cat "$f" > /dev/null   # into the page cache
  declare -A secs rss
  read -r secs[authdesk] rss[authdesk] < <(measure "$DIR/authdesk-$kind.json" "$BIN" logs --json "$f")
  read -r secs[wc] rss[wc] < <(measure /dev/null wc -l "$f")
  tools=(authdesk wc)
  if command -v rg > /dev/null; then
    read -r secs[rg] rss[rg] < <(measure /dev/null rg -c '' "$f")
    tools+=(rg)
  fi
  read -r secs[python] rss[python] < <(measure "$DIR/python-$kind.json" python3 scripts/bench-logs-triage.py "$f")
  tools+=(python)
  for t in "${tools[@]}"; do
    label=$t
    case $t in
      authdesk) label="authdesk logs ($(nproc) cores)";; wc) label="wc -l";; rg) label="rg -c ''";;
      python) label="python triage (1 core)";;
    esac
    awk -v f="$kind" -v l="$label" -v s="${secs[$t]}" -v r="${rss[$t]}" -v mb="$mb" -v a="${secs[authdesk]}" \
      'BEGIN { printf "%-10s %-26s %9.2f %9.0f %8.1f MB %8.2fx\n", f, l, s, mb / s, r / 1024, s / a }'
  done
  python3 - "$DIR/authdesk-$kind.json" "$DIR/python-$kind.json" <<'PY'
import json, sys
a, p = (json.load(open(x)) for x in sys.argv[1:3])
diff = [k for k in a if a[k] != p.get(k)]
print(f"  results identical to python: {'yes' if not diff else 'NO, differ in ' + ', '.join(diff)}")
sys.exit(1 if diff else 0)
PY
  unset secs rss
done
