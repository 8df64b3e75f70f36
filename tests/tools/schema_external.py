"""Validate every fixture config against the schema `slsasync schema` prints,
with an independent validator (check-jsonschema, ECMAScript regexes), and
compare with what Serverless Framework 3.40.0 did with each config.

Run by tests/schema-external.sh; see docs/editor.md for what it shows.

How a config reaches the validator:

1. YAML is loaded as js-yaml 4 loads it (tests/tools/jsyaml4.py), checked here
   first against the js-yaml 4.3.2 results recorded in fixtures/yaml-typing/.
2. "Framework view": what the framework's ajv sees. Keys whose value is null
   are dropped (`normalizeUserConfig` in the framework's config-schema
   handler), then ajv's `coerceTypes: 'array'` conversions are applied where
   the schema's `type` asks for them (`'true'` -> true, `1` -> true,
   `'X-Foo'` -> ['X-Foo'], ...), as Serverless 2/3 compile ajv with them.
3. "Editor view": the document exactly as loaded, which is what
   yaml-language-server validates. Reported, not asserted (see docs/editor.md).

What is asserted, per config:

* Recorded by the framework (conformance, conformance-random, realworld):
  - packaged without a schema warning: the validator accepts it (no false
    error). The only errors excused are on values that still hold `${...}`:
    the framework validates after resolving variables, a schema validator
    sees their text.
  - the framework printed `at '<path>': ...` schema problems (a warning, or
    `Configuration error` under configValidationMode: error): the validator
    rejects the config, with an error at or around each such path.
    (`at root: unrecognized property` is left alone: the schema accepts any
    top-level key, plugin keys included.)
  - refused for a shape problem (the framework crashing on a missing or
    non-string `path`/`method`, object notation for `service`, an invalid
    stage name): the validator rejects it.
  - any other refusal (a variable it could not resolve, a provider other
    than aws, `frameworkVersion`, a rule-level refusal such as an `http`
    integration without `request.uri`) carries no schema verdict; counted.
* Every other fixture config (rules, editor, seed, vars ...), against
  `slsasync check --framework 3` (same schema, Rust validator, plus rules):
  a config the validator rejects gets at least one finding from slsasync
  (no error an editor would show that the linter stays silent about), and a
  config with an SLS-SCHEMA-* finding is rejected by the validator (the two
  validators read the schema the same way: regex dialect, types, formats).

The last line is `N passed, N failed`; the exit status is 1 when a check failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName
from jsonschema import Draft7Validator, validators

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jsyaml4  # noqa: E402

# Where ruamel.yaml's parser and js-yaml 4.3.2 disagree on the recorded
# snippets of fixtures/yaml-typing/cases.json. A new difference fails the run;
# so does one of these disappearing (update the list).
KNOWN_LOADER_DIFFERENCES = {
    "empty-implicit-key": "ruamel reads a line `: x` as a pair with a null key; js-yaml refuses it",
    "empty-implicit-key-in-seq": "ruamel reads `- : x` as {null: x}; js-yaml refuses it",
    "empty-key-flow-seq": "ruamel refuses `[: x]`; js-yaml reads [{null: x}]",
    "flow-adjacent-value": "ruamel refuses JSON-like adjacent values in flow mappings (`{a:[1]}`); js-yaml reads them",
    "flow-adjacent-value-many": "as flow-adjacent-value",
    "depth-block-map-98": "js-yaml's nesting limit counts levels per construct; the converter stops at 99 levels of any node",
    "depth-block-flow-same-98": "as depth-block-map-98",
    "depth-block-null-99": "as depth-block-map-98",
}

CONFIG_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
AT_LINE = re.compile(r"at '([^']+)': (.+)$")
SHAPE_REFUSALS = [
    (re.compile(r"Cannot read properties of undefined \(reading '(replace|toLowerCase)'\)"),
     "crash on a missing or non-string path/method"),
    (re.compile(r'Object notation for "service" property is not supported'), "object notation for service"),
    (re.compile(r"^Invalid stage name "), "invalid stage name"),
]


# --- the framework's view of a config --------------------------------------


def drop_null_keys(v):
    """normalizeUserConfig: keys whose value is null are deleted (in
    mappings at any depth, inside lists too); list items stay."""
    if isinstance(v, dict):
        return {k: drop_null_keys(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [drop_null_keys(x) for x in v]
    return v


_JS_WS = " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
_JS_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")


def js_to_number(s: str) -> float:
    """JavaScript's unary + on a string."""
    t = s.strip(_JS_WS)
    if t == "":
        return 0.0
    m = re.fullmatch(r"0([xXoObB])([0-9a-fA-F]+)", t)
    if m:
        base = {"x": 16, "o": 8, "b": 2}[m[1].lower()]
        try:
            return float(int(m[2], base))
        except ValueError:
            return math.nan
    if _JS_DECIMAL.fullmatch(t):
        return float(t.replace("Infinity", "inf"))
    return math.nan


