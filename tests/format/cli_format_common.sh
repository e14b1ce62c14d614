# What the CLI test scripts of tests/format share (sourced, with the
# script's arguments VGT MAKE_TRACE DIR and NAME set to its name): VGT, MK
# and T set from them, T a fresh directory removed at exit, and fail
# MESSAGE, which reports "NAME: MESSAGE" and exits 1.
set -u
. "$(dirname "$0")/../common/python3.sh"
VGT=$1
MK=$2
T=$3
rm -rf "$T"
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fail() {
    echo "$NAME: $*" >&2
    exit 1
}
