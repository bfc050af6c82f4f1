#!/usr/bin/env bash
# Loopback round-trip benchmark of the transport: publishes cretoai-fast with NativeAOT, starts a
# node in its own process, and runs the ping load from a second process for each
# CONNECTIONSxDEPTH pair. Same machine, same run: redis-server with redis-benchmark is measured
# right after as a reference for what a loopback round trip costs here (different client code;
# the same-client comparison is perf/compare-redis.sh's job, issue "load harness").
#
# usage: perf/loopback-rtt.sh [--matrix 1x1,1x16,32x1,32x16] [--duration SECONDS] [--payload BYTES] [--no-redis]
set -euo pipefail
cd "$(dirname "$0")/.."
matrix=1x1,1x16,32x1,32x16
duration=5
payload=32
redis=1
while [ $# -gt 0 ]; do
  case "$1" in
    --matrix) matrix=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --payload) payload=$2; shift 2 ;;
    --no-redis) redis=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=artifacts/loopback
mkdir -p "$out"
dotnet publish src/CretoAI.Fast.Cli/CretoAI.Fast.Cli.csproj -c Release -r linux-x64 -o "$out/bin" >/dev/null
bin="$out/bin/cretoai-fast"
port=$(( 20000 + RANDOM % 20000 ))
"$bin" node run --listen "127.0.0.1:$port" --log-level Warning >"$out/node.log" 2>&1 &
node=$!
trap 'kill -TERM $node 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$out/node.log" && break; sleep 0.1; done

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# cretoai-fast (NativeAOT), node and client in separate processes, payload ${payload} B"
"$bin" ping --node "127.0.0.1:$port" --matrix "$matrix" --duration "$duration" --warmup 1 --payload "$payload"
kill -TERM $node; wait $node || true
trap - EXIT

if [ "$redis" = 1 ] && command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null; then
  rport=$(( port + 1 ))
  redis-server --port "$rport" --save '' --appendonly no --daemonize yes --logfile "$PWD/$out/redis.log" >/dev/null
  sleep 0.5
  echo "# reference: redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') with redis-benchmark PING_MBULK"
  IFS=, read -ra pairs <<<"$matrix"
  for pair in "${pairs[@]}"; do
    c=${pair%x*}; p=${pair#*x}
    n=$(( c * p * 20000 )); [ $n -gt 2000000 ] && n=2000000
    line=$(redis-benchmark -p "$rport" -t ping_mbulk -c "$c" -P "$p" -n "$n" --csv 2>/dev/null | tail -n 1)
    IFS=, read -r _ rps avg _ p50 _ p99 max <<<"$(tr -d '"' <<<"$line")"
    echo "redis conns=$c depth=$p rps=$rps p50=${p50}ms p99=${p99}ms max=${max}ms"
  done
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
fi
