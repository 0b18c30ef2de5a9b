#!/usr/bin/env bash
# The fuzzing campaign over every parser of user input (see fuzz/README.md).
#
# usage: scripts/fuzz.sh [TARGET...]   (default: every target in fuzz/Cargo.toml)
#   needs: cargo-fuzz (`cargo install cargo-fuzz`) and any Rust toolchain, stable included
#   (RUSTC_BOOTSTRAP=1 is set here because cargo-fuzz passes -Z flags); ASan (the default,
#   `-s address`) needs nothing more on x86_64 Linux; ~3 GB of disk for the fuzz build.
#   env: RUNS=1000000 (executions per target), SANITIZER=address (or none when the
#   sanitizer runtime is missing), MAX_LEN=8192, TIMEOUT=10 (seconds per input before a
#   hang is reported), RSS_MB=2048 (memory per input before an out-of-memory is reported),
#   NICE=10.
# Corpora grow in fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET); a crash, hang or OOM
# leaves its input in fuzz/artifacts/TARGET/ and stops that target. A summary (target,
# executions, exec/s, result) is printed at the end and written to fuzz/campaign.txt.
set -u
cd "$(dirname "$0")/../fuzz"

RUNS=${RUNS:-1000000}
SANITIZER=${SANITIZER:-address}
MAX_LEN=${MAX_LEN:-8192}
TIMEOUT=${TIMEOUT:-10}
RSS_MB=${RSS_MB:-2048}
NICE=${NICE:-10}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "scripts/fuzz.sh: needs cargo-fuzz (cargo install cargo-fuzz)" >&2
    exit 2
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

nice -n "$NICE" cargo fuzz build -s "$SANITIZER" || exit 1

mkdir -p logs
{
    echo "# scripts/fuzz.sh: RUNS=$RUNS SANITIZER=$SANITIZER MAX_LEN=$MAX_LEN $(date -u +%F)"
    printf '%-16s %12s %10s %s\n' target executions exec/s result
} >campaign.txt
failed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="logs/$t.log"
    echo "== $t: $RUNS executions ($SANITIZER)" >&2
    start=$(date +%s)
    nice -n "$NICE" cargo fuzz run -s "$SANITIZER" "$t" "corpus/$t" "seeds/$t" -- \
        -runs="$RUNS" -max_len="$MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        failed=1
        result="FAILED (rc $rc, ${secs}s; see fuzz/$log and fuzz/artifacts/$t/)"
    fi
    printf '%-16s %12s %10s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result" | tee -a campaign.txt
done
echo "summary in fuzz/campaign.txt" >&2
exit $failed
