#!/usr/bin/env bash
# Editor schema, checked from outside: every fixture config and every packaged real-world
# config is validated against the schema `slsasync schema` prints, by check-jsonschema (an
# independent JSON Schema validator, ECMAScript regexes), after loading the YAML as js-yaml 4
# (the framework's loader) does, and the verdicts are compared with what Serverless Framework
# 3.40.0 did with each config. Details: tests/tools/schema_external.py and docs/editor.md.
#
#   bash tests/schema-external.sh [-v]
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/tools/venv.sh
tools_venv_ensure

cargo build --quiet --bin slsasync
bin="${CARGO_TARGET_DIR:-target}/debug/slsasync"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" schema > "$work/schema.json"
"$TOOLS_VENV/bin/check-jsonschema" --check-metaschema "$work/schema.json"
"$TOOLS_VENV/bin/python" tests/tools/schema_external.py \
    --fixtures fixtures --schema "$work/schema.json" \
    --validator "$TOOLS_VENV/bin/check-jsonschema" --bin "$bin" --work "$work/json" "$@"
