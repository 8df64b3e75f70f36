#!/usr/bin/env bash
# Seed fuzz/corpus/<target>/ from the fixtures (the corpus is git-ignored;
# this script is how it is made). Each seed is a fixture file, prefixed with
# the option bytes the target reads first:
#   yaml_source: the file as is
#   vars, compile: 1 byte (framework release, stage, flags)
#   edit: 4 bytes (transform and flags, status, event selector, function)
# Usage: fuzz/seed-corpus.sh            (from anywhere)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixtures="$here/../fixtures"
corpus="$here/corpus"
mkdir -p "$corpus"/{yaml_source,vars,compile,edit}

n=0
seed() { # target prefix-bytes(printf format) file
    local target=$1 prefix=$2 file=$3
    n=$((n + 1))
    { printf "$prefix"; cat "$file"; } > "$corpus/$target/seed-$n"
}

configs() { # every YAML config fixture, smallest first, at most $1
    find "$fixtures/conformance/cases" "$fixtures/conformance-random/cases" \
        "$fixtures/realworld/cases" "$fixtures/rules" "$fixtures/edit" \
        "$fixtures/vars" "$fixtures/seed" "$fixtures/bad" \
        -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.json' \) \
        -size -64k -not -name 'expected*' -printf '%s %p\n' 2>/dev/null |
        sort -n | awk '{print $2}' | awk -v max="$1" 'NR % 2 == 1 && c < max {print; c++}'
}

while IFS= read -r f; do seed yaml_source '' "$f"; done < <(configs 300)

i=0
while IFS= read -r f; do
    seed vars "\\x$(printf '%02x' $((i % 4 | (i & 3) << 4)))" "$f"
    i=$((i + 1))
done < <(find "$fixtures/vars" "$fixtures/edit" -type f -name '*.yml' -size -64k | sort)

i=0
while IFS= read -r f; do
    seed compile "\\x$(printf '%02x' $(((i * 37) % 256)))" "$f"
    i=$((i + 1))
done < <(configs 200)

i=0
while IFS= read -r f; do
    for t in 0 1 2; do
        seed edit "\\x$(printf '%02x' $t)\\x02\\x$(printf '%02x' $((i % 8)))\\x00" "$f"
    done
    i=$((i + 1))
done < <(find "$fixtures/edit" "$fixtures/seed" "$fixtures/rules/SLS-ASYNC-"* \
    "$fixtures/conformance/cases" -type f -name '*.yml' -size -32k | sort)

for t in yaml_source vars compile edit; do
    echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
