#!/usr/bin/env python3
"""Record the make-async / make-sync differential fixtures.

For every conformance case (fixtures/conformance/cases/*), every packaged
real-world file (fixtures/realworld, cases.tsv packaged=True, without
`${file(...)}` / `${env:...}`), and every function with http events in it,
this applies, with `--all` (every http event of the function):

  make-async                       on the original   -> <case>__<fn>__make-async
  make-sync                        on the original   -> <case>__<fn>__make-sync
  make-sync --proxy                on the original   -> <case>__<fn>__make-sync-proxy
  make-sync                        on make-async's result -> <case>__<fn>__make-async__make-sync
  make-sync --proxy                on make-async's result -> <case>__<fn>__make-async__make-sync-proxy

A transform that changes nothing is not recorded (its result is the input,
already covered). Each fixture directory of fixtures/edit-differential/ holds:

  command            `input <path>` (the transform's input, relative to the
                     crate root), `transform <args>`, `render <args>`,
                     `versions <list>` (framework majors recorded)
  serverless.yml     the transform's result
  expected-apigw.json / expected-error.txt          Serverless Framework 3.40.0
  expected-apigw.v1.json / expected-error.v1.txt    Serverless Framework 1.83.3
                     (conformance cases that have .v1 outputs)

The framework outputs come from `serverless package` (Serverless Framework
3.40.0 and 1.83.3) run offline by the runner at ../shared/oracle/run.sh
(relative to the crate root; SLS_FRAMEWORK_RUNNER overrides), with the clock
frozen at 2024-01-01T00:00:00.000Z. tests/edit_differential.rs replays every
fixture without Node.js.

Usage (from the crate root, after `cargo build`):

  python3 scripts/record-edit-differential.py plan      # write inputs, list what needs the framework
  python3 scripts/record-edit-differential.py record [--limit N] [--jobs 2]
  python3 scripts/record-edit-differential.py summary

`record` only runs the framework where a fixture's serverless.yml changed or an
output is missing, so it can be run in batches. Needs PyYAML (to list the
functions) and Node.js (for the framework). Not run in CI.
"""
import argparse
import concurrent.futures as cf
import csv
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures/edit-differential"
# Runs `serverless package` offline for a given framework major (-v) into -o DIR.
FRAMEWORK = pathlib.Path(
    os.environ.get("SLS_FRAMEWORK_RUNNER", str(ROOT.parent / "shared/oracle/run.sh"))
)
EPOCH = "1704067200"

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("record-edit-differential needs PyYAML (pip install pyyaml)")


class Loader(yaml.SafeLoader):
    pass


Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def http_functions(text):
    try:
        data = yaml.load(text, Loader=Loader)
    except Exception:
        return []
    fns = (data or {}).get("functions") if isinstance(data, dict) else None
    if not isinstance(fns, dict):
        return []
    out = []
    for name, f in fns.items():
        evs = f.get("events") if isinstance(f, dict) else None
        if isinstance(evs, list) and any(isinstance(e, dict) and "http" in e for e in evs):
            out.append(str(name))
    return out


def sources():
    """(name, config path, render args, top-level keys to strip, framework majors)."""
    for d in sorted((ROOT / "fixtures/conformance/cases").iterdir()):
        cfg = d / "serverless.yml"
        if not cfg.is_file():
            continue
        versions = ["3"]
        if (d / "expected-apigw.v1.json").is_file() or (d / "expected-error.v1.txt").is_file():
            versions.append("1")
        yield "conformance__" + d.name, cfg, [], [], versions
    with open(ROOT / "fixtures/realworld/cases.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["packaged"] != "True":
                continue
            cfg = ROOT / "fixtures/realworld/cases" / row["case"] / "serverless.yml"
            text = cfg.read_text(encoding="utf-8-sig")
            if "${file(" in text or "${env:" in text:
                continue
            render = ["--stage", "dev"] if "--stage dev" in row["attempt"] else []
            strip = []
            attempt = row["attempt"]
            if attempt.startswith("stripped:"):
                strip = attempt.split(":", 1)[1].split(" ", 1)[0].split(",")
            yield "realworld__" + row["case"], cfg, render, strip, ["3"]


def env():
    e = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_COLOR="1")
    return e


def transform(bin_, text, args):
    with tempfile.TemporaryDirectory() as tmp:
        p = pathlib.Path(tmp) / "serverless.yml"
        p.write_bytes(text)
        r = subprocess.run([bin_] + args + ["-c", str(p)], capture_output=True, env=env())
        return r.returncode, p.read_bytes(), r.stderr.decode("utf-8", "replace")


def rel(p):
    return str(pathlib.Path(p).resolve().relative_to(ROOT))


