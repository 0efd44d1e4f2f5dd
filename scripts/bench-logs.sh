#!/usr/bin/env bash
# Benchmarks `authdesk logs` (all cores and one thread) against wc -l, rg -c (when
# installed) and the reference Python triage, on deterministic logs of every shape the
# generator writes (flat and realistic JSON lines, ECS, combined, uvicorn). Checks that
# authdesk's results equal Python's, and prints one table: seconds, MB/s, peak RSS, and how
# many times faster authdesk is. Not part of the test suite; wall-clock figures are only as
# quiet as the machine.
#
# Usage: scripts/bench-logs.sh [SIZE_MB [SHAPE...]]   (default 1000 MB, every shape; files go
# to target/bench-logs/)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1000}
shift || true
SHAPES=("${@:-json realistic ecs combined uvicorn}")
read -r -a SHAPES <<< "${SHAPES[*]}"
DIR=target/bench-logs
mkdir -p "$DIR"
cargo build --release --quiet
BIN=target/release/authdesk
ECS_FIELDS=(--field status=http.response.status_code --field key=user.id --field ip=client.ip
  --field path=url.path --field method=http.request.method --field ts=@timestamp)

for shape in "${SHAPES[@]}"; do
  f="$DIR/$shape-$SIZE_MB.log"
  [ -s "$f" ] || { echo "generating $f" >&2; python3 scripts/bench-logs-gen.py "$shape" "$SIZE_MB" "$f"; }
done

# Runs a command with its stdout to a file; prints "seconds peak_rss_kb cpu_seconds". CPU
# seconds (user + system) say more than wall time on a machine others are using.
measure() {
  local out=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$DIR/time.txt" "$@" > "$out"
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$DIR/time.txt"
}

status=0
printf '%-10s %-26s %9s %9s %9s %11s %12s\n' shape tool seconds MB/s "CPU s" "peak RSS" "authdesk is"
for shape in "${SHAPES[@]}"; do
  f="$DIR/$shape-$SIZE_MB.log"
  mb=$(( $(stat -c %s "$f") / 1000000 ))
  fields=()
  [ "$shape" = ecs ] && fields=("${ECS_FIELDS[@]}")
  cat "$f" > /dev/null   # into the page cache
  declare -A secs rss cpu
  read -r secs[authdesk] rss[authdesk] cpu[authdesk] < <(measure "$DIR/authdesk-$shape.json" "$BIN" logs --json "${fields[@]}" "$f")
  read -r secs[one] rss[one] cpu[one] < <(measure /dev/null "$BIN" logs --json --threads 1 "${fields[@]}" "$f")
  read -r secs[wc] rss[wc] cpu[wc] < <(measure /dev/null wc -l "$f")
  tools=(authdesk one wc)
  if command -v rg > /dev/null; then
    read -r secs[rg] rss[rg] cpu[rg] < <(measure /dev/null rg -c '' "$f")
    tools+=(rg)
  fi
  read -r secs[python] rss[python] cpu[python] < <(measure "$DIR/python-$shape.json" python3 scripts/bench-logs-triage.py "${fields[@]}" "$f")
  tools+=(python)
  for t in "${tools[@]}"; do
    case $t in
      authdesk) label="authdesk logs ($(nproc) cores)";; one) label="authdesk logs --threads 1";;
      wc) label="wc -l";; rg) label="rg -c ''";; python) label="python triage (1 core)";;
    esac
    awk -v f="$shape" -v l="$label" -v s="${secs[$t]}" -v r="${rss[$t]}" -v mb="$mb" -v a="${secs[authdesk]}" \
      -v c="${cpu[$t]}" 'BEGIN { printf "%-10s %-26s %9.2f %9.0f %9.2f %8.1f MB %11.2fx\n", f, l, s, mb / s, c, r / 1024, s / a }'
  done
  python3 - "$DIR/authdesk-$shape.json" "$DIR/python-$shape.json" <<'PY' || status=1
import json, sys
a, p = (json.load(open(x)) for x in sys.argv[1:3])
diff = [k for k in a if a[k] != p.get(k)]
print(f"  results identical to python: {'yes' if not diff else 'NO, differ in ' + ', '.join(diff)}")
sys.exit(1 if diff else 0)
PY
  unset secs rss cpu
done
exit $status
