#!/bin/sh
# The terminal app's benchmark: start to first frame (in a PTY) and one walk frame at 200x60,
# each beside a peer measured in the same run. Release build; figures go to stdout.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release --test tui_bench -- --ignored --nocapture
