#!/usr/bin/env bash
# Checks the published binary's start-up shim (src/CretoAI.Fast.Cli/Native/startup_shim.c): it
# exports the start time the daemon's READY log line counts from, and the executable's bss, where
# the NativeAOT runtime writes its type data before main(), must be
# eligible for transparent huge pages (smaps "THPeligible: 1"), and with CRETOAI_FAST_NO_HUGEPAGES=1
# it must not be (when the kernel's mode is "madvise"; "always" makes every mapping eligible, and
# "never" none, so those modes check only what they can). Usage:
#   tools/check-startup-shim.sh PATH/TO/cretoai-fast
set -euo pipefail

bin="${1:?usage: tools/check-startup-shim.sh PATH/TO/cretoai-fast}"
if ! nm -D --defined-only "$bin" | grep -qw cretoai_fast_process_started_unix_ns; then
  echo "error: $bin does not export cretoai_fast_process_started_unix_ns; the start-up shim is not linked in" >&2
  exit 1
fi
mode_file=/sys/kernel/mm/transparent_hugepage/enabled
if [[ ! -r "$mode_file" ]]; then
  echo "startup huge pages: skipped, this kernel has no transparent huge pages ($mode_file)"
  exit 0
fi
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$mode_file")
if [[ "$mode" == "never" ]]; then
  echo "startup huge pages: skipped, transparent huge pages are disabled (mode never)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" testnet init --validators 4 --out "$work/tn" --base-port 27400 >/dev/null

# Prints THPeligible of the first anonymous mapping after the executable's own mappings (its bss).
bss_eligible() {
  local pid=$1 exe
  exe=$(readlink -f "/proc/$pid/exe")
  awk -v exe="$exe" '
    /^[0-9a-f]+-[0-9a-f]+ / { in_bss = 0; if ($6 == exe) { seen = 1; next } if (seen && NF == 5 && !done) { in_bss = 1; done = 1 } next }
    in_bss && /^THPeligible:/ { print $2; exit }
  ' "/proc/$pid/smaps"
}

# Runs a validator alone (its peers are down, so it stays up) and prints its bss eligibility.
probe() {
  "$@" "$bin" node run --config "$work/tn/node0/cretoai-fast.json" >"$work/node.log" 2>&1 &
  local pid=$! eligible=""
  for _ in $(seq 1 100); do
    grep -q "after process start" "$work/node.log" && break
    sleep 0.05
  done
  eligible=$(bss_eligible "$pid")
  kill -TERM "$pid"
  wait "$pid" || true
  echo "${eligible:-missing}"
}

with=$(probe env)
without=$(probe env CRETOAI_FAST_NO_HUGEPAGES=1)
echo "startup huge pages (mode $mode): bss THPeligible $with with the shim, $without with CRETOAI_FAST_NO_HUGEPAGES=1"
if [[ "$with" != "1" ]]; then
  echo "error: the executable's bss is not eligible for transparent huge pages; the start-up shim did not run" >&2
  exit 1
fi
if [[ "$mode" == "madvise" && "$without" != "0" ]]; then
  echo "error: CRETOAI_FAST_NO_HUGEPAGES=1 did not turn the start-up shim off" >&2
  exit 1
fi
