"""Load YAML the way Serverless Framework 2/3 does (js-yaml 4 with the
CloudFormation schema of @serverless/utils) and write the result as JSON.

The YAML syntax is parsed by ruamel.yaml (a YAML 1.2 parser); every decision
that depends on the loader rather than on the syntax is made here, following
js-yaml 4.3.2:

* plain scalars are typed by js-yaml's DEFAULT_SCHEMA resolvers, in its order
  (null, bool, int, float, timestamp, merge): `yes`/`on`/`y` stay strings,
  `0755` is the decimal 755, `0o17` is octal, `1_000` and `1:20` are strings,
  `2001-12-14` is a timestamp (JSON: its ISO string);
* `!Ref`, `!GetAtt`, `!Sub`, ... become `{"Ref": ...}` / `{"Fn::GetAtt": ...}`,
  a scalar `!GetAtt a.b.c` becomes `["a", "b.c"]`;
* `<<` merge keys merge like js-yaml (explicit keys win, a key merged in may be
  overridden once, sequences and dates are accepted as sources);
* mapping keys are converted with JavaScript's `String()`, and a repeated key
  is an error ("duplicated mapping key"), as in js-yaml;
* numbers are JavaScript numbers (doubles).

YAML 1.1 loaders (PyYAML, js-yaml 3) would read `yes`, `on`, `0755`, `1:20`
differently; check-jsonschema's own YAML reader is ruamel.yaml in YAML 1.2
mode, which is close to js-yaml 4 but not equal (`0755`, timestamps,
CloudFormation tags, merge details), so configs are converted here and handed
to it as JSON.

Usage:
  jsyaml4.py FILE.yml [OUT.json]       convert one file (exit 1 on a load error)
  jsyaml4.py --cases CASES.json        compare with recorded js-yaml 4 results
  jsyaml4.py --batch LIST OUTDIR       convert every file named in LIST
"""

from __future__ import annotations

import base64
import json
import math
import re
import sys
from decimal import Decimal

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scanner import Scanner, ScannerError

CORE = "tag:yaml.org,2002:"
CFN_FUNCTIONS = [
    "And", "Base64", "Cidr", "Condition", "Equals", "FindInMap", "GetAtt", "GetAZs",
    "If", "ImportValue", "Join", "Not", "Or", "Ref", "Select", "Split", "Sub",
]
MAX_DEPTH = 100


class LoadError(Exception):
    pass


class JSDate:
    """A JavaScript Date: milliseconds since the epoch (UTC)."""

    def __init__(self, ms: int):
        self.ms = ms


# --- numbers ---------------------------------------------------------------


