#!/usr/bin/env bash
# The hooks of .pre-commit-hooks.yaml, run by the real pre-commit (from PyPI, in a venv cached
# under target/) with `pre-commit try-repo` against this repository, in a scratch git project
# holding a serverless.yml with a finding that has a safe fix:
#
#   slsasync-system   (language: system, the slsasync built here on PATH) fails with the finding;
#   slsasync          (language: rust: pre-commit runs `cargo install --path .`) fails with it;
#   slsasync-fix      (language: rust) fails and rewrites the file;
#   then, the fix staged, all three pass.
#
# try-repo clones the repository at HEAD; for uncommitted changes to tracked files it makes a
# temporary commit, and it leaves untracked files out. On a clean clone (CI) the repository is
# used as it is; in a working tree with changes, the tree as it is on disk (tracked and
# untracked files, .gitignore applied) is committed to a scratch repository first, so what is
# tested is what is on disk.
#
# The rust hook's build reuses ~/.cargo (registry cache) and keeps its target directory in
# target/pre-commit-cargo, so only slsasync itself is rebuilt by later builds and runs.
#
#   bash tests/pre-commit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
. tests/tools/venv.sh
tools_venv_ensure
pre_commit="$TOOLS_VENV/bin/pre-commit"

cargo build --quiet --bin slsasync
bin_dir="$(dirname "$(realpath "${CARGO_TARGET_DIR:-target}/debug/slsasync")")"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export PRE_COMMIT_HOME="$scratch/pre-commit-home" PRE_COMMIT_COLOR=never
export CARGO_TARGET_DIR="$root/target/pre-commit-cargo"
# pre-commit builds with `cargo install`, i.e. the release profile. What the hooks do does not
# depend on how hard the optimiser works, so this test builds without optimisation, LTO or a
# single code generation unit: its builds then take a fraction of the full profile's time
# (the full profile's build is what `cargo install --path .` measures).
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0

passed=0
failed=0
pass() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

if "$pre_commit" validate-manifest .pre-commit-hooks.yaml; then
    pass ".pre-commit-hooks.yaml is a valid pre-commit manifest"
else
    fail ".pre-commit-hooks.yaml is not a valid pre-commit manifest"
fi

# --- the hook repository -------------------------------------------------------------------
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -z "$(git status --porcelain)" ]; then
    hook_repo="$root"
    echo "-- hook repository: $root at $(git rev-parse --short HEAD) (clean)"
else
    hook_repo="$scratch/hook-repo"
    mkdir -p "$hook_repo"
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
            | tar --null -T - -cf - | tar -xf - -C "$hook_repo"
    else
        tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$hook_repo"
    fi
    git -C "$hook_repo" init -q
    git -C "$hook_repo" add -A
    git -C "$hook_repo" commit -q -m "working tree"
    echo "-- hook repository: snapshot of the working tree (uncommitted changes present)"
fi

# --- the project ---------------------------------------------------------------------------
project="$scratch/project"
mkdir -p "$project/api"
cd "$project"
git init -q
cat > api/serverless.yml <<'YAML'
service: orders
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs18.x
functions:
  create:
    handler: handler.create # the slow part: answer the client first
    events:
      - http:
          path: orders
          method: post
          async: true
          response:
            statusCodes:
              202:
                pattern: ''
YAML
# Not a config by its name: the hooks must leave it alone, findings or not.
cp api/serverless.yml api/not-serverless.yml
git add -A
git commit -q -m "bad config"

try_repo() { # try_repo LOG [HOOK]: run pre-commit try-repo on all files, output in LOG
    local log="$1"
    shift
    set +e
    "$pre_commit" try-repo "$hook_repo" "$@" --all-files --verbose >"$log" 2>&1
    local rc=$?
    set -e
    return $rc
}

expect_finding() { # expect_finding NAME LOG RC
    local name="$1" log="$2" rc="$3"
    if [ "$rc" -ne 0 ] && grep -q "Failed" "$log" \
        && grep -q "api/serverless.yml:13:18: warning\[SLS-ASYNC-001\]" "$log" \
        && ! grep -q "not-serverless" "$log"; then
        pass "$name fails with the finding on api/serverless.yml (exit $rc)"
    else
        fail "$name should fail with SLS-ASYNC-001 at api/serverless.yml:13:18 (exit $rc):"
        sed 's/^/    /' "$log"
    fi
}

# 1. system hook: the binary on PATH.
rc=0
PATH="$bin_dir:$PATH" try_repo "$scratch/system.log" slsasync-system || rc=$?
expect_finding "slsasync-system" "$scratch/system.log" "$rc"

# 2. rust hook: built by pre-commit with cargo install, not the one on PATH.
start=$SECONDS
rc=0
try_repo "$scratch/rust.log" slsasync || rc=$?
echo "-- slsasync (language: rust) build and run: $((SECONDS - start)) s"
expect_finding "slsasync" "$scratch/rust.log" "$rc"

# 3. fixing hook: fails because it changed the file, and the change is the fix.
start=$SECONDS
rc=0
try_repo "$scratch/fix.log" slsasync-fix || rc=$?
echo "-- slsasync-fix (language: rust) build and run: $((SECONDS - start)) s"
if [ "$rc" -ne 0 ] && grep -q "files were modified by this hook" "$scratch/fix.log" \
    && git diff --quiet -- api/not-serverless.yml \
    && [ "$(git diff --numstat -- api/serverless.yml | cut -f1,2)" = "$(printf '1\t0')" ] \
    && git diff -U0 -- api/serverless.yml | grep -qx '+          integration: lambda'; then
    pass "slsasync-fix fails and adds \`integration: lambda\` (one line, nothing else)"
else
    fail "slsasync-fix should fail after adding \`integration: lambda\` (exit $rc):"
    sed 's/^/    /' "$scratch/fix.log"
    git diff | sed 's/^/    /'
fi

# 4. the fix staged: every hook passes.
git add -A
start=$SECONDS
rc=0
PATH="$bin_dir:$PATH" try_repo "$scratch/all.log" || rc=$?
echo "-- all hooks after the fix: $((SECONDS - start)) s"
n_passed=$(grep -cE '^slsasync.*Passed$' "$scratch/all.log" || true)
if [ "$rc" -eq 0 ] && [ "$n_passed" -eq 3 ] && git diff --quiet; then
    pass "after the fix slsasync, slsasync-fix and slsasync-system pass"
else
    fail "after the fix every hook should pass and change nothing (exit $rc, $n_passed passed):"
    sed 's/^/    /' "$scratch/all.log"
fi

echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
