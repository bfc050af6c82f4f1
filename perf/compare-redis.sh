#!/usr/bin/env bash
# Side by side: the same client code (cretoai-fast-loadgen's connection driver) measures a
# cretoai-fast node (framed Ping, `--mode ping`) and a loopback redis-server (RESP PING,
# `--mode resp-ping`) with the same connections, depth and duration. Runs alternate (ours, redis,
# ours, redis, ...) so a machine that gets busier or quieter affects both alike; with --rounds N
# each figure is the median over N runs. Prints one line per configuration:
#   conns=C depth=D ours=X/s redis=Y/s ratio=R p99_ours=… p99_redis=…
# Installs redis-server with apt-get if it is missing (needs root), starts its own on a free
# loopback port, and stops both servers at the end.
#
# usage: perf/compare-redis.sh [--configs 1x1,1x16,32x1,32x16] [--duration SECONDS] [--warmup SECONDS]
#                              [--rounds N] [--payload BYTES] [--no-build] [--out DIR] [--node-args "ARGS"]
# --node-args: extra options for our node (e.g. "--busy-poll-us 0"); the client is never changed.
# A short run (about 30 s of load): perf/compare-redis.sh --duration 2 --warmup 1
set -euo pipefail
cd "$(dirname "$0")/.."
configs=1x1,1x16,32x1,32x16
duration=5
warmup=1
rounds=1
payload=32
build=1
out=artifacts/compare-redis
node_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) configs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --payload) payload=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out=$2; shift 2 ;;
    --node-args) node_args=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
out_abs=$(cd "$out" && pwd)
if ! command -v redis-server >/dev/null; then
  echo "# redis-server missing: installing it with apt-get" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >&2
fi

if [ "$build" = 1 ]; then
  echo "# building: cretoai-fast (NativeAOT) and cretoai-fast-loadgen (Release)" >&2
  dotnet publish src/CretoAI.Fast.Cli/CretoAI.Fast.Cli.csproj -c Release -r linux-x64 -o "$out/node" >&2
  dotnet publish perf/CretoAI.Fast.LoadGen/CretoAI.Fast.LoadGen.csproj -c Release -o "$out/loadgen" >&2
fi
node_bin="$out/node/cretoai-fast"
loadgen="$out/loadgen/cretoai-fast-loadgen"
[ -x "$node_bin" ] && [ -x "$loadgen" ] || { echo "missing $node_bin or $loadgen: run without --no-build" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
node_port=$(free_port)
redis_port=$(free_port)
# shellcheck disable=SC2086 # node_args is a list of options
"$node_bin" node run --listen "127.0.0.1:$node_port" --log-level Warning $node_args >"$out/node.log" 2>&1 &
node_pid=$!
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile "$out_abs/redis.log" &
redis_pid=$!
cleanup() { kill -TERM "$node_pid" "$redis_pid" 2>/dev/null || true; wait "$node_pid" "$redis_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q listening "$out/node.log" 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ours: cretoai-fast $(git rev-parse --short HEAD 2>/dev/null || echo '?') NativeAOT node${node_args:+ ($node_args)}, framed Ping ${payload} B; redis: $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/redis-server \1/p'), RESP PING"
echo "# client: cretoai-fast-loadgen closed loop, ${duration} s measured after ${warmup} s warm-up, ${rounds} round(s), runs alternate"

# run MODE TARGET C D → "rate p99" of the measured step
run() {
  local line
  line=$("$loadgen" --mode "$1" --target "$2" -c "$3" -d "$4" --payload "$payload" --duration "$duration" --warmup "$warmup" --quiet --out "$out/runs/$1-$3x$4-$5" | grep '^result ' | head -n 1)
  [ -n "$line" ] || { echo "no result from $1 $3x$4" >&2; exit 2; }
  echo "$(sed -n 's/.* achieved=\([0-9.]*\)\/s .*/\1/p' <<<"$line") $(sed -n 's/.* p99=\([0-9.]*\)us .*/\1/p' <<<"$line")"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

IFS=, read -ra pairs <<<"$configs"
for pair in "${pairs[@]}"; do
  c=${pair%x*}; d=${pair#*x}
  ours_rate=(); ours_p99=(); redis_rate=(); redis_p99=()
  for r in $(seq "$rounds"); do
    read -r rate p99 <<<"$(run ping "127.0.0.1:$node_port" "$c" "$d" "$r")"; ours_rate+=("$rate"); ours_p99+=("$p99")
    read -r rate p99 <<<"$(run resp-ping "127.0.0.1:$redis_port" "$c" "$d" "$r")"; redis_rate+=("$rate"); redis_p99+=("$p99")
  done
  o=$(printf '%s\n' "${ours_rate[@]}" | median); rr=$(printf '%s\n' "${redis_rate[@]}" | median)
  op=$(printf '%s\n' "${ours_p99[@]}" | median); rp=$(printf '%s\n' "${redis_p99[@]}" | median)
  awk -v c="$c" -v d="$d" -v o="$o" -v r="$rr" -v op="$op" -v rp="$rp" 'BEGIN {
    printf "conns=%s depth=%s ours=%.0f/s redis=%.0f/s ratio=%.2f p99_ours=%.0fus p99_redis=%.0fus\n", c, d, o, r, (r > 0 ? o / r : 0), op, rp }'
done
