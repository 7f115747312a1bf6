#!/usr/bin/env bash
# Fuzz the library with cargo-fuzz (libFuzzer): seed each target's corpus from tests/data and
# instruments/, run each target for a bounded time, report executions and crashes.
#
#   scripts/fuzz.sh [--install] [--parallel] [--seconds N] [--sanitizer S] [TARGET...]
#
#   TARGET         definition, csv_score, rules, history, fhir_read (default: all five, one
#                  after the other)
#   --seconds N    run each target for N seconds (default 60)
#   --parallel     run the targets at the same time (one core each)
#   --sanitizer S  none (default: the library forbids unsafe code, so AddressSanitizer would
#                  only slow the targets down, about 5 times), address, leak, memory, thread
#   --install      when nightly Rust or cargo-fuzz is missing, try to install them (rustup
#                  toolchain install nightly --profile minimal; cargo install cargo-fuzz --locked)
#
# Without what it needs (rustup with a nightly toolchain, cargo-fuzz, a C++ compiler for
# libFuzzer), the script says `skipped: …` and exits 0, so that CI can call it anywhere.
# Exit status: 0 when no target crashed, 1 when one did (the input is under
# fuzz/artifacts/TARGET/; see tests/data/fuzz/README.md for turning it into a regression
# test), 2 on a usage error, when fuzz/Cargo.lock is out of date (it is checked, never
# rewritten) or when the fuzz targets do not build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
sanitizer=none
install=false
parallel=false
targets=()
all_targets=(definition csv_score rules history fhir_read)

