#!/bin/sh
# shake_build_test.sh VGT DIR: make shake's build shakes (VGT_SHAKE, a tree
# configured with -DVGT_SHAKE=ON only): in a capture of draw-calls the
# driver's extra IRQMASK writes (its own value again, 0 outside a fence
# wait, after a third of its commits) are about a third of its commands,
# the same number again for the same VGT_SHAKE_SEED; the seed is said on
# stderr when the environment gives none.  (The device's short passes
# leave no trace of their own: a command_batch record is the command log's,
# which the records between commands end, not a pass.)
VGT=$1
T=$2
rm -rf "$T" && mkdir -p "$T" || exit 1
. "$(dirname "$0")/../capture/cli_common.sh"

# shaken SEED NAME: a capture of draw-calls (null backend, 3 frames of 100
# draws); sets COMMANDS and EXTRA (IRQMASK=0 writes less the fence waits'
# IRQMASK=4 and the mode set's one)
shaken() {
    VGT_SHAKE_SEED=$1 expect 0 "$VGT" run draw-calls --count 100 --frames 3 --backend null --capture "$T/$2.vgt"
    grep -q "vgt shake:" "$T/err.txt" && fail "seed $1 given, yet said: $(cat "$T/err.txt")"
    expect 0 "$VGT" dump "$T/$2.vgt"
    COMMANDS=$(grep -c '^ *[0-9][0-9]* *[0-9][0-9]* [A-Z]' "$T/out.txt")
    zero=$(grep -c ' REG IRQMASK=0 ' "$T/out.txt")
    goal=$(grep -c ' REG IRQMASK=4 ' "$T/out.txt")
    EXTRA=$((zero - goal - 1))
}
shaken 7 a
[ "$COMMANDS" -ge 300 ] || fail "draw-calls: $COMMANDS commands, expected 300 or more"
# about COMMANDS / 3 (binomial: ~110 +- 9 here); half that is far out
[ "$EXTRA" -ge $((COMMANDS / 6)) ] && [ "$EXTRA" -le $((COMMANDS / 2)) ] ||
    fail "$EXTRA extra IRQMASK writes for $COMMANDS commands: expected about a third (not a VGT_SHAKE build?)"
first=$EXTRA
shaken 7 b
[ "$EXTRA" -eq "$first" ] || fail "seed 7: $first extra IRQMASK writes, then $EXTRA"
# no seed given (make shake gives its runs one): one picked, and said once
expect 0 env -u VGT_SHAKE_SEED "$VGT" run draw-calls --count 10 --frames 2 --backend null --capture "$T/c.vgt"
[ "$(grep -c '^vgt shake: VGT_SHAKE_SEED=[0-9]* (pid [0-9]*)$' "$T/err.txt")" -eq 1 ] ||
    fail "the seed not said once: $(cat "$T/err.txt")"
rm -rf "$T"
echo "shake_build: ok"