def js_number(value):
    """A Python number as JavaScript holds it (a double)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) <= 2**53:
            return value
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    return value


def js_number_to_string(x) -> str:
    """Number.prototype.toString() (ECMA-262 Number::toString)."""
    if isinstance(x, int) and not isinstance(x, bool):
        x = float(x) if abs(x) > 2**53 else x
        if isinstance(x, int):
            return str(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    d = Decimal(repr(abs(x))).normalize()
    _, digit_tuple, exp = d.as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = k + exp
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mant = digits[0] + ("." + digits[1:] if k > 1 else "")
        s = mant + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


def _finite(f) -> bool:
    return not (math.isinf(f) or math.isnan(f))


def _to_double(n: int) -> float:
    try:
        return float(n)
    except OverflowError:
        return math.inf


# --- js-yaml 4.3.2 implicit types (lib/type/*.js) ---------------------------


def resolve_null(s) -> bool:
    return s is None or s in ("~", "null", "Null", "NULL")


def resolve_bool(s: str) -> bool:
    return s in ("true", "True", "TRUE", "false", "False", "FALSE")


def construct_bool(s: str) -> bool:
    return s in ("true", "True", "TRUE")


def _parse_int(s: str) -> int:
    sign = 1
    if s[:1] in ("-", "+"):
        if s[0] == "-":
            sign = -1
        s = s[1:]
    if s == "0":
        return 0
    if s[:1] == "0" and s[1:2] in ("b", "x", "o"):
        return sign * int(s[2:], {"b": 2, "x": 16, "o": 8}[s[1]])
    return sign * int(s, 10)


def resolve_int(s: str) -> bool:
    if not s:
        return False
    i = 0
    if s[0] in "-+":
        i += 1
    if s[i : i + 1] == "0":
        if i + 1 == len(s):
            return True
        i += 1
        base = {"b": "01", "x": "0123456789abcdefABCDEF", "o": "01234567"}.get(s[i])
        if base is not None:
            rest = s[i + 1 :]
            return bool(rest) and all(c in base for c in rest) and _finite(_to_double(_parse_int(s)))
    rest = s[i:]
    if not rest or not all("0" <= c <= "9" for c in rest):
        return False
    return _finite(_to_double(_parse_int(s)))


def construct_int(s: str):
    return js_number(_parse_int(s))


FLOAT_RE = re.compile(
    r"(?:[-+]?(?:[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))"
)
FLOAT_SPECIAL_RE = re.compile(r"(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))")


def _parse_float_prefix(s: str) -> float:
    # JavaScript parseFloat on a string FLOAT_RE accepted.
    try:
        return float(s)
    except ValueError:
        return math.nan


def resolve_float(s: str) -> bool:
    if not FLOAT_RE.fullmatch(s):
        return False
    if s.lower().lstrip("+-") in (".inf", ".nan"):
        return bool(FLOAT_SPECIAL_RE.fullmatch(s))
    return _finite(_parse_float_prefix(s))


def construct_float(s: str):
    v = s.lower()
    sign = -1 if v[:1] == "-" else 1
    if v[:1] in "+-":
        v = v[1:]
    if v == ".inf":
        return math.inf * sign
    if v == ".nan":
        return math.nan
    f = sign * _parse_float_prefix(v)
    if f.is_integer() and abs(f) <= 2**53:
        return int(f)
    return f


DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
TIMESTAMP_RE = re.compile(
    r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)"
    r"(?:[Tt]|[ \t]+)"
    r"([0-9][0-9]?):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]*))?"
    r"(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?"
)


def resolve_timestamp(s: str) -> bool:
    return bool(DATE_RE.fullmatch(s) or TIMESTAMP_RE.fullmatch(s))


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def _date_utc(year, month0, day, h=0, mi=0, s=0, ms=0) -> int:
    """Date.UTC: month and day overflow carry, years 0-99 mean 1900-1999."""
    if 0 <= year <= 99:
        year += 1900
    year += month0 // 12
    month0 %= 12
    days = _days_from_civil(year, month0 + 1, 1) + day - 1
    return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms


def construct_timestamp(s: str) -> JSDate:
    m = DATE_RE.fullmatch(s)
    if m:
        return JSDate(_date_utc(int(m[1]), int(m[2]) - 1, int(m[3])))
    m = TIMESTAMP_RE.fullmatch(s)
    if m is None:
        raise LoadError("Date resolve error")
    frac = 0
    if m[7]:
        frac = int((m[7][:3] + "000")[:3])
    ms = _date_utc(int(m[1]), int(m[2]) - 1, int(m[3]), int(m[4]), int(m[5]), int(m[6]), frac)
    if m[9]:
        delta = (int(m[10]) * 60 + int(m[11] or 0)) * 60000
        ms -= -delta if m[9] == "-" else delta
    return JSDate(ms)


def date_iso(d: JSDate) -> str:
    days, rem = divmod(d.ms, 86400000)
    y, mo, da = _civil_from_days(days)
    h, rem = divmod(rem, 3600000)
    mi, rem = divmod(rem, 60000)
    s, ms = divmod(rem, 1000)
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{'+' if y > 0 else '-'}{abs(y):06d}"
    return f"{year}-{mo:02d}-{da:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z"


def date_string(d: JSDate) -> str:
    """String(date) with TZ=UTC."""
    days, rem = divmod(d.ms, 86400000)
    y, mo, da = _civil_from_days(days)
    wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days % 7]
    mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][mo - 1]
    h, rem = divmod(rem, 3600000)
    mi, rem = divmod(rem, 60000)
    s = rem // 1000
    year = f"{y:04d}" if y >= 0 else f"-{abs(y):06d}"
    return f"{wd} {mon} {da:02d} {year} {h:02d}:{mi:02d}:{s:02d} GMT+0000 (Coordinated Universal Time)"


def resolve_plain(s: str):
    if s == "" or resolve_null(s):
        return None
    if resolve_bool(s):
        return construct_bool(s)
    if resolve_int(s):
        return construct_int(s)
    if resolve_float(s):
        return construct_float(s)
    if resolve_timestamp(s):
        return construct_timestamp(s)
    return s


EXPLICIT = {
    "null": (resolve_null, lambda s: None),
    "bool": (resolve_bool, construct_bool),
    "int": (resolve_int, construct_int),
    "float": (resolve_float, construct_float),
    "timestamp": (resolve_timestamp, construct_timestamp),
}


# --- JavaScript String() of a key ---------------------------------------------


def js_string(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return js_number_to_string(v)
    if isinstance(v, str):
        return v
    if isinstance(v, JSDate):
        return date_string(v)
    if isinstance(v, list):
        return ",".join("" if x is None else js_string(x) for x in v)
    return "[object Object]"


def key_string(k) -> str:
    if isinstance(k, list):
        items = []
        for x in k:
            if isinstance(x, list):
                raise LoadError("nested arrays are not supported inside keys")
            items.append("[object Object]" if isinstance(x, (dict, Bytes)) else x)
        return js_string(items)
    return js_string(k)


class Bytes(dict):
    """A Uint8Array: JSON.stringify writes it as {"0": b0, "1": b1, ...}."""


# --- the loader ---------------------------------------------------------------

_BREAKS = "\r\n\x85\u2028\u2029"


class JsYamlScanner(Scanner):
    """ruamel's scanner with js-yaml's tab rules: a tab is white space
    between tokens and inside plain scalars (`a:\t1`, `a: 1\t# c`,
    `a: x\ty`); only a tab in the indentation before block content is an
    error. (ruamel, like PyYAML, accepts tabs only in flow context.) Implicit
    keys may be longer than 1024 characters, as in js-yaml."""

    def stale_possible_simple_keys(self):
        for level in list(self.possible_simple_keys):
            key = self.possible_simple_keys[level]
            if key.line != self.reader.line:
                if key.required:
                    raise ScannerError(
                        "while scanning a simple key", key.mark, "could not find expected ':'", self.reader.get_mark()
                    )
                del self.possible_simple_keys[level]

    def scan_to_next_token(self):
        srp = self.reader.peek
        srf = self.reader.forward
        if self.reader.index == 0 and srp() == "\ufeff":
            srf()
        while True:
            at_line_start = self.reader.column == 0
            tab = False
            while srp() in " \t":
                tab = tab or srp() == "\t"
                srf()
            ch = srp()
            if at_line_start and tab and not self.flow_level and ch not in "#\0" + _BREAKS:
                raise ScannerError(
                    None, None, "tab characters must not be used in indentation", self.reader.get_mark()
                )
            if ch == "#":
                while srp() not in "\0" + _BREAKS:
                    srf()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return None

    def scan_plain_spaces(self, indent, start_mark):
        srp = self.reader.peek
        srf = self.reader.forward
        chunks = []
        length = 0
        while srp(length) in " \t":
            length += 1
        whitespaces = self.reader.prefix(length)
        self.reader.forward(length)
        ch = srp()
        if ch in _BREAKS:
            line_break = self.scan_line_break()
            self.allow_simple_key = True
            prefix = self.reader.prefix(3)
            if (prefix == "---" or prefix == "...") and srp(3) in "\0 \t" + _BREAKS:
                return None
            breaks = []
            while srp() in " \t" + _BREAKS:
                if srp() in " \t":
                    srf()
                else:
                    breaks.append(self.scan_line_break())
                    prefix = self.reader.prefix(3)
                    if (prefix == "---" or prefix == "...") and srp(3) in "\0 \t" + _BREAKS:
                        return None
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks


class Loader:
    def __init__(self, text: str):
        yaml = YAML(typ="safe", pure=True)
        yaml.Scanner = JsYamlScanner
        self.events = iter(yaml.parse(text))
        self.anchors: dict[str, object] = {}
        self.peeked = None

    def next(self):
        if self.peeked is not None:
            e, self.peeked = self.peeked, None
            return e
        return next(self.events)

    def peek(self):
        if self.peeked is None:
            self.peeked = next(self.events)
        return self.peeked

    def load(self):
        e = self.next()
        assert isinstance(e, ev.StreamStartEvent)
        if isinstance(self.peek(), ev.StreamEndEvent):
            return None
        self.next()  # DocumentStart
        value = self.node(0)
        self.next()  # DocumentEnd
        if not isinstance(self.peek(), ev.StreamEndEvent):
            raise LoadError("expected a single document in the stream, but found more")
        return value

    @staticmethod
    def tag_of(e):
        tag = e.tag
        if tag is None or tag == "!":
            return tag
        return str(tag)

    def node(self, depth: int):
        e = self.next()
        empty = isinstance(e, ev.ScalarEvent) and e.style is None and e.value == "" and e.tag is None
        if depth + 1 >= MAX_DEPTH and not empty:
            raise LoadError(f"nesting exceeded maxDepth ({MAX_DEPTH})")
        if isinstance(e, ev.AliasEvent):
            if e.anchor not in self.anchors:
                raise LoadError(f'unidentified alias "{e.anchor}"')
            return self.anchors[e.anchor]
        tag = self.tag_of(e)
        if isinstance(e, ev.ScalarEvent):
            value = self.scalar(e, tag)
        elif isinstance(e, ev.SequenceStartEvent):
            value = []
            if e.anchor:
                self.anchors[e.anchor] = value
            while not isinstance(self.peek(), ev.SequenceEndEvent):
                value.append(self.node(depth + 1))
            self.next()
            value = self.tagged(value, tag, "sequence")
        elif isinstance(e, ev.MappingStartEvent):
            value = {}
            if e.anchor:
                self.anchors[e.anchor] = value
            self.mapping(value, depth)
            value = self.tagged(value, tag, "mapping")
        else:
            raise LoadError(f"unexpected {type(e).__name__}")
        if getattr(e, "anchor", None):
            self.anchors[e.anchor] = value
        return value

    def scalar(self, e, tag):
        s = e.value
        if tag is None:
            if e.style is None:
                return resolve_plain(s)
            return s
        # A tagged node with no content is `null` to js-yaml's constructors;
        # an empty quoted scalar is the string "".
        data = None if (e.style is None and s == "") else s
        if tag == "!":
            return s
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.cfn(tag, data, "scalar")
        if tag.startswith(CORE):
            name = tag[len(CORE) :]
            if name == "str":
                return s
            if data is None and name in ("seq", "map"):
                return [] if name == "seq" else {}
            if data is None and name in ("null", "int", "float", "bool", "timestamp"):
                if name == "null":
                    return None
                raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag")
            if name == "merge" and s == "<<":
                return s
            if name in EXPLICIT:
                resolve, construct = EXPLICIT[name]
                if not resolve(s):
                    raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag")
                return construct(s)
            if name == "binary":
                try:
                    data = base64.b64decode("".join(s.split()), validate=True)
                except ValueError:
                    raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag") from None
                return Bytes({str(i): b for i, b in enumerate(data)})
        raise LoadError(f"unknown tag !<{tag}>")

    def cfn(self, tag, data, kind):
        name = tag[1:]
        if name not in CFN_FUNCTIONS:
            raise LoadError(f"unknown tag !<{tag}>")
        if name == "GetAtt" and isinstance(data, str):
            first, _, rest = data.partition(".")
            data = [first, rest]
        fn = name if name in ("Ref", "Condition") else f"Fn::{name}"
        return {fn: data}

    def tagged(self, value, tag, kind):
        if tag is None or tag == "!":
            return value
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.cfn(tag, value, kind)
        name = tag[len(CORE) :] if tag.startswith(CORE) else None
        if kind == "sequence" and name == "seq":
            return value
        if kind == "mapping" and name == "map":
            return value
        if kind == "mapping" and name == "set":
            if any(v is not None for v in value.values()):
                raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag")
            return value
        if kind == "sequence" and name in ("omap", "pairs"):
            out, seen = [], set()
            for item in value:
                if not isinstance(item, dict) or len(item) != 1:
                    raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag")
                (k, v), = item.items()
                if name == "omap":
                    if k in seen:
                        raise LoadError(f"cannot resolve a node with !<{tag}> explicit tag")
                    seen.add(k)
                    out.append(item)
                else:
                    out.append([k, v])
            return out
        raise LoadError(f"unknown tag !<{tag}>")

    def mapping(self, result: dict, depth: int):
        overridable: set[str] = set()
        while not isinstance(self.peek(), ev.MappingEndEvent):
            k = self.peek()
            is_merge = (
                isinstance(k, ev.ScalarEvent)
                and k.value == "<<"
                and (
                    (k.tag is None and k.style is None)
                    or self.tag_of(k) == CORE + "merge"
                )
            )
            key = self.node(depth + 1)
            value = self.node(depth + 1)
            if is_merge:
                sources = value if isinstance(value, list) else [value]
                for src in sources:
                    self.merge(result, src, overridable)
                continue
            name = key_string(key)
            if name in result and name not in overridable:
                raise LoadError("duplicated mapping key")
            result[name] = value
            overridable.discard(name)
        self.next()

    @staticmethod
    def merge(dest: dict, src, overridable: set):
        if isinstance(src, JSDate):
            return
        if isinstance(src, list):
            src = {str(i): v for i, v in enumerate(src)}
        if not isinstance(src, dict):
            raise LoadError("cannot merge mappings; the provided source object is unacceptable")
        for k, v in list(src.items()):
            if k not in dest:
                dest[k] = v
                overridable.add(k)


def to_json(value):
    """JSON.parse(JSON.stringify(value)) as Python data (dates as ISO strings,
    non-finite numbers as null)."""
    seen: set[int] = set()

    def walk(v):
        if isinstance(v, JSDate):
            return date_iso(v)
        if isinstance(v, float) and not _finite(v):
            return None
        if isinstance(v, (dict, list)):
            if id(v) in seen:
                raise LoadError("Converting circular structure to JSON")
            seen.add(id(v))
            out = {k: walk(x) for k, x in v.items()} if isinstance(v, dict) else [walk(x) for x in v]
            seen.discard(id(v))
            return out
        return v

    return walk(value)


def load(text: str):
    """The value js-yaml 4 (CloudFormation schema) loads from `text`, as JSON data."""
    if text.startswith("\ufeff"):
        text = text[1:]
    # js-yaml's loadDocuments appends a line break when the input lacks one
    # (so a literal block scalar at the end of the file keeps its "\n").
    if text and text[-1] not in "\n\r":
        text += "\n"
    if "\x00" in text:
        raise LoadError("null byte is not allowed in input")
    try:
        return to_json(Loader(text).load())
    except YAMLError as e:
        raise LoadError(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
    except RecursionError:
        raise LoadError(f"nesting exceeded maxDepth ({MAX_DEPTH})") from None


def load_file(path: str):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    return load(text)


def same(a, b) -> bool:
    """Equal as JSON values (1 == 1.0, key order ignored)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def compare_cases(path: str) -> int:
    """Compare with the js-yaml 4 results recorded in fixtures/yaml-typing.
    Prints one line per difference and a summary; exit 0."""
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)
    agree = 0
    for case in cases:
        want = case["v4"]
        try:
            got = {"ok": load(case["yaml"])}
        except LoadError as e:
            got = {"error": str(e)}
        if "ok_text" in want:
            want = {"ok": json.loads(want["ok_text"])}
        if ("error" in want and "error" in got) or (
            "ok" in want and "ok" in got and same(want["ok"], got["ok"])
        ):
            agree += 1
        else:
            print(f"DIFF\t{case['name']}\twant {json.dumps(want)[:160]}\tgot {json.dumps(got)[:160]}")
    print(f"AGREE\t{agree}\t{len(cases)}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--cases":
        return compare_cases(argv[1])
    if len(argv) == 3 and argv[0] == "--batch":
        with open(argv[1], encoding="utf-8") as f:
            items = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        for src, out in items:
            try:
                data = load_file(src)
            except (LoadError, ValueError, UnicodeDecodeError) as e:
                print(f"LOAD-ERROR\t{src}\t{e}")
                continue
            with open(out, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
        return 0
    if len(argv) in (1, 2) and not argv[0].startswith("-"):
        try:
            data = load_file(argv[0])
        except (LoadError, ValueError, UnicodeDecodeError) as e:
            print(f"{argv[0]}: {e}", file=sys.stderr)
            return 1
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if len(argv) == 2:
            with open(argv[1], "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
