#!/usr/bin/env python3
"""Time whole `slsasync` runs against `serverless package` on the same inputs.

Usage: python3 benches/run.py [--runs N] [--no-framework] [--no-cfn-lint] [--out benches/results.md]

Each command runs once to warm up, then N times; the table gives the median
wall time and peak memory (max RSS of the process), the ratio to
`serverless package` on the same input (run through ../shared/oracle/run.sh
when Node.js and that harness are available) and, for `check`, the ratio to
`cfn-lint` on the template the framework compiled from the same input
(cfn-lint from PyPI, installed into target/bench-venv on first use).
Timings on a shared machine are noisy: read the ratios.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "slsasync")
ORACLE = os.path.join(ROOT, "..", "shared", "oracle", "run.sh")


def run_once(cmd, env=None):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def measure(cmd, runs, env=None, warmup=True):
    if warmup:
        run_once(cmd, env)
    walls, rss, codes = [], [], set()
    for _ in range(runs):
        w, m, c = run_once(cmd, env)
        walls.append(w)
        rss.append(m)
        codes.add(c)
    return statistics.median(walls), max(rss), codes


def ensure_cfn_lint():
    """cfn-lint in a private virtual environment under target/ (kept between runs)."""
    venv = os.path.join(ROOT, "target", "bench-venv")
    exe = os.path.join(venv, "bin", "cfn-lint")
    if not os.path.exists(exe):
        try:
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "cfn-lint"], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"cfn-lint unavailable ({e}); its column stays empty", file=sys.stderr)
            return None
    return exe


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--framework-runs", type=int, default=3)
    ap.add_argument("--no-framework", action="store_true")
    ap.add_argument("--no-cfn-lint", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "benches", "results.md"))
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="slsasync-bench-")
    big = os.path.join(tmp, "serverless.yml")
    with open(big, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "gen_config.py"), "1000"], stdout=f, check=True)
    seed = os.path.join(ROOT, "fixtures", "seed", "serverless.yml")
    corpus = os.path.join(ROOT, "fixtures", "realworld", "cases")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704067200")

    have_framework = (not args.no_framework) and shutil.which("node") and os.path.exists(ORACLE)
    cfn_lint = None if args.no_cfn_lint or not have_framework else ensure_cfn_lint()
    templates = {}
    rows = []
    cases = [
        ("render, seed", [BIN, "render", "-c", seed], seed, "1"),
        ("render, 1,000 functions", [BIN, "render", "-c", big], big, "3"),
        ("check, seed", [BIN, "check", seed, "--exit-zero"], seed, "1"),
        ("check, 1,000 functions", [BIN, "check", big, "--exit-zero"], big, "3"),
        ("check, realworld corpus (107 files, one run)", [BIN, "check", corpus, "--exit-zero", "--no-env"], None, None),
    ]
    for name, cmd, fw_input, fw_version in cases:
        t, m, codes = measure(cmd, args.runs, env)
        row = [name, fmt_time(t), f"{m:.1f} MiB", "", "", "", ""]
        if have_framework and fw_input:
            out = os.path.join(tmp, "oracle-" + str(len(rows)))
            ft, _, _ = measure([ORACLE, "-v", fw_version, "-o", out, fw_input], args.framework_runs)
            row[3] = fmt_time(ft)
            row[4] = f"{ft / t:,.0f}x faster"
            template = os.path.join(out, "template.json")
            if os.path.exists(template):
                templates[fw_input] = template
        if cfn_lint and name.startswith("check") and fw_input in templates:
            # cfn-lint takes minutes on the 1,000-function template: one run, no warm-up.
            ct, _, _ = measure([cfn_lint, templates[fw_input]], 1, warmup=False)
            row[5] = fmt_time(ct)
            row[6] = f"{ct / t:,.0f}x faster"
        rows.append(row)
        print(f"{name}: {', '.join(c for c in row[1:] if c)}, exit {sorted(codes)}", flush=True)

    lines = [
        "# Benchmark results",
        "",
        f"Median of {args.runs} runs after a warm-up (framework: {args.framework_runs} runs; cfn-lint: one run), whole processes, "
        f"release build, {os.cpu_count()} cores. `serverless package` runs through `../shared/oracle/run.sh` "
        "(offline, frozen clock). Ratios are what to read; absolute times vary with machine load.",
        "",
        "| input | slsasync | peak memory | serverless package | ratio | cfn-lint on the compiled template | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
