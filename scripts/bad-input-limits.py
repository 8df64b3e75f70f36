#!/usr/bin/env python3
"""Run every input of the bad-input catalogue through the release binary under
`/usr/bin/time -v`, write the table (what, expected behaviour, exit status,
wall time, peak memory) into docs/bad-input.md, and fail when an input takes
more than 2 s or 200 MB, exits with an unexpected status, or panics.

    scripts/bad-input-limits.py            # build, measure, update the doc
    scripts/bad-input-limits.py --no-write # measure only
    scripts/bad-input-limits.py --bin PATH # measure another binary

Each command runs three times on a fresh copy of its input; the table shows
the median wall time and the largest peak memory. Inputs that need a fault
injected between the write and the rename (a file that disappears or changes)
use the debug build, which alone honours SLSASYNC_FAULT; their rows say so.
The inputs are the same as in tests/bad_input.rs (small ones from
fixtures/bad/, the huge ones generated here, into a temporary directory).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "bad")
DOC = os.path.join(ROOT, "docs", "bad-input.md")
BEGIN, END = "<!-- limits:begin -->", "<!-- limits:end -->"
MAX_SECONDS = 2.0
MAX_BYTES = 200 * 1000 * 1000
RUNS = 3

VALID = open(os.path.join(FIXTURES, "valid.yml"), "rb").read()


def fixture(name):
    def setup(d):
        src = os.path.join(FIXTURES, name)
        if os.path.isdir(src):
            for f in os.listdir(src):
                shutil.copy(os.path.join(src, f), os.path.join(d, f))
        else:
            shutil.copy(src, os.path.join(d, name))
    return setup


def files(**contents):
    def setup(d):
        for name, data in contents.items():
            name = name.replace("__", ".")
            with open(os.path.join(d, name), "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
    return setup


def alias_bomb():
    s = "service: svc\nprovider:\n  name: aws\ncustom:\n"
    s += "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        s += f"  l{i}: &l{i} [" + ", ".join([f"*l{i-1}"] * 10) + "]\n"
    return s


def variable_bomb(strings):
    s = "service: svc\nprovider:\n  name: aws\ncustom:\n"
    if strings:
        s += "  l0: lollollollollollollollollollol\n"
        for i in range(1, 10):
            s += f"  l{i}: \"" + f"${{self:custom.l{i - 1}}}" * 10 + "\"\n"
    else:
        s += "  l0: [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in range(1, 10):
            s += f"  l{i}:\n" + f"    - ${{self:custom.l{i - 1}}}\n" * 10
    return s


def huge():
    line = '  key: "a value that is long enough to fill a hundred megabytes"\n'
    head = "service: svc\nprovider:\n  name: aws\ncustom:\n"
    return head + line * ((100 * 1024 * 1024 - len(head)) // len(line) + 1)


def block_mappings(n):
    return "service: svc\ncustom:\n" + "".join(" " * (i + 1) + "k:\n" for i in range(n))


def chain(n):
    links = "".join(f"  c{i}: ${{self:custom.c{i + 1}}}\n" for i in range(n))
    return (VALID.decode().replace("provider:", "custom:\n" + links + f"  c{n}: end\nprovider:", 1)
            .replace("handler: handler.hello", "handler: ${self:custom.c0}"))


def symlink_loop(d):
    os.symlink("b.yml", os.path.join(d, "a.yml"))
    os.symlink("a.yml", os.path.join(d, "b.yml"))


def read_only_file(d):
    files(serverless__yml=VALID)(d)
    os.chmod(os.path.join(d, "serverless.yml"), 0o444)


def read_only_dir(d):
    files(serverless__yml=VALID)(d)
    os.chmod(d, 0o555)


def outside_include(d):
    os.makedirs(os.path.join(d, "svc"))
    with open(os.path.join(d, "secret.yml"), "w") as f:
        f.write("key: secret\n")
    with open(os.path.join(d, "svc", "serverless.yml"), "w") as f:
        f.write("service: svc\nprovider:\n  name: aws\ncustom: ${file(../secret.yml):key}\n")


MA = ["make-async", "hello"]
ALL3 = lambda f: [(["check", f], [2]), (["render", "-c", f], [2]), (MA + ["-c", f], [2])]

# (id, input, expected behaviour, setup, [(args, expected exit codes, env)], debug build?)
CASES = [
    ("empty", "empty file", "exit 2: `F is empty` at F:1:1; help: a config is a mapping",
     fixture("empty.yml"), ALL3("empty.yml")),
    ("only-comments", "only comments", "exit 2: `F is empty` at F:1:1, the comments shown",
     fixture("only-comments.yml"), ALL3("only-comments.yml")),
    ("syntax-error", "YAML syntax error (unclosed `[`)",
     "exit 2: the parser's message at F:5:10 with the lines around it; help: a `[` above may not be closed",
     fixture("syntax-error.yml"), ALL3("syntax-error.yml")),
    ("tab-indent", "tab in indentation", "exit 2: `found a tab character` at F:3:1; help: use spaces",
     fixture("tab-indent.yml"), ALL3("tab-indent.yml")),
    ("functions-list", "`functions` as a list",
     "check: exit 1, findings (SLS-SCHEMA-001, SLS-FW-001); render: exit 2 with the framework's refusal at F:5:3; make-async: exit 2, no function",
     fixture("functions-list.yml"),
     [(["check", "functions-list.yml"], [1]), (["render", "-c", "functions-list.yml"], [2]),
      (MA + ["-c", "functions-list.yml"], [2])]),
    ("events-map", "`events` as a mapping",
     "check: exit 1, findings at F:8:7; render: exit 2 (`forEach is not a function`, as the framework); make-async: exit 2",
     fixture("events-map.yml"),
     [(["check", "events-map.yml"], [1]), (["render", "-c", "events-map.yml"], [2]),
      (MA + ["-c", "events-map.yml"], [2])]),
    ("http-number", "`http: 42`",
     "check: exit 1, SLS-SCHEMA-001 at F:8:15; render, make-async: exit 2 at F:8:15",
     fixture("http-number.yml"),
     [(["check", "http-number.yml"], [1]), (["render", "-c", "http-number.yml"], [2]),
      (MA + ["-c", "http-number.yml"], [2])]),
    ("path-list", "`path: [a]`",
     "check: findings; render: exit 0 (framework 2 and 3 read `[a]` as `a`; `--framework 1` exits 2 with v1's refusal); make-async --dry-run: exit 0",
     fixture("path-list.yml"),
     [(["check", "path-list.yml"], [0, 1]), (["render", "-c", "path-list.yml"], [0]),
      (["render", "--framework", "1", "-c", "path-list.yml"], [2]),
      (MA + ["--dry-run", "-c", "path-list.yml"], [0])]),
    ("status-codes-list", "`statusCodes: [202]`",
     "check: exit 1, SLS-SCHEMA-001 at F:14:26; make-async/make-sync: exit 2 (`is a list, not a mapping`), nothing written",
     fixture("status-codes-list.yml"),
     [(["check", "status-codes-list.yml"], [1]), (["render", "-c", "status-codes-list.yml"], [0]),
      (MA + ["-c", "status-codes-list.yml"], [2])]),
    ("missing-function", "make-async of a function that does not exist",
     "exit 2: no function `nope` in F; help lists the functions with http events",
     fixture("valid.yml"), [(["make-async", "nope", "-c", "valid.yml"], [2])]),
    ("no-config", "directory with no config",
     "exit 2: no serverless.yml, serverless.yaml or serverless.json in the current directory; help: name the file",
     files(README__md="# not a config\n"), [(["check"], [2]), (["render"], [2]), (MA, [2])]),
    ("two-configs", "two configs in one directory",
     "exit 2: several configs in the current directory; help: `-c serverless.yml` (`check DIR` checks each)",
     files(serverless__yml=VALID, serverless__yaml=VALID),
     [(["check"], [2]), (["render"], [2]), (MA, [2]), (["check", "."], [0])]),
    ("binary", "binary file", "exit 2: F:3:1: not a text file (a NUL byte at byte offset 8)",
     fixture("binary.yml"), ALL3("binary.yml")),
    ("invalid-utf8", "invalid UTF-8", "exit 2: F:4:11: invalid UTF-8; help: save as UTF-8",
     fixture("invalid-utf8.yml"), ALL3("invalid-utf8.yml")),
    ("utf16", "UTF-16 with BOM", "exit 2: F:1:1: UTF-16 text; help: save as UTF-8",
     fixture("utf16-bom.yml"), ALL3("utf16-bom.yml")),
    ("alias-bomb", "billion laughs (10 levels of 10 aliases)",
     "exit 2: node budget exceeded at the alias that crosses it; help: each `*alias` copies the value",
     files(serverless__yml=alias_bomb()), ALL3("serverless.yml")),
    ("variable-bomb", "billion laughs through `${self:}` (strings)",
     "exit 2: variable expansion is too large (over 500000 nodes), at the reference that crosses it",
     files(serverless__yml=variable_bomb(True)), ALL3("serverless.yml")),
    ("variable-bomb-list", "billion laughs through `${self:}` (lists)",
     "exit 2: variable expansion is too large (over 500000 nodes)",
     files(serverless__yml=variable_bomb(False)), ALL3("serverless.yml")),
    ("deep-flow", "10,000 levels of flow nesting (`[[[...]]]`)",
     "exit 2: `the document nests deeper than 200 levels` at F:2:211; help: flatten",
     files(serverless__yml="service: svc\ncustom: " + "[" * 10000 + "]" * 10000 + "\n"), ALL3("serverless.yml")),
    ("deep-block", "10,000 levels of block nesting (`- - - ... x`)",
     "exit 2: nesting exceeded maxDepth (100), as js-yaml 4 says, at F:3:201; help: flatten",
     files(serverless__yml="service: svc\ncustom:\n  " + "- " * 10000 + "x\n"), ALL3("serverless.yml")),
    ("deep-block-map", "2,000 levels of block mappings (one more space each)",
     "exit 2: nesting exceeded maxDepth (100) at F:101:100; help: flatten",
     files(serverless__yml=block_mappings(2000)), ALL3("serverless.yml")),
    ("huge", "100 MB file", "exit 2 before reading it: too large (100.0 MiB; at most 4 MiB)",
     files(serverless__yml=huge()), ALL3("serverless.yml")),
    ("many-nodes", "4 MiB of one-character list items (`[1,1,1,...]`, 2 million nodes)",
     "exit 2: node budget (1,000,000) exceeded, at the item that crosses it; help: flatten or split",
     files(serverless__yml="service: svc\ncustom: [" + "1," * (2 * 1024 * 1024 - 16) + "1]\n"),
     ALL3("serverless.yml")),
    ("huge-stdin", "100 MB on stdin (`check -`)", "exit 2: too large",
     files(serverless__yml=huge()), [(["check", "-"], [2], {}, "serverless.yml")]),
    ("key-1mb", "a 1 MB key", "valid YAML: check exits 0 (under `custom`), render exits 0",
     files(serverless__yml="service: svc\nprovider:\n  name: aws\ncustom:\n  " + "k" * (1 << 20) + ": 1\n"),
     [(["check", "serverless.yml"], [0]), (["render"], [0])]),
    ("key-1mb-function", "a 1 MB function name with an http event",
     "check: exit 0 (no rule limits name length); render: exit 0, output proportional to the input",
     files(serverless__yml="service: svc\nprovider:\n  name: aws\nfunctions:\n  " + "k" * (1 << 20)
           + ":\n    handler: h.h\n    events:\n      - http: GET /a\n"),
     [(["check", "serverless.yml"], [0]), (["render"], [0])]),
    ("minified-json", "200 KB one-line `serverless.json`, findings at column 200,000",
     "check: exit 1, findings at F:1:200120, the line shown as a window around each",
     files(serverless__json='{"service":"svc","provider":{"name":"aws"},"custom":{"pad":"' + "x" * 200000
           + '"},"functions":{"hello":{"handler":"h.h","events":[{"http":{"path":"a","method":"get",'
           + '"async":true,"cors":true}}]}}}'),
     [(["check", "serverless.json"], [1]), (["render", "-c", "serverless.json"], [0])]),
    ("include-cycle", "`${file(...)}` include cycle",
     "exit 2: Circular file include a.yml → b.yml → a.yml, at b.yml:1:4",
     fixture("include-cycle"), ALL3("serverless.yml")),
    ("include-missing", "missing `${file(...)}` include",
     "exit 2: the framework's message at F:4:9; help: add a fallback",
     fixture("include-missing"), ALL3("serverless.yml")),
    ("include-outside", "`${file(../x.yml)}` outside the service directory",
     "exit 2: outside the service directory; not read; help: --allow-outside",
     outside_include, [(["check", "svc/serverless.yml"], [2]), (["render", "-c", "svc/serverless.yml"], [2])]),
    ("self-cycle", "`${self:...}` reference cycle",
     "exit 2: Circular reference at F:6:10; help shows the cycle",
     fixture("self-cycle.yml"), ALL3("self-cycle.yml")),
    ("self-chain", "a `${self:...}` chain 5,000 references long",
     "exit 2: references nest more than 1000 levels deep, at the 1000th",
     files(serverless__yml=chain(5000)), [(["check"], [2]), (["render"], [2])]),
    ("symlink-loop", "symlink loop", "exit 2: cannot read a.yml: a loop of symbolic links",
     symlink_loop, ALL3("a.yml")),
    ("control-chars", "raw ESC, BEL, CR and C1 in a comment",
     "exit 2: an invisible control character (U+001B) at F:3:15; the line shown with `?` in their place",
     files(serverless__yml=b"service: svc\nprovider:\n  name: aws # \x1b]0;x\x07 \x1b[2J\rhidden \xc2\x9b31m\n"),
     [(["--color", "always", "check"], [2]), (["render"], [2])]),
    ("read-only-file", "read-only file (editor)", "exit 2: F is read-only; nothing was written",
     read_only_file, [(MA, [2])]),
    ("read-only-dir", "read-only directory (editor)",
     "exit 2: F is in a read-only directory; nothing was written", read_only_dir, [(MA, [2])]),
    ("vanishes", "file removed between read and write (editor)",
     "exit 2: F was removed or renamed while slsasync was editing it; nothing was written",
     files(serverless__yml=VALID), [(MA, [2], {"SLSASYNC_FAULT": "remove-before-rename"})], True),
    ("changed", "file changed by another process between read and write (editor)",
     "exit 2: F changed on disk; nothing was written; the other process's bytes stay",
     files(serverless__yml=VALID), [(MA, [2], {"SLSASYNC_FAULT": "change-before-rename"})], True),
    ("disk-full", "disk full while writing the temporary file (editor)",
     "exit 2: could not write F: No space left on device; the file is unchanged, no temporary file left",
     files(serverless__yml=VALID), [(MA, [2], {"SLSASYNC_FAULT": "disk-full"})], True),
    ("serverless-ts", "`serverless.ts`", "exit 2: JavaScript/TypeScript config: not supported (never run)",
     fixture("code-ts"), [(["check"], [2]), (["render", "-c", "serverless.ts"], [2]), (MA, [2])]),
    ("serverless-js", "`serverless.js`", "exit 2: JavaScript/TypeScript config: not supported (never run)",
     fixture("code-js"), [(["check", "serverless.js"], [2]), (["render"], [2]), (MA + ["-c", "serverless.js"], [2])]),
]


def measure(binary, args, setup, env, stdin_file, scratch):
    d = tempfile.mkdtemp(dir=scratch)
    try:
        setup(d)
        stdin = open(os.path.join(d, stdin_file), "rb") if stdin_file else subprocess.DEVNULL
        e = dict(os.environ, NO_COLOR="1")
        e.pop("SLSASYNC_FAULT", None)
        e.update(env)
        p = subprocess.run(["/usr/bin/time", "-v", binary] + args, cwd=d, env=e, stdin=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = p.stderr.decode("utf-8", "replace")
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        status = re.search(r"Command exited with non-zero status (\d+)", err)
        signal = re.search(r"Command terminated by signal (\d+)", err)
        seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
        code = int(status.group(1)) if status else (None if signal else 0)
        panicked = "panicked" in err or "panicked" in p.stdout.decode("utf-8", "replace")
        return seconds, int(rss.group(1)) * 1024, code, panicked
    finally:
        subprocess.run(["chmod", "-R", "u+w", d])
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", help="binary to measure (default: target/release/slsasync, built)")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/bad-input.md")
    ap.add_argument("--only", help="regex of case ids to run")
    opts = ap.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("needs /usr/bin/time (GNU time: apt-get install time)")
    release = opts.bin
    if not release:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        release = os.path.join(ROOT, "target", "release", "slsasync")
    debug = os.path.join(ROOT, "target", "debug", "slsasync")
    if any(len(c) > 5 and c[5] for c in CASES):
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)

    rows, failures = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for case in CASES:
            cid, what, expected, setup, commands = case[:5]
            uses_debug = len(case) > 5 and case[5]
            if opts.only and not re.search(opts.only, cid):
                continue
            binary = debug if uses_debug else release
            worst_t, worst_m, codes = 0.0, 0, []
            for cmd in commands:
                args, want = cmd[0], cmd[1]
                env = cmd[2] if len(cmd) > 2 else {}
                stdin_file = cmd[3] if len(cmd) > 3 else None
                times, mems = [], []
                for _ in range(RUNS):
                    t, m, code, panicked = measure(binary, ["--color", "never"] + args
                                                   if args[0] != "--color" else args,
                                                   setup, env, stdin_file, scratch)
                    times.append(t)
                    mems.append(m)
                    if code not in want or panicked:
                        failures.append(f"{cid}: `{' '.join(args)}` exited {code}"
                                        f"{' after a panic' if panicked else ''} (expected {want})")
                t, m = statistics.median(times), max(mems)
                if t > MAX_SECONDS:
                    failures.append(f"{cid}: `{' '.join(args)}` took {t:.2f} s (limit {MAX_SECONDS} s)")
                if m > MAX_BYTES:
                    failures.append(f"{cid}: `{' '.join(args)}` used {m / 1e6:.0f} MB (limit 200 MB)")
                worst_t, worst_m = max(worst_t, t), max(worst_m, m)
                codes.append(f"{args[0] if args[0] != '--color' else args[2]} {code}")
            cmds = ", ".join(codes)
            note = " (debug build, fault injected)" if uses_debug else ""
            slow = " **over 2 s**" if worst_t > MAX_SECONDS else ""
            big = " **over 200 MB**" if worst_m > MAX_BYTES else ""
            rows.append(f"| {what} | {expected} | {cmds} | {worst_t:.2f} s{note}{slow} | {worst_m / 1e6:.0f} MB{big} |")
            print(f"{cid:18} {worst_t:6.2f} s {worst_m / 1e6:6.0f} MB  {cmds}", flush=True)

    table = "\n".join([
        "| input | expected behaviour | exit status (command: code) | wall time (median of 3, worst command) | peak memory (worst command) |",
        "| --- | --- | --- | --- | --- |",
        *rows,
    ])
    host = f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
    verdict = ("Every input is within the limits." if not failures else
               "Over the limits or unexpected:\n\n" + "\n".join(f"- {f}" for f in failures))
    block = (f"{BEGIN}\nMeasured by `scripts/bad-input-limits.py` ({host}); limits: {MAX_SECONDS:.0f} s and "
             f"200 MB per command.\n\n{table}\n\n{verdict}\n{END}")
    if not opts.no_write and not opts.only:
        doc = open(DOC).read()
        if BEGIN in doc and END in doc:
            doc = doc[:doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n" + block + "\n"
        open(DOC, "w").write(doc)
        print(f"wrote {os.path.relpath(DOC, ROOT)}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)
    print("all inputs within 2 s and 200 MB")


if __name__ == "__main__":
    main()
