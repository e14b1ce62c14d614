#!/bin/sh
# run_shake.sh BUILD: make shake's runs (docs/conventions.md, "Shaking the
# live-capture tests") in BUILD, a tree configured with -DVGT_SHAKE=ON:
#   - the ctest entries labelled live-capture SHAKE_RUNS times (default 3),
#     each run with its own VGT_SHAKE_SEED (the device's passes end after
#     1..6 commands, the sample driver writes IRQMASK after a third of its
#     commits: base/shake.c);
#   - the entries labelled chunk-layout once per layout of SHAKE_LAYOUTS,
#     every capture they make through `expect` rechunked by
#     tests/shake/shake_layout.sh (VGT_SHAKE_LAYOUT, tests/capture/
#     cli_common.sh).
# SHAKE_TESTS: a ctest regex (-R) narrowing both; SHAKE_SEED: the first
# run's seed (default from the clock; run N has SHAKE_SEED + N - 1);
# SHAKE_JOBS: ctest -j (default 2).  Prints a line per test (runs,
# failures, the seeds and layouts that failed) and exits 1 on any failure,
# 2 on a usage or setup error.  Logs: BUILD/shake-logs/.
set -u
BUILD=${1:-}
if [ -z "$BUILD" ] || [ ! -f "$BUILD/CMakeCache.txt" ]; then
    echo "run_shake.sh: usage: run_shake.sh BUILD (a tree configured with -DVGT_SHAKE=ON)" >&2
    exit 2
fi
grep -q '^VGT_SHAKE:BOOL=ON$' "$BUILD/CMakeCache.txt" || {
    echo "run_shake.sh: $BUILD was not configured with -DVGT_SHAKE=ON: nothing would be shaken" >&2
    exit 2
}
BUILD=$(cd "$BUILD" && pwd)
RUNS=${SHAKE_RUNS:-3}
TESTS=${SHAKE_TESTS:-}
LAYOUTS=${SHAKE_LAYOUTS-frame_end frame_hash register_write timing fence command_batch 1}
JOBS=${SHAKE_JOBS:-2}
SEED=${SHAKE_SEED:-$(($(date +%s) % 1000000 * 1000))}
case "$RUNS$SEED$JOBS" in *[!0-9]*)
    echo "run_shake.sh: SHAKE_RUNS, SHAKE_SEED and SHAKE_JOBS are numbers" >&2
    exit 2
    ;;
esac
RECHUNK="$BUILD/tests/capture/capture_rechunk_trace"
[ -x "$RECHUNK" ] || { echo "run_shake.sh: $RECHUNK is not built" >&2; exit 2; }
LOGS="$BUILD/shake-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS" || exit 2
RESULTS="$LOGS/results.txt" # one line a test run: NAME OK|FAIL HOW
: >"$RESULTS"

# run_ctest LOG HOW LABEL: the entries of LABEL (and SHAKE_TESTS) once,
# each one's outcome appended to RESULTS with HOW (seed=N, layout=L).
run_ctest() {
    log=$1 how=$2 label=$3
    (cd "$BUILD" && ctest -L "^$label\$" ${TESTS:+-R "$TESTS"} -j "$JOBS" --output-on-failure) >"$log" 2>&1
    # ctest's line a test: "  1/39 Test  #5: NAME ......   Passed    1.2 sec"
    awk -v how="$how" '/ Test +#[0-9]+: / {
        for (i = 1; i <= NF; i++) if ($i ~ /^#[0-9]+:$/) { name = $(i + 1); break }
        ok = ($0 ~ / Passed / || $0 ~ /Skipped/) ? "OK" : "FAIL"
        print name, ok, how
    }' "$log" >>"$RESULTS"
    grep -q " Test  *#[0-9]*: " "$log" || {
        echo "run_shake.sh: ctest ran no $label test (SHAKE_TESTS='$TESTS'?): $(tail -n 3 "$log")" >&2
        return 1
    }
}

start=$(date +%s)
i=1
while [ "$i" -le "$RUNS" ]; do
    s=$((SEED + i - 1))
    echo "shake: live-capture run $i of $RUNS, VGT_SHAKE_SEED=$s"
    VGT_SHAKE_SEED=$s run_ctest "$LOGS/run-$i-seed-$s.log" "seed=$s" live-capture || exit 2
    i=$((i + 1))
done
for layout in $LAYOUTS; do
    echo "shake: chunk-layout run, VGT_SHAKE_LAYOUT=$layout"
    VGT_SHAKE_SEED=$SEED VGT_SHAKE_LAYOUT=$layout VGT_SHAKE_RECHUNK=$RECHUNK \
        run_ctest "$LOGS/layout-$layout.log" "layout=$layout" chunk-layout || exit 2
done

echo
echo "shake: $(($(date +%s) - start)) s; per test: runs, failures, what failed (logs: $LOGS)"
awk '{ runs[$1]++; if ($2 == "FAIL") { fails[$1]++; how[$1] = how[$1] " " $3 } }
     END {
         for (t in runs) printf "  %-32s %3d run%s %3d failed%s\n", t, runs[t], runs[t] == 1 ? " " : "s", fails[t], how[t]
     }' "$RESULTS" | sort
nfail=$(grep -c ' FAIL ' "$RESULTS")
echo "shake: $(wc -l <"$RESULTS") test runs, $nfail failed"
[ "$nfail" -eq 0 ]