usage() {
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --sanitizer) sanitizer="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
    --sanitizer=*) sanitizer="${1#*=}"; shift ;;
    --install) install=true; shift ;;
    --parallel) parallel=true; shift ;;
    -h|--help) usage; exit 0 ;;
    definition|csv_score|rules|history|fhir_read) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument \`$1\`" >&2; usage >&2; exit 2 ;;
  esac
done
case "$sanitizer" in
  none|address|leak|memory|thread) ;;
  *) echo "fuzz.sh: unknown sanitizer \`$sanitizer\`" >&2; exit 2 ;;
esac
case "$seconds" in
  ''|*[!0-9]*|0) echo "fuzz.sh: --seconds needs a whole number of seconds, not \`$seconds\`" >&2; exit 2 ;;
esac
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")

skip() {
  echo "fuzz.sh: skipped: $*"
  exit 0
}

# --- What it needs --------------------------------------------------------------------------

have_nightly() { command -v rustup >/dev/null 2>&1 && rustup run nightly rustc --version >/dev/null 2>&1; }
have_cargo_fuzz() { cargo fuzz --version >/dev/null 2>&1; }
have_cxx() { command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1; }

command -v cargo >/dev/null 2>&1 || skip "cargo is not installed"
if ! have_nightly; then
  command -v rustup >/dev/null 2>&1 || skip "nightly Rust is needed and rustup is not installed"
  if $install; then
    echo "fuzz.sh: installing nightly Rust (rustup toolchain install nightly --profile minimal)"
    rustup toolchain install nightly --profile minimal || true
  fi
  have_nightly || skip "nightly Rust is not installed (rustup toolchain install nightly --profile minimal, or run with --install)"
fi
if ! have_cargo_fuzz; then
  if $install; then
    echo "fuzz.sh: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked || true
  fi
  have_cargo_fuzz || skip "cargo-fuzz is not installed (cargo install cargo-fuzz --locked, or run with --install)"
fi
have_cxx || skip "libFuzzer needs a C++ compiler (Debian: apt-get install g++)"

# --- Seed corpora ---------------------------------------------------------------------------

# Copy seed files into fuzz/corpus/TARGET/ (existing corpus entries are kept: the corpus grows
# from run to run on the same machine).
seed() {
  local target="$1"; shift
  local dir="fuzz/corpus/$target" file name
  mkdir -p "$dir"
  for file in "$@"; do
    [ -f "$file" ] || continue
    name="seed-$(printf '%s' "$file" | tr '/' '_')"
    cp "$file" "$dir/$name"
  done
}

shopt -s nullglob
seed definition instruments/*.json crates/screenscore/testdata/*.json tests/data/definitions/*.json \
  tests/data/psych/*/definition.json tests/data/pingouin/definition.json examples/*.json \
  tests/data/fuzz/definition/*
# schema.json is not a definition; a 38 kB seed would only slow the target down.
rm -f fuzz/corpus/definition/seed-instruments_schema.json
seed csv_score examples/*.csv tests/data/psych/*/*.csv tests/data/pingouin/*.csv \
  tests/data/fuzz/csv_score/*
# The rules target reads bytes as choices: its seeds are earlier inputs kept as regressions.
seed rules tests/data/fuzz/rules/*
# The history target reads an intake file with client_id and date columns, optionally followed
# by a NUL and bytes changing it for the second reading: a plain file is read the same twice.
seed history examples/intake.csv tests/data/fuzz/csv_score/*.csv tests/data/fuzz/history/*
# The fhir_read target reads FHIR JSON: the CC0 examples and the kept inputs (a Bundle, NDJSON).
seed fhir_read tests/data/fhir/*.json tests/data/fuzz/fhir_read/*
shopt -u nullglob

# --- Build, then run ------------------------------------------------------------------------

mkdir -p fuzz/logs
# fuzz/Cargo.lock is committed and must be up to date: a build would rewrite a stale one
# silently, and `cargo fuzz build` has no --locked (rust-fuzz/cargo-fuzz#312) nor a way to pass
# it on to cargo. So cargo checks the lock file first, with --locked, and a stale one fails.
echo "fuzz.sh: checking fuzz/Cargo.lock (cargo +nightly metadata --locked)"
if ! cargo +nightly metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml \
    >/dev/null 2>fuzz/logs/lock.log; then
  cat fuzz/logs/lock.log >&2
  echo "fuzz.sh: fuzz/Cargo.lock is out of date (fuzz/Cargo.toml or the library's dependencies" \
    "changed): update it with \`cargo +nightly update --workspace --manifest-path" \
    "fuzz/Cargo.toml\` and commit it" >&2
  exit 2
fi
# And should `cargo fuzz` rewrite it all the same, that fails too (the checked file is put back).
cp fuzz/Cargo.lock fuzz/logs/Cargo.lock.checked
lock_unchanged() {
  cmp -s fuzz/Cargo.lock fuzz/logs/Cargo.lock.checked && return 0
  cp fuzz/logs/Cargo.lock.checked fuzz/Cargo.lock
  echo "fuzz.sh: \`cargo fuzz\` rewrote fuzz/Cargo.lock although \`cargo metadata --locked\`" \
    "accepted it (put back as it was)" >&2
  exit 2
}

echo "fuzz.sh: building the fuzz targets (cargo +nightly fuzz build --sanitizer $sanitizer)"
if ! cargo +nightly fuzz build --sanitizer "$sanitizer" >fuzz/logs/build.log 2>&1; then
  cat fuzz/logs/build.log >&2
  echo "fuzz.sh: the fuzz targets do not build" >&2
  exit 2
fi
lock_unchanged

run_target() {
  local target="$1" log="fuzz/logs/$1.log" options=()
  [ -f "fuzz/dictionaries/$target.dict" ] && options+=("-dict=fuzz/dictionaries/$target.dict")
  # Intake files of up to 4 kB reach every path of the batch scorer, and run 3 times faster
  # than the 12 kB the corpus would otherwise grow to; definitions need up to 16 kB.
  case "$target" in
    csv_score|history) options+=(-max_len=4096) ;;
    definition|fhir_read) options+=(-max_len=16384) ;;
  esac
  # -timeout: an input taking 10 s is reported as a hang; -rss_limit_mb: libFuzzer's default,
  # said aloud. The corpus directory comes first, so new inputs are kept there.
  cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${options[@]}" >"$log" 2>&1
}

# `Done N runs in S second(s)` when the time is up; on a crash, the final stats.
report() {
  local target="$1" status="$2" log="fuzz/logs/$1.log" runs secs crash
  runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  secs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)"
  [ -n "$runs" ] || runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  crash="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
  if [ "$status" = 0 ]; then
    printf 'fuzz.sh: %-10s %12s runs in %s s, no crash\n' "$target" "${runs:-?}" "${secs:-?}"
  else
    printf 'fuzz.sh: %-10s CRASH after %s runs: %s (log: %s)\n' "$target" "${runs:-?}" \
      "${crash:-see the log}" "$log"
    if grep -q "panicked at" "$log"; then
      grep -m1 -A1 "panicked at" "$log" | sed 's/^/    /'
    elif [ -z "$crash" ]; then
      grep -v '^#' "$log" | grep -v '^ *[0-9]*: \|^ *at ' | tail -n 8 | sed 's/^/    /'
    fi
  fi
}

failed=0
if $parallel && [ "${#targets[@]}" -gt 1 ]; then
  echo "fuzz.sh: running ${targets[*]} in parallel, $seconds s each"
  pids=()
  for t in "${targets[@]}"; do
    run_target "$t" & pids+=($!)
  done
  for i in "${!targets[@]}"; do
    status=0; wait "${pids[$i]}" || status=$?
    report "${targets[$i]}" "$status"
    [ "$status" = 0 ] || failed=1
  done
else
  for t in "${targets[@]}"; do
    echo "fuzz.sh: running $t for $seconds s"
    status=0; run_target "$t" || status=$?
    report "$t" "$status"
    [ "$status" = 0 ] || failed=1
  done
fi
lock_unchanged
if [ "$failed" != 0 ]; then
  echo "fuzz.sh: crashes found: minimise with \`cargo +nightly fuzz tmin TARGET ARTIFACT\`, fix," \
    "and keep the input under tests/data/fuzz/TARGET/ (tests/data/fuzz/README.md)" >&2
fi
exit "$failed"
