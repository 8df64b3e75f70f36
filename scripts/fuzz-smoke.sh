#!/usr/bin/env bash
# A short bounded fuzzing run of every target in fuzz/ (60 s each by default),
# for CI when the nightly toolchain and cargo-fuzz are present. Prints
# "skipped: ..." and exits 0 when they are not; exits 1 when a target crashes
# (the crashing input is left in fuzz/artifacts/<target>/).
#
#   scripts/fuzz-smoke.sh            # 60 s per target
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh yaml_source
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(yaml_source vars compile edit)

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "skipped: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi

cd "$here" || exit 1
[ -d fuzz/corpus ] || fuzz/seed-corpus.sh >/dev/null
cargo +nightly fuzz build >/dev/null || exit 1
failed=0
for t in "${targets[@]}"; do
    log="$(mktemp)"
    # One job, bounded input size and time per input; the dictionary helps
    # reach the keys the targets care about.
    cargo +nightly fuzz run "$t" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -dict=fuzz/serverless.dict -print_final_stats=1 >"$log" 2>&1
    status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')"
    if [ $status -eq 0 ]; then
        echo "$t: ok, ${runs:-?} executions in ${seconds} s"
    else
        failed=1
        echo "$t: FAILED (exit $status); the last lines:"
        tail -n 30 "$log"
    fi
    rm -f "$log"
done
exit $failed
