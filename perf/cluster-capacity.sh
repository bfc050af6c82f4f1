#!/usr/bin/env bash
# Sustained commit rate (capacity) of a 4-validator loopback cluster, with a load above it.
#
#   perf/cluster-capacity.sh [--bin PATH] [--loadgen PATH] [--rate R] [--duration S] [--runs N]
#                            [--base-port P] [--validators N]
#
# For each run: a fresh testnet (testnet init) in a temporary directory, every validator started
# with `node run`, then `cretoai-fast-loadgen --mode tx` offering R tx/s (default 4,000, above what
# two cores commit) for S seconds (default 12) after a 2 s warm-up, with up to 4,096 uncommitted
# per connection so the cluster always has a backlog. Validator 0's `committed_transactions` is
# read every 0.25 s until the load generator ends; the capacity is the commit rate between the
# samples where 20 % and 95 % of the final count had committed (the start-up and the last drain
# are left out, so a run measures the cluster, not the load's ramp). Also printed: the blocks
# committed, the load generator's failed transactions and why (a transaction still uncommitted
# when the drain ends, or refused), and whether the machine was busy (load average) before the
# run: compare builds by alternating them, several runs each, on a machine doing nothing else.
# Publish first:
#   dotnet publish src/CretoAI.Fast.Cli -c Release -r linux-x64 -o publish
#   dotnet build -c Release perf/CretoAI.Fast.LoadGen
set -euo pipefail

bin=publish/cretoai-fast
loadgen=perf/CretoAI.Fast.LoadGen/bin/Release/net10.0/cretoai-fast-loadgen
rate=4000
duration=12
runs=1
port=27600
validators=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --loadgen) loadgen="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --base-port) port="$2"; shift 2 ;;
    --validators) validators="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster-capacity.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for f in "$bin" "$loadgen"; do
  if [[ ! -x "$f" ]]; then
    echo "cluster-capacity.sh: no executable at '$f'; build it first (see --help)" >&2
    exit 2
  fi
done

command -v python3 > /dev/null || { echo "cluster-capacity.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  if [[ ${#pids[@]} -gt 0 ]]; then kill "${pids[@]}" 2> /dev/null || true; wait "${pids[@]}" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

committed() {
  "$bin" status --node "127.0.0.1:$port" --json 2> /dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["committed_transactions"], d["height"])' 2> /dev/null || true
}

for ((run = 1; run <= runs; run++)); do
  dir="$work/run$run"
  "$bin" testnet init --validators "$validators" --out "$dir" --base-port "$port" > "$work/init.txt"
  pids=()
  for ((i = 0; i < validators; i++)); do
    "$bin" node run --config "$dir/node$i/cretoai-fast.json" > "$dir/node$i.log" 2>&1 &
    pids+=($!)
  done

  load=$(cut -d' ' -f1 /proc/loadavg)
  "$loadgen" --mode tx --testnet "$dir" --rate "$rate" --duration "$duration" --warmup 2 --drain 60 \
    --depth 4096 --no-progress > "$dir/loadgen.txt" 2>&1 &
  lg=$!
  : > "$dir/samples"
  while kill -0 "$lg" 2> /dev/null; do
    echo "$(date +%s.%N) $(committed)" >> "$dir/samples"
    sleep 0.25
  done

  if ! wait "$lg"; then
    echo "cluster-capacity.sh: run $run: the load generator failed:" >&2
    tail -n 5 "$dir/loadgen.txt" >&2
    exit 1
  fi

  kill "${pids[@]}" 2> /dev/null || true
  wait "${pids[@]}" 2> /dev/null || true
  pids=()
  failed=$(grep -o '^result .* failed=[0-9]*' "$dir/loadgen.txt" | grep -o 'failed=[0-9]*$' | cut -d= -f2 || true)
  reasons=$(grep '^failures ' "$dir/loadgen.txt" | cut -d' ' -f3- || true)
  python3 - "$dir/samples" "$run" "$load" "$rate" "${failed:-?}" "$reasons" <<'PY'
import sys
path, run, load, rate, failed, reasons = sys.argv[1:7]
s = [(float(p[0]), int(p[1]), int(p[2])) for p in (l.split() for l in open(path)) if len(p) == 3]
if not s or s[-1][1] == 0:
    sys.exit(f"cluster-capacity.sh: run {run}: nothing committed")
total = s[-1][1]
lo = next(x for x in s if x[1] >= 0.2 * total)
hi = next(x for x in s if x[1] >= 0.95 * total)
if hi[0] <= lo[0]:
    sys.exit(f"cluster-capacity.sh: run {run}: too few samples to measure a rate")
print(f"run {run}: capacity {(hi[1] - lo[1]) / (hi[0] - lo[0]):,.0f} tx/s "
      f"({hi[1] - lo[1]:,} transactions in {hi[0] - lo[0]:.1f} s), offered {int(rate):,} tx/s, "
      f"{total:,} committed in {s[-1][2]:,} blocks, load average before {load}; "
      f"load generator: {failed} failed{' (' + reasons + ')' if reasons else ''}")
PY
  rm -rf "$dir"
done
