#!/usr/bin/env bash
# Short fuzz run, as CI runs it: build the harness in Release, replay every seed corpus in-process, then (mode afl)
# instrument copies of the Rampart assemblies with SharpFuzz and run each target under afl-fuzz for a few seconds.
# Exits non-zero when any input makes a target throw, printing the input's path and the exception.
#
#   fuzz/run-short.sh            replay + afl (needs afl-fuzz: apt-get install afl++; installs the sharpfuzz tool)
#   fuzz/run-short.sh replay     replay only: fast, deterministic, no AFL
#
# Environment: FUZZ_SECONDS (per target, default 20), FUZZ_TARGETS (space-separated, default all),
# FUZZ_WORK (where builds, instrumented copies and findings go; default a new folder under /tmp, kept on failure).
# Long runs and what to do with a finding: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-afl}
seconds=${FUZZ_SECONDS:-20}
work=${FUZZ_WORK:-$(mktemp -d /tmp/rampart-fuzz.XXXXXX)}
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '== fuzz: %s\n' "$*"; }

case "$mode" in
  afl|replay) ;;
  *) echo "usage: $0 [afl|replay]" >&2; exit 2 ;;
esac

# Build into the work folder: never into the repository's artifacts, and never instrument those.
log "build (Release) into $work/bin"
rm -rf "$work/bin" "$work/afl-bin"
if ! RAMPART_ARTIFACTS="$work/artifacts" dotnet publish fuzz/Rampart.Fuzz/Rampart.Fuzz.csproj -c Release \
    -o "$work/bin" >"$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log"
  exit 1
fi
harness=("$(command -v dotnet)" "$work/bin/Rampart.Fuzz.dll")
targets=${FUZZ_TARGETS:-$("${harness[@]}" list | awk '{print $1}')}

log "replay the seed corpora in-process"
if ! "${harness[@]}" replay all fuzz/corpus; then
  log "a seed input fails (see above); findings are kept in $work"
  exit 1
fi
[ "$mode" = replay ] && exit 0

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz not found: apt-get install -y afl++ (or run '$0 replay')" >&2
  exit 1
fi

tools="${XDG_CACHE_HOME:-$HOME/.cache}/rampart-fuzz/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  log "install the SharpFuzz.CommandLine tool into $tools"
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >"$work/tool.log" 2>&1 \
    || { cat "$work/tool.log"; exit 1; }
fi

# Only the code under test is instrumented: the Rampart libraries, not the harness, SharpFuzz or the framework.
# They are instrumented in a copy: instrumented code only runs under afl-fuzz, and findings are replayed with $work/bin.
log "instrument the Rampart assemblies (copies in $work/afl-bin)"
cp -r "$work/bin" "$work/afl-bin"
for dll in "$work"/afl-bin/Rampart.*.dll; do
  [ "$(basename "$dll")" = Rampart.Fuzz.dll ] && continue
  "$tools/sharpfuzz" "$dll" >>"$work/instrument.log" 2>&1 || { cat "$work/instrument.log"; exit 1; }
done

# AFL on a shared CI machine: no CPU pinning or governor checks, no core-dump handler check, no screen UI; the
# target is a managed program, not an instrumented ELF, so the binary check is skipped; the .NET runtime needs
# more than AFL's default time to start its fork server.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1

crashes=0
mkdir -p "$work/findings"
for target in $targets; do
  out="$work/findings/$target"
  rm -rf "$out"
  log "afl-fuzz $target for ${seconds}s"
  afl-fuzz -i "fuzz/corpus/$target" -o "$out" -t 5000 -m none -V "$seconds" \
    -- "${harness[0]}" "$work/afl-bin/Rampart.Fuzz.dll" run "$target" >"$work/afl-$target.log" 2>&1 || {
      echo "afl-fuzz failed for $target:"; tail -n 20 "$work/afl-$target.log"; exit 1; }
  stats="$out/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    awk -F' *: *' '/^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs)/ {printf "   %s=%s", $1, $2} END {print ""}' "$stats"
  fi
  # Findings already saved in fuzz/crashes-found/ (waiting for their fix) are reported but do not fail the run.
  known=""
  if compgen -G "fuzz/crashes-found/$target-*" >/dev/null; then
    known=$("${harness[@]}" replay "$target" fuzz/crashes-found/"$target"-* | grep '^SIGNATURE' | sort -u || true)
  fi
  shown=0
  for input in "$out"/default/crashes/id:*; do
    [ -e "$input" ] || continue
    signature=$("${harness[@]}" replay "$target" "$input" | grep '^SIGNATURE' || true)
    if [ -n "$signature" ] && [ -n "$known" ] && grep -qxF "$signature" <<<"$known"; then
      echo "KNOWN (see fuzz/crashes-found) $target $input"
      continue
    fi
    crashes=$((crashes + 1))
    echo "CRASH $target $input"
    # The first three with their exception; the rest are usually the same bug reached again.
    if [ "$shown" -lt 3 ]; then
      shown=$((shown + 1))
      "${harness[@]}" replay "$target" "$input" | head -n 12 || true
    fi
  done
  for input in "$out"/default/hangs/id:*; do
    [ -e "$input" ] || continue
    # A hang is an input that took longer than 5 s on a busy machine: reported, not fatal (replay it to judge).
    echo "HANG (not fatal) $target $input"
  done
done

if [ "$crashes" -gt 0 ]; then
  log "$crashes crashing input(s); findings are kept in $work/findings (see docs/fuzzing.md)"
  exit 1
fi
log "no crash in $(echo $targets | wc -w) targets"
[ -z "${FUZZ_WORK:-}" ] && rm -rf "$work"
exit 0
