#!/usr/bin/env bash
# Runs what the systemd unit promises, with the real binary, on loopback:
#
#   tools/systemd/smoke.sh PATH-TO-CRETOAI-FAST [WRAPPER]
#
# A 4-validator testnet (testnet init) where every node runs as 'node run --config ...' under
# WRAPPER (CI passes mdwe-exec: the unit's MemoryDenyWriteExecute=yes); the nodes must commit
# blocks; SIGTERM must stop each with exit 0 (drain, checkpoint); restarted, they must recover from
# their data and commit further. Every wait has a deadline; only the processes started here are
# signalled. Ports 37400..37403 (metrics 37500..37503). Exit 0 when all of it held.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 PATH-TO-CRETOAI-FAST [WRAPPER]" >&2
  exit 2
fi

binary=$(readlink -f "$1")
wrapper=()
if [ $# -eq 2 ]; then
  wrapper=("$(readlink -f "$2")")
fi

base=37400
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

height() {
  "$binary" status --node "127.0.0.1:$1" --json --timeout 2 2>/dev/null \
    | sed -n 's/.*"height":\([0-9]*\).*/\1/p'
}

# Waits until node 0 reports a height above $1; fails after 60 s.
wait_height_above() {
  local deadline=$(( $(date +%s) + 60 )) h
  while [ "$(date +%s)" -lt "$deadline" ]; do
    h=$(height "$base")
    if [ -n "$h" ] && [ "$h" -gt "$1" ]; then
      echo "$h"
      return 0
    fi
    sleep 0.5
  done
  echo "error: no height above $1 within 60 s; last logs:" >&2
  tail -n 5 "$work"/node*.log >&2 || true
  return 1
}

start_nodes() {
  pids=()
  for i in 0 1 2 3; do
    "${wrapper[@]}" "$binary" node run --config "$work/net/node$i/cretoai-fast.json" >> "$work/node$i.log" 2>&1 &
    pids+=($!)
  done
}

# SIGTERM every node, then every one must exit 0 within 30 s (the unit's TimeoutStopSec).
stop_nodes() {
  local pid rc failed=0
  for pid in "${pids[@]}"; do
    kill -TERM "$pid"
  done
  for pid in "${pids[@]}"; do
    rc=0
    timeout_at=$(( $(date +%s) + 30 ))
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$timeout_at" ]; do
      sleep 0.2
    done
    wait "$pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "error: node (pid $pid) exited $rc after SIGTERM" >&2
      failed=1
    fi
  done
  pids=()
  return "$failed"
}

"$binary" testnet init --validators 4 --out "$work/net" --base-port "$base" >/dev/null
start_nodes
first=$(wait_height_above 2)
echo "smoke: 4 validators committed up to height $first"
stop_nodes
echo "smoke: SIGTERM stopped all 4 with exit 0"
grep -q "Checkpoint (shutdown)" "$work/node0.log" || { echo "error: no shutdown checkpoint logged" >&2; exit 1; }

start_nodes
again=$(wait_height_above "$first")
echo "smoke: restarted from their data, committed up to height $again"
stop_nodes
echo "smoke: passed"
