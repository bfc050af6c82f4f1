#!/usr/bin/env bash
# Start-up time and idle memory of the published cretoai-fast daemon with an empty state.
#
#   perf/daemon-startup.sh [--bin PATH] [--runs N] [--idle SECONDS]
#
# For each run: a fresh 4-validator testnet in a temporary directory, validator 0 started alone
# (its peers are not running, so it stays idle after start-up) the way systemd starts a Type=notify
# service: perf/notify-ready.py passes it a NOTIFY_SOCKET and times it from just before the fork to
# the READY=1 datagram (needs python3). Also reported: the daemon's own "started ... ms after process
# start" figure from its log (its process start time comes from /proc/self/stat, in 10 ms clock
# ticks, so it reads high by up to a tick and more), and the CPU time, minor page faults, GCs and GC
# pause the process had by then (they move little when other processes load the machine, so compare
# those on a busy machine); VmRSS read from /proc after --idle seconds; then SIGTERM.
# Prints one line per run and a summary line. Publish the binary first:
#   dotnet publish src/CretoAI.Fast.Cli -c Release -r linux-x64 -o publish
set -euo pipefail

bin=publish/cretoai-fast
runs=5
idle=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "daemon-startup.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -x "$bin" ]]; then
  echo "daemon-startup.sh: no executable at '$bin'; publish it first (see --help) or pass --bin" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ready_all=()
logged_all=()
cpu_all=()
faults_all=()
rss_all=()
for ((run = 1; run <= runs; run++)); do
  dir="$work/run$run"
  base=$((21000 + run * 10))
  "$bin" testnet init --validators 4 --out "$dir" --base-port "$base" > /dev/null
  config=$(ls "$dir"/node0/*.json | grep -v genesis | head -1)
  notified=""
  if command -v python3 > /dev/null; then
    read -r notified pid < <(python3 "$here/notify-ready.py" "$dir/node0.log" "$bin" node run --config "$config") || true
  else
    "$bin" node run --config "$config" > "$dir/node0.log" 2>&1 &
    pid=$!
  fi
  if [[ -z "${pid:-}" ]]; then
    echo "run $run: the daemon did not send READY=1; its log:" >&2
    cat "$dir/node0.log" >&2
    exit 1
  fi
  for ((i = 0; i < 200; i++)); do
    grep -q "after process start" "$dir/node0.log" && break
    sleep 0.05
  done
  sleep "$idle"
  ready=$(grep -o '([0-9]* ms after process start' "$dir/node0.log" | grep -o '[0-9]*' | head -1)
  cpu=$(grep -o '[0-9]* ms of CPU[,)]' "$dir/node0.log" | grep -o '[0-9]*' | head -1 || true)
  faults=$(grep -o '[0-9]* page faults' "$dir/node0.log" | grep -o '[0-9]*' | head -1 || true)
  gcs=$(grep -o '[0-9]* GCs' "$dir/node0.log" | grep -o '[0-9]*' | head -1 || true)
  pause=$(grep -o 'pausing [0-9]* ms' "$dir/node0.log" | grep -o '[0-9]*' | head -1 || true)
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
  kill -TERM "$pid"
  for ((i = 0; i < 400; i++)); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
  done
  if [[ -z "$ready" ]]; then
    echo "run $run: the daemon did not report READY; its log:" >&2
    cat "$dir/node0.log" >&2
    exit 1
  fi
  echo "run $run: READY=1 after ${notified:-?} ms (the daemon logs ${ready} ms after process start; ${cpu:-?} ms of CPU, ${faults:-?} page faults, ${gcs:-?} GCs pausing ${pause:-?} ms), idle RSS ${rss} MiB"
  ready_all+=("${notified:-$ready}")
  logged_all+=("$ready")
  cpu_all+=("${cpu:-0}")
  if [[ -n "$faults" ]]; then faults_all+=("$faults"); fi
  rss_all+=("$rss")
done

sorted_ready=$(printf '%s\n' "${ready_all[@]}" | sort -n)
sorted_logged=$(printf '%s\n' "${logged_all[@]}" | sort -n)
sorted_rss=$(printf '%s\n' "${rss_all[@]}" | sort -n)
sorted_cpu=$(printf '%s\n' "${cpu_all[@]}" | sort -n)
faults_median="?"
if [[ ${#faults_all[@]} -gt 0 ]]; then
  faults_median=$(printf '%s\n' "${faults_all[@]}" | sort -n | sed -n "$(((${#faults_all[@]} + 1) / 2))p")
fi
echo "summary: runs=$runs ready_ms min=$(head -1 <<< "$sorted_ready") median=$(sed -n "$(((runs + 1) / 2))p" <<< "$sorted_ready") max=$(tail -1 <<< "$sorted_ready")" \
  "logged_ms median=$(sed -n "$(((runs + 1) / 2))p" <<< "$sorted_logged")" \
  "cpu_ms median=$(sed -n "$(((runs + 1) / 2))p" <<< "$sorted_cpu")" \
  "page_faults median=$faults_median" \
  "rss_mib min=$(head -1 <<< "$sorted_rss") median=$(sed -n "$(((runs + 1) / 2))p" <<< "$sorted_rss") max=$(tail -1 <<< "$sorted_rss") load=$(cut -d' ' -f1 /proc/loadavg)"