def _json_type(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _has_type(v, t: str) -> bool:
    jt = _json_type(v)
    if t == "integer":
        return jt == "number" and float(v).is_integer()
    return jt == t


def _num(f: float):
    return int(f) if f.is_integer() and abs(f) <= 2**53 else f


def ajv_coerce(value, types: list[str]):
    """ajv 8 `coerceTypes: 'array'` (lib/compile/validate/dataType.ts,
    coerceData): the converted value, or None when ajv leaves it alone."""
    data = value
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
        if any(_has_type(data, t) for t in types):
            return {"value": data}
    elif isinstance(data, list):
        return None
    dt = _json_type(data)
    for t in types:
        if t == "string":
            if dt == "number":
                return {"value": jsyaml4.js_number_to_string(data)}
            if dt == "boolean":
                return {"value": "true" if data else "false"}
            if data is None:
                return {"value": ""}
        elif t in ("number", "integer"):
            if dt == "boolean":
                return {"value": int(data)}
            if data is None:
                return {"value": 0}
            if dt == "string" and data:
                n = js_to_number(data)
                if not math.isnan(n) and (t == "number" or (not math.isinf(n) and n.is_integer())):
                    return {"value": _num(n)}
        elif t == "boolean":
            if data in ("false", None) or (dt == "number" and data == 0):
                return {"value": False}
            if data == "true" or (dt == "number" and data == 1):
                return {"value": True}
        elif t == "null":
            if data == "" or (dt == "number" and data == 0) or data is False:
                return {"value": None}
        elif t == "array":
            if dt in ("string", "number", "boolean", "null"):
                return {"value": [data]}
    return None


def same_json(a, b) -> bool:
    return _json_type(a) == _json_type(b) and a == b


def _set_at(doc, path, value):
    *parents, last = path
    node = doc
    for p in parents:
        node = node[p]
    node[last] = value


def _type_errors(errors):
    for e in errors:
        if e.validator == "type":
            yield e
        for sub in e.context or ():
            yield from _type_errors([sub])


def coerce_like_ajv(doc, validator: Draft7Validator):
    """Apply ajv's in-place conversions until none applies (a converted value
    is then validated like any other). slsasync's own settings are read as
    written, and an `http` value that is neither string nor mapping is left
    alone (the framework crashes on it either way)."""
    for _ in range(5):
        changed = False
        for e in _type_errors(validator.iter_errors(doc)):
            path = list(e.absolute_path)
            if not path or path[:2] == ["custom", "slsasync"]:
                continue
            if len(path) == 5 and path[0] == "functions" and path[2] == "events" and path[4] == "http":
                continue
            types = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
            c = ajv_coerce(e.instance, types)
            if c is not None and not same_json(c["value"], e.instance):
                _set_at(doc, path, c["value"])
                changed = True
        if not changed:
            return doc
    return doc


# --- validators --------------------------------------------------------------


def ecmascript_validator(schema) -> Draft7Validator:
    """The in-process twin of check-jsonschema's validator (python-jsonschema
    with ECMAScript `pattern`s through regress), used to apply ajv's
    conversions and to explain a rejection; the verdict is the CLI's."""
    regex = RegexImplementation(RegexVariantName.default)
    cls = validators.extend(
        Draft7Validator,
        {"pattern": regex.pattern_keyword, "patternProperties": regex.patternProperties_keyword},
    )
    return cls(schema)


def explained_by_variables(e) -> bool:
    """True when the error would go away if every `${...}` value resolved to
    a suitable value: it is on such a value, or it is an anyOf/oneOf with a
    branch whose errors are all explained that way."""
    if e.validator in ("anyOf", "oneOf") and e.context:
        branches: dict = {}
        for sub in e.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        return any(all(explained_by_variables(s) for s in subs) for subs in branches.values())
    return is_variable(e.instance)


def error_paths(e) -> list[list[str]]:
    """The instance paths an error (and the branches of an anyOf) points at."""
    out = [[str(p) for p in e.absolute_path]]
    for sub in e.context or ():
        out.extend(error_paths(sub))
    return out


# --- check-jsonschema --------------------------------------------------------

def run_validator(exe: str, schema: str, files: list[str]) -> dict[str, list[dict]]:
    """The errors check-jsonschema reports, per file: [{path, message}]."""
    result: dict[str, list[dict]] = {f: [] for f in files}
    for i in range(0, len(files), 200):
        chunk = files[i : i + 200]
        proc = subprocess.run(
            [exe, "--schemafile", schema, "-o", "json", *chunk],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode not in (0, 1):
            raise SystemExit(f"check-jsonschema failed ({proc.returncode}):\n{proc.stderr}{proc.stdout[:2000]}")
        report = json.loads(proc.stdout)
        if report.get("parse_errors"):
            raise SystemExit(f"check-jsonschema could not read: {report['parse_errors']}")
        for e in report["errors"]:
            result[e["filename"]].append({"path": e["path"], "message": e["message"]})
    return result


# --- fixtures ---------------------------------------------------------------


class Config:
    def __init__(self, path: Path, name: str):
        self.path = path
        self.name = name
        self.raw = None
        self.load_error = None
        self.verdict = None  # "accept" | "reject" | None
        self.reason = ""
        self.at_paths: list[tuple[str, str]] = []


def read_text(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def framework_verdict(c: Config, packaged: bool, failure: str = ""):
    d = c.path.parent
    warnings = read_text(d / "expected-warnings.txt")
    error = read_text(d / "expected-error.txt")
    lines = [m.groups() for m in (AT_LINE.search(l) for l in (warnings + "\n" + error).splitlines()) if m]
    if lines:
        c.verdict, c.at_paths = "reject", lines
        c.reason = f"framework reported {len(lines)} schema problem(s)"
        return
    if packaged:
        c.verdict, c.reason = "accept", "packaged by the framework"
        return
    for rx, why in SHAPE_REFUSALS:
        if rx.search(error):
            c.verdict, c.reason = "reject", f"refused: {why}"
            return
    first = error.strip().splitlines()[0] if error.strip() else ""
    if failure == "non-aws-provider":
        first = "provider is not aws (the framework has no schema for it here)"
    elif "Variables resolution errored" in first or "Cannot resolve" in first or failure == "variable":
        first = "a variable the framework could not resolve"
    elif "frameworkVersion" in first:
        first = "frameworkVersion excludes 3.40.0"
    elif "request uri" in first:
        first = "http/http-proxy integration without request.uri (rule SLS-INT-003)"
    c.reason = "refused, not for a schema matter: " + (first[:100] or failure or "(no message)")


def corpus_cases(fixtures: Path, corpus: str, column: str, packaged_value: str) -> list[Config]:
    out = []
    tsv = fixtures / corpus / "cases.tsv"
    if not tsv.exists():
        return out
    with tsv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            d = fixtures / corpus / "cases" / row["case"]
            cfg = next((d / n for n in CONFIG_NAMES if (d / n).exists()), None)
            if cfg is None:
                continue
            c = Config(cfg, f"{corpus}/{row['case']}")
            framework_verdict(c, row.get(column) == packaged_value, row.get("failure", ""))
            out.append(c)
    return out


def other_configs(fixtures: Path, seen: set[Path]) -> list[Config]:
    """Every other YAML/JSON file under fixtures/ that is a service config
    (a mapping with `service`, `provider` or `functions`)."""
    out = []
    for p in sorted(fixtures.rglob("*")):
        if p in seen or not p.is_file() or "yaml-typing" in p.parts:
            continue
        if not (p.suffix in (".yml", ".yaml") or p.name == "serverless.json"):
            continue
        out.append(Config(p, str(p.relative_to(fixtures))))
    return out


def paths_meet(a: list[str], b: list[str]) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def at_value(doc, path: list[str]):
    node = doc
    for seg in path:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return None
    return node


def is_variable(v) -> bool:
    return isinstance(v, str) and "${" in v


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", required=True, type=Path)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--validator", required=True, help="the check-jsonschema executable")
    ap.add_argument("--bin", required=True, help="the slsasync executable")
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    fixtures: Path = args.fixtures
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    passed, failures = 0, []

    # 1. The loader against js-yaml 4's recorded answers.
    proc = subprocess.run(
        [sys.executable, str(Path(jsyaml4.__file__)), "--cases", str(fixtures / "yaml-typing" / "cases.json")],
        capture_output=True, text=True, check=True,
    )
    diffs = {l.split("\t")[1] for l in proc.stdout.splitlines() if l.startswith("DIFF\t")}
    agree = next(l for l in proc.stdout.splitlines() if l.startswith("AGREE\t")).split("\t")
    print(f"js-yaml 4 typing: the converter agrees with js-yaml 4.3.2 on {agree[1]} of {agree[2]} recorded snippets")
    for name, why in sorted(KNOWN_LOADER_DIFFERENCES.items()):
        print(f"  known difference {name}: {why}")
    if diffs == set(KNOWN_LOADER_DIFFERENCES):
        passed += 1
    else:
        failures.append(
            "loader: differences from js-yaml 4 changed: new "
            f"{sorted(diffs - set(KNOWN_LOADER_DIFFERENCES))}, gone {sorted(set(KNOWN_LOADER_DIFFERENCES) - diffs)}"
        )

    # 2. Gather the configs.
    recorded = (
        corpus_cases(fixtures, "realworld", "packaged", "True")
        + corpus_cases(fixtures, "conformance", "v3", "packaged")
        + corpus_cases(fixtures, "conformance-random", "v3", "packaged")
    )
    others = other_configs(fixtures, {c.path for c in recorded})
    schema_json = json.loads(Path(args.schema).read_text(encoding="utf-8"))
    validator = ecmascript_validator(schema_json)

    configs: list[Config] = []
    fragments, unloadable = 0, []
    other_ids = {id(c) for c in others}
    for c in recorded + others:
        try:
            c.raw = jsyaml4.load_file(str(c.path))
        except (jsyaml4.LoadError, ValueError, UnicodeDecodeError) as e:
            c.load_error = str(e)
        if id(c) in other_ids:
            if c.load_error is not None:
                unloadable.append(f"{c.name}: {c.load_error}")
                continue
            if not (isinstance(c.raw, dict) and any(k in c.raw for k in ("service", "provider", "functions"))):
                fragments += 1
                continue
        elif c.verdict == "accept" and isinstance(c.raw, dict) and c.raw.get("configValidationMode") == "off":
            c.verdict, c.reason = None, "refused, not for a schema matter: configValidationMode: off hides schema problems"
        configs.append(c)

    # 3. Validate both views of every config in one run of the validator.
    files, where = [], {}
    for i, c in enumerate(configs):
        if c.load_error is not None:
            continue
        fw = coerce_like_ajv(drop_null_keys(c.raw), validator)
        c.framework_doc = fw
        for view, doc in (("framework", fw), ("editor", c.raw)):
            f = str(work / f"{i}.{view}.json")
            Path(f).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            files.append(f)
            where[f] = (c, view)
    results = run_validator(args.validator, args.schema, files)
    for f, errors in results.items():
        c, view = where[f]
        setattr(c, f"{view}_errors", errors)

    # 4. What `slsasync check` says about the configs the framework did not see.
    def aws(c):
        name = at_value(c.raw, ["provider", "name"]) if isinstance(c.raw, dict) else None
        return name in (None, "aws") or is_variable(name)

    unrecorded = [c for c in others if c in configs and c.load_error is None and aws(c)]
    internal: dict[str, set] = {}
    if unrecorded:
        proc = subprocess.run(
            [args.bin, "check", "--framework", "3", "--no-env", "--format", "json", "--exit-zero",
             *[str(c.path) for c in unrecorded]],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode not in (0, 1, 2):
            raise SystemExit(f"slsasync check failed ({proc.returncode}): {proc.stderr}")
        report = json.loads(proc.stdout)
        for f in report["files"]:
            internal.setdefault(f["file"], set())
            if f.get("error"):
                internal[f["file"]].add("could-not-check")
        for fd in report["findings"]:
            internal.setdefault(fd["file"], set()).add((fd["rule"], fd["message"]))

    # 5. Compare.
    stats = {"accept-ok": 0, "reject-ok": 0, "no-verdict": 0, "excused-variable": 0, "agree-internal": 0,
             "lines-matched": 0, "lines": 0}
    no_verdict_reasons: dict[str, int] = {}
    editor_only: dict[str, int] = {}
    for c in configs:
        if c.load_error is not None:
            if c.verdict == "accept":
                failures.append(f"{c.name}: the framework loaded it, the converter did not: {c.load_error}")
            else:
                stats["no-verdict"] += 1
                why = "not loadable (" + c.load_error[:60] + ")"
                no_verdict_reasons[why] = no_verdict_reasons.get(why, 0) + 1
            continue
        fw_errors = c.framework_errors
        tree = list(validator.iter_errors(c.framework_doc))
        if bool(tree) != bool(fw_errors):
            failures.append(f"{c.name}: check-jsonschema and python-jsonschema disagree ({len(fw_errors)} vs {len(tree)} errors)")
            continue
        real = [e for e in tree if not explained_by_variables(e)]
        excused = bool(tree) and not real
        ext = "reject" if real else "accept"
        real_paths = [p for e in real for p in error_paths(e)]
        if c.editor_errors and not fw_errors and c.verdict == "accept":
            kind = "null values" if not drop_null_keys(c.raw) == c.raw and c.framework_doc == drop_null_keys(c.raw) else "ajv-coerced values"
            editor_only[kind] = editor_only.get(kind, 0) + 1
        if c in recorded:
            if c.verdict is None:
                stats["no-verdict"] += 1
                key = c.reason.split(": ", 1)[-1]
                key = re.sub(r"\s+", " ", key)[:70]
                no_verdict_reasons[key] = no_verdict_reasons.get(key, 0) + 1
                continue
            if c.verdict == "accept":
                if ext == "accept":
                    passed += 1
                    stats["accept-ok"] += 1
                    stats["excused-variable"] += excused
                else:
                    failures.append(f"{c.name}: packaged by the framework, rejected: " + "; ".join(
                        f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:120]}" for e in real[:4]))
                continue
            # verdict reject
            problems = []
            if ext != "reject":
                problems.append("accepted")
            for path, what in c.at_paths:
                stats["lines"] += 1
                segs = path.split(".")
                if any(paths_meet(segs, p) for p in real_paths):
                    stats["lines-matched"] += 1
                else:
                    problems.append(f"no error at '{path}' ({what[:80]})")
            if problems:
                failures.append(f"{c.name}: {c.reason}; " + "; ".join(problems))
            else:
                passed += 1
                stats["reject-ok"] += 1
            continue
        # Not recorded by the framework: agree with `slsasync check`.
        if c not in unrecorded:
            stats["no-verdict"] += 1
            no_verdict_reasons["provider is not aws"] = no_verdict_reasons.get("provider is not aws", 0) + 1
            continue
        rel = os.path.relpath(c.path)
        mine = internal.get(rel, internal.get(str(c.path), set()))
        if "could-not-check" in mine:
            if args.verbose:
                print(f"  could not check {c.name}")
            stats["no-verdict"] += 1
            why = "slsasync check could not load it (exit 2: a variable or include it refuses)"
            no_verdict_reasons[why] = no_verdict_reasons.get(why, 0) + 1
            continue
        schema_found = sorted(m for code, m in mine if code.startswith("SLS-SCHEMA-"))
        if ext == "reject" and not mine:
            failures.append(f"{c.name}: rejected by check-jsonschema, no finding from `slsasync check`: " + "; ".join(
                f"{'.'.join(map(str, e.absolute_path))}: {e.message[:100]}" for e in real[:3]))
        elif ext == "accept" and schema_found and not excused:
            failures.append(f"{c.name}: accepted by check-jsonschema, `slsasync check` reports: " + "; ".join(schema_found)[:300])
        else:
            passed += 1
            stats["agree-internal"] += 1

    print(
        f"schema: {len(configs)} fixture configs ({len(recorded)} with the framework's answer, "
        f"{len(configs) - len(recorded)} others; {fragments} included fragments and "
        f"{len(unloadable)} files js-yaml 4 would not load skipped)"
    )
    if args.verbose:
        for u in unloadable:
            print(f"  not loadable: {u}")
    print(f"  packaged by Serverless 3.40.0 and accepted: {stats['accept-ok']} "
          f"({stats['excused-variable']} of them with errors only on unresolved ${{...}} text)")
    print(f"  refused or warned for a schema matter and rejected: {stats['reject-ok']} "
          f"({stats['lines-matched']}/{stats['lines']} framework problem paths matched)")
    print(f"  consistent with `slsasync check` on the others: {stats['agree-internal']}")
    print(f"  no schema verdict: {stats['no-verdict']}")
    for why, n in sorted(no_verdict_reasons.items(), key=lambda x: -x[1]):
        print(f"    {n:4}  {why}")
    if editor_only:
        print("  editor view (the file as written, as yaml-language-server validates it): packaged configs\n"
              "  with errors there only, since the framework drops null-valued keys and converts types first:")
        for why, n in sorted(editor_only.items()):
            print(f"    {n:4}  {why}")
    for f in failures:
        print(f"FAIL {f}")
    print(f"schema-external: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
