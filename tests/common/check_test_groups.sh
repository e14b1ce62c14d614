#!/bin/sh
# check_test_groups.sh SRC EXE PARTS - the NAME_groups ctest entry of a
# cmocka suite split into PARTS ctest entries (vgt_test_groups.h): every
# test function SRC defines ("static void test_...(void **state)") is in
# the executable's table exactly once, with a group in 1..PARTS, every
# group has a test, and "EXE --list N" (the tests part N runs, chosen by
# the code that chooses them for the run) is that group.  Fails (1)
# naming each fault.
set -u
src=$1 exe=$2 parts=$3
list=$("$exe" --list) || { echo "$exe --list failed"; exit 1; }
defined=$(sed -n 's/^static void \(test_[a-z0-9_]*\)(void \*\*state)$/\1/p' "$src" | sort)
listed=$(printf '%s\n' "$list" | awk '{print $2}' | sort)
bad=0
for t in $(printf '%s\n' "$defined" | sort -u); do
    n=$(printf '%s\n' "$listed" | grep -cx "$t")
    if [ "$n" -ne 1 ]; then
        echo "$t: in $n groups (want 1)"
        bad=1
    fi
done
for t in $(printf '%s\n' "$listed" | sort -u); do
    if ! printf '%s\n' "$defined" | grep -qx "$t"; then
        echo "$t: listed but not defined in $src"
        bad=1
    fi
done
printf '%s\n' "$list" | while read -r g t; do
    if [ "$g" -lt 1 ] || [ "$g" -gt "$parts" ]; then
        echo "$t: group $g, not in 1..$parts"
        exit 1
    fi
done || bad=1
g=1
while [ "$g" -le "$parts" ]; do
    want=$(printf '%s\n' "$list" | awk -v g="$g" '$1 == g {print $2}')
    if [ -z "$want" ]; then
        echo "group $g: no test"
        bad=1
    fi
    # what NAME_part$g runs: the executable's own selection
    got=$("$exe" --list "$g") || { echo "$exe --list $g failed"; bad=1; }
    if [ "$got" != "$want" ]; then
        echo "group $g runs:" $got
        echo "   the table says:" $want
        bad=1
    fi
    g=$((g + 1))
done
[ "$bad" -eq 0 ] && echo "$(printf '%s\n' "$listed" | wc -l) tests in $parts groups, each once"
exit "$bad"
