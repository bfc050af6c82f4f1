#!/usr/bin/env bash
# Checks tools/systemd/cretoai-fast.service with 'systemd-analyze verify'.
#
#   tools/systemd/verify.sh /path/to/cretoai-fast
#
# verify insists that ExecStart's binary exists, so the unit is copied to a temporary directory with
# ExecStart pointing at the given binary (for example the NativeAOT publish output) instead of
# /usr/local/bin/cretoai-fast. Fails on any message systemd-analyze prints about the unit, not only
# on errors: a warning about this unit is a mistake in it. Exit 0 when clean.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH-TO-CRETOAI-FAST-BINARY" >&2
  exit 2
fi

binary=$(readlink -f "$1")
if [ ! -x "$binary" ]; then
  echo "error: '$1' is not an executable file" >&2
  exit 2
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "error: systemd-analyze is not installed (apt-get install systemd)" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
unit="$here/cretoai-fast.service"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grep -q '^ExecStart=/usr/local/bin/cretoai-fast ' "$unit" || {
  echo "error: $unit has no 'ExecStart=/usr/local/bin/cretoai-fast ...' line to redirect" >&2
  exit 1
}
sed "s|^ExecStart=/usr/local/bin/cretoai-fast |ExecStart=$binary |" "$unit" > "$work/cretoai-fast.service"

# Without a running systemd (containers, CI) verify cannot ask the manager about other units; only
# what it says about our unit counts.
status=0
output=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$work/cretoai-fast.service" 2>&1) || status=$?
about_unit=$(printf '%s\n' "$output" | grep -F 'cretoai-fast.service' || true)
if [ "$status" -ne 0 ] || [ -n "$about_unit" ]; then
  printf '%s\n' "$output" >&2
  echo "error: systemd-analyze verify reported problems with cretoai-fast.service (exit $status)" >&2
  exit 1
fi

echo "cretoai-fast.service: systemd-analyze verify clean (ExecStart=$binary)"
