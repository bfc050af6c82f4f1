#!/usr/bin/env bash
# Scrapes a validator's metrics endpoint and lints the output with `promtool check metrics`
# (Prometheus naming and format rules). Exits non-zero if the scrape fails, the output is empty,
# or promtool reports any problem.
#
#   tools/check-metrics.sh http://127.0.0.1:9400/metrics
#
# promtool comes with Debian's `prometheus` package (about 100 MB installed; no smaller package
# ships it). It is installed when missing and this runs as root; installing does not start the
# Prometheus server (and where a service manager would start it, it is stopped right away).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 URL    (e.g. http://127.0.0.1:9400/metrics)" >&2
  exit 64
fi
url=$1

if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: promtool not found; install it with: sudo apt-get install --no-install-recommends prometheus" >&2
    exit 1
  fi
  echo "installing promtool (Debian package prometheus)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl stop prometheus || true
  fi
fi

body=$(mktemp)
trap 'rm -f "$body"' EXIT
if ! curl --silent --show-error --fail --max-time 10 "$url" -o "$body"; then
  echo "error: could not scrape $url" >&2
  exit 1
fi
if [ ! -s "$body" ]; then
  echo "error: $url answered an empty body" >&2
  exit 1
fi

# promtool exits 0 with lint warnings on some versions: treat any output as a failure.
lint=$(promtool check metrics < "$body" 2>&1) || { echo "$lint" >&2; exit 1; }
if [ -n "$lint" ]; then
  echo "$lint" >&2
  exit 1
fi
echo "ok: $(grep -c '^# TYPE ' "$body") metric families from $url pass promtool check metrics"
