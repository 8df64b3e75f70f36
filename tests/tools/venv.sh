# Sourced by tests/pre-commit.sh and tests/schema-external.sh (from the repository root):
# a Python virtual environment holding the pinned tools of tests/tools/requirements.txt,
# cached under target/ and rebuilt only when that file or the Python version changes.
# Sets TOOLS_VENV.

TOOLS_VENV="${SLSASYNC_TOOLS_VENV:-$PWD/target/test-tools/venv}"

tools_venv_ensure() {
    local python stamp
    python="$(command -v python3 || true)"
    if [ -z "$python" ]; then
        echo "error: python3 not found; these tests install pre-commit and check-jsonschema from PyPI into a venv" >&2
        echo "help: install Python 3 with its venv module (Debian: apt-get install python3 python3-venv)" >&2
        return 1
    fi
    stamp="$("$python" -c 'import sys; print(sys.version.split()[0])') $(sha256sum tests/tools/requirements.txt | cut -d' ' -f1)"
    if [ -x "$TOOLS_VENV/bin/python" ] && [ "$(cat "$TOOLS_VENV/.stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    echo "-- creating $TOOLS_VENV (pre-commit, check-jsonschema from PyPI)"
    rm -rf "$TOOLS_VENV"
    mkdir -p "$(dirname "$TOOLS_VENV")"
    "$python" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --require-virtualenv -r tests/tools/requirements.txt
    echo "$stamp" > "$TOOLS_VENV/.stamp"
}
