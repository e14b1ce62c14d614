# Sourced by the shell tests' common files: `python3` is Debian's
# (/usr/bin/python3, which scripts/setup-deps installs) where there is one,
# before the first python3 on PATH, which may be a version manager's shim:
# pyenv's took ~0.8 s a start on the project's hosts against 0.14 s for the
# interpreter, and cli_skipcount alone starts python3 some 60 times (half
# of its 90 s).  CMake finds the tests' python3 by the same rule
# (VGT_TEST_PYTHON3, tests/CMakeLists.txt).
if [ -x /usr/bin/python3 ]; then
    python3() { /usr/bin/python3 "$@"; }
fi
