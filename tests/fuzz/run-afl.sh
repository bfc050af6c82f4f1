#!/usr/bin/env bash
# Fuzz one target of the wire codec with AFL++ through SharpFuzz.
# usage: tests/fuzz/run-afl.sh frame|handshake|consensus [SECONDS]   (default 60 s)
# Prints the number of crashes at the end and exits 1 if there are any; crashing inputs are in
# tests/fuzz/findings/TARGET/default/crashes/ (git-ignored). See tests/fuzz/README.md.
set -euo pipefail
target=${1:?usage: run-afl.sh frame|handshake|consensus [SECONDS]}
seconds=${2:-60}
case "$target" in frame|handshake|consensus) ;; *) echo "unknown target '$target' (frame, handshake or consensus)" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "installing afl++"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
fi
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null 2>&1; then
  echo "installing the SharpFuzz instrumentation tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

out="$here/instrumented/$target"
rm -rf "$out"
dotnet publish CretoAI.Fast.Fuzz/CretoAI.Fast.Fuzz.csproj -c Release -o "$out" >/dev/null
# Instrument the code under test (not the harness, not the runtime) so AFL++ sees its branches.
if [ "$target" = consensus ]; then
  sharpfuzz "$out/CretoAI.Fast.Consensus.dll"
else
  sharpfuzz "$out/CretoAI.Fast.Wire.dll"
  sharpfuzz "$out/MessagePack.dll"
fi

findings="$here/findings/$target"
rm -rf "$findings"
mkdir -p "$here/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
afl-fuzz -V "$seconds" -t 5000 -m none -i "corpus/$target" -o "$findings" -- "$out/CretoAI.Fast.Fuzz" "$target" | tail -n 25

stats="$findings/default/fuzzer_stats"
execs=$(sed -n 's/^execs_done *: *//p' "$stats")
speed=$(sed -n 's/^execs_per_sec *: *//p' "$stats")
crashes=$(find "$findings/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
echo "target=$target seconds=$seconds execs=$execs execs_per_sec=$speed crashes=$crashes"
[ "$crashes" -eq 0 ]