def plan(bin_):
    jobs, notes = [], []
    for name, cfg, render, strip, versions in sources():
        original = cfg.read_bytes()
        fns = http_functions(original.decode("utf-8-sig"))
        if not fns:
            notes.append(f"{name}: no function with http events")
            continue
        for fn in fns:
            base = f"{name}__{fn}"
            todo = [
                ("make-async", ["make-async", fn, "--all"], cfg, original),
                ("make-sync", ["make-sync", fn, "--all"], cfg, original),
                ("make-sync-proxy", ["make-sync", fn, "--all", "--proxy"], cfg, original),
            ]
            async_dir = None
            for label, args, src_path, src_text in todo:
                code, out, err = transform(bin_, src_text, args + render)
                if code != 0:
                    notes.append(f"{base} {label}: exit {code}: {first_line(err)}")
                    continue
                if out == src_text:
                    continue
                d = OUT / f"{base}__{label}"
                jobs.append((d, rel(src_path), args, render, strip, versions, out))
                if label == "make-async":
                    async_dir = (d, out)
            if async_dir is None:
                continue
            d_async, async_text = async_dir
            for label, args in (
                ("make-sync", ["make-sync", fn, "--all"]),
                ("make-sync-proxy", ["make-sync", fn, "--all", "--proxy"]),
            ):
                code, out, err = transform(bin_, async_text, args + render)
                if code != 0:
                    notes.append(f"{base} make-async then {label}: exit {code}: {first_line(err)}")
                    continue
                if out == async_text:
                    continue
                d = OUT / f"{base}__make-async__{label}"
                src = rel(d_async) + "/serverless.yml"
                jobs.append((d, src, args, render, strip, versions, out))
    return jobs, notes


def first_line(s):
    s = s.strip()
    return s.splitlines()[0] if s else ""


def write_inputs(jobs):
    OUT.mkdir(parents=True, exist_ok=True)
    keep = {d.name for d, *_ in jobs}
    for d in OUT.iterdir():
        if d.is_dir() and d.name not in keep:
            shutil.rmtree(d)
    pending = []
    for d, src, args, render, strip, versions, out in jobs:
        d.mkdir(parents=True, exist_ok=True)
        cfg = d / "serverless.yml"
        changed = not cfg.is_file() or cfg.read_bytes() != out
        if changed:
            cfg.write_bytes(out)
            for f in d.iterdir():
                if f.name.startswith("expected-"):
                    f.unlink()
        command = (
            f"input {src}\n"
            f"transform {' '.join(args)}\n"
            f"render {' '.join(render)}\n"
            f"versions {' '.join(versions)}\n"
        )
        (d / "command").write_text(command)
        if strip:
            (d / "strip").write_text(",".join(strip) + "\n")
        elif (d / "strip").exists():
            (d / "strip").unlink()
        for v in versions:
            sfx = "" if v == "3" else f".v{v}"
            if not (d / f"expected-apigw{sfx}.json").is_file() and not (
                d / f"expected-error{sfx}.txt"
            ).is_file():
                pending.append((d, v, render, strip))
    return pending


def run_framework(job):
    d, version, render, strip = job
    sfx = "" if version == "3" else f".v{version}"
    with tempfile.TemporaryDirectory() as tmp:
        p = pathlib.Path(tmp) / "serverless.yml"
        shutil.copyfile(d / "serverless.yml", p)
        out = pathlib.Path(tmp) / "out"
        extra = []
        if strip:
            extra += ["--strip", ",".join(strip)]
        for a in render:
            extra += ["--arg", a]
        subprocess.run(
            ["nice", "-n", "10", str(FRAMEWORK), "-v", version, "-o", str(out), str(p)] + extra,
            capture_output=True,
        )
        apigw = out / "apigw.json"
        err = out / "error.txt"
        if apigw.is_file():
            shutil.copyfile(apigw, d / f"expected-apigw{sfx}.json")
            return d.name, version, "packaged"
        if err.is_file() and err.read_text().strip():
            shutil.copyfile(err, d / f"expected-error{sfx}.txt")
            return d.name, version, "rejected"
        return d.name, version, "no output (not recorded)"


def summary():
    counts = {}
    for d in sorted(OUT.iterdir()):
        if not d.is_dir():
            continue
        t = d.name.split("__", 2)[-1]
        for f in d.iterdir():
            if f.name.startswith("expected-"):
                key = f"{t} {f.name}"
                counts[key] = counts.get(key, 0) + 1
    for k, v in sorted(counts.items()):
        print(f"{v:5} {k}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["plan", "record", "summary"])
    ap.add_argument("--bin", default=str(ROOT / "target/debug/slsasync"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    if a.step == "summary":
        summary()
        return
    jobs, notes = plan(a.bin)
    pending = write_inputs(jobs)
    (OUT / "NOTES.md").write_text(
        "# Transforms not recorded\n\nRefused by the transform (exit status and first line):\n\n"
        + "".join(f"- {n}\n" for n in notes)
    )
    print(f"{len(jobs)} fixtures, {len(pending)} framework runs pending, {len(notes)} refusals")
    if a.step == "plan":
        return
    if a.limit:
        pending = pending[: a.limit]
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for name, version, status in ex.map(run_framework, pending):
            print(f"v{version} {status:9} {name}", flush=True)


if __name__ == "__main__":
    main()
