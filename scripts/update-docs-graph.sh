#!/usr/bin/env bash
# Redraws the 401 tree in docs/runbooks.md from the runbook itself (`authdesk graph 401`);
# tests/lint.rs fails when the picture there is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
graph=$(cargo run --quiet -- graph 401)
GRAPH="$graph" python3 - <<'PY'
import os, re
path = "docs/runbooks.md"
doc = open(path).read()
new, n = re.subn(r"```mermaid\nflowchart TD\n.*?```", lambda _: "```mermaid\n" + os.environ["GRAPH"].strip() + "\n```", doc, count=1, flags=re.S)
assert n == 1, "no ```mermaid flowchart block in " + path
open(path, "w").write(new)
PY
echo "docs/runbooks.md: the 401 tree redrawn"
