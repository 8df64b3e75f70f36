//! granit-parser events → [`Node`] tree, with js-yaml's construction rules:
//! `String(key)` mapping keys, duplicate-key errors, `<<` merges, anchors
//! and aliases (cloned, counted against [`Limits`]), core and CloudFormation
//! tags, and js-yaml 4's nesting limit.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{
    ErrorKind, Event, Marker, Parser, ScalarStyle, ScanError, Span, StructureStyle, Tag,
};

use super::resolve::{self, Typed};
use super::{Comment, Dialect, Limits, Parsed, YamlError};
use crate::source::node::{Entry, Map, Node, Style, Value};
use crate::source::{FileId, Loc};

/// js-yaml 4's `maxDepth` default.
const JS_YAML4_MAX_DEPTH: usize = 100;
/// js-yaml's `maxTotalMergeKeys` default (3.15.2 and 4.3.2).
const MAX_TOTAL_MERGE_KEYS: usize = 10_000;
/// Text counts against [`Limits::max_nodes`] as one node per this many bytes,
/// so that aliases of long strings are bounded too.
const BYTES_PER_NODE: usize = 64;
/// js-yaml's limit on the length of a `<<: [...]` sequence.
const MAX_MERGE_SEQUENCE: usize = 100;

/// The CloudFormation short-form tags of the framework's schema.
const CFN_FUNCTIONS: [&str; 17] = [
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
];

const CORE: &str = "tag:yaml.org,2002:";

/// How many `key:[`/`key:{` spots in flow mappings we repair before giving up.
const MAX_ADJACENT_REPAIRS: usize = 64;

pub(super) fn load(
    text: &str,
    file: FileId,
    dialect: Dialect,
    limits: &Limits,
) -> Result<Parsed, YamlError> {
    // js-yaml reads `{a:[1]}` as `{a: [1]}`; YAML (and granit) require a
    // space after the `:` there. Where granit stops on exactly that, insert
    // the space and parse again, then map offsets back to the original text.
    let mut work: Cow<'_, str> = Cow::Borrowed(text);
    // Offsets (in `work`) of the spaces we inserted, ascending.
    let mut inserted: Vec<usize> = Vec::new();
    loop {
        match load_once(&work, file, dialect, limits) {
            Ok(mut parsed) => {
                if !inserted.is_empty() {
                    remap_parsed(&mut parsed, &inserted);
                }
                return Ok(parsed);
            }
            Err(Failure::AdjacentValue(colon, mut e)) => {
                let at = colon + 1;
                if inserted.len() >= MAX_ADJACENT_REPAIRS
                    || work.as_bytes().get(colon) != Some(&b':')
                {
                    e.loc = remap_loc(e.loc, &inserted);
                    return Err(e);
                }
                for w in &mut inserted {
                    if *w >= at {
                        *w += 1;
                    }
                }
                inserted.push(at);
                inserted.sort_unstable();
                let mut s = work.into_owned();
                s.insert(at, ' ');
                work = Cow::Owned(s);
            }
            Err(Failure::Other(mut e)) => {
                e.loc = remap_loc(e.loc, &inserted);
                return Err(e);
            }
        }
    }
}

enum Failure {
    /// granit's "':' may not precede any of `[{` in flow mapping", at this `:`.
    AdjacentValue(usize, YamlError),
    Other(YamlError),
}

impl From<YamlError> for Failure {
    fn from(e: YamlError) -> Self {
        Failure::Other(e)
    }
}

fn remap_offset(o: usize, inserted: &[usize]) -> usize {
    o - inserted.partition_point(|&w| w < o)
}

fn remap_loc(l: Loc, inserted: &[usize]) -> Loc {
    Loc::new(
        l.file,
        remap_offset(l.start, inserted),
        remap_offset(l.end, inserted),
    )
}

fn remap_node(n: &mut Node, inserted: &[usize]) {
    n.loc = remap_loc(n.loc, inserted);
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|x| remap_node(x, inserted)),
        Value::Map(m) => m.iter_mut().for_each(|e| {
            e.key_loc = remap_loc(e.key_loc, inserted);
            remap_node(&mut e.value, inserted);
        }),
        _ => {}
    }
}

fn remap_parsed(p: &mut Parsed, inserted: &[usize]) {
    remap_node(&mut p.root, inserted);
    for c in &mut p.comments {
        c.loc = remap_loc(c.loc, inserted);
    }
}

fn load_once(
    text: &str,
    file: FileId,
    dialect: Dialect,
    limits: &Limits,
) -> Result<Parsed, Failure> {
    let nesting = limits.max_depth.saturating_add(2).max(8);
    let options = granit_parser::options! {
        flow_nesting_limit: nesting,
        block_nesting_limit: nesting,
        // js-yaml has no limit on the length of an implicit key.
        simple_key_max_lookahead: usize::MAX,
        // js-yaml reads a BOM after the start of the text as content.
        bom_inside_document_as_content: true,
        // Anchor names: js-yaml resolves an alias to the anchor stored last.
        emit_anchor_events: true,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        text,
        file,
        dialect,
        limits,
        stack: Vec::new(),
        anchors: Vec::new(),
        anchor_names: Vec::new(),
        current_anchor: HashMap::new(),
        root: None,
        comments: Vec::new(),
        nodes: 0,
        copied: 0,
        merge_work: 0,
        documents: 0,
        cursor: 0,
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(x) => x,
            Err(e) => {
                let err = b.scan_error(&e);
                if matches!(e.kind(), ErrorKind::FlowMappingValueAdjacentCollection) {
                    return Err(Failure::AdjacentValue(err.loc.start, err));
                }
                return Err(Failure::Other(err));
            }
        };
        if b.event(event, span)? {
            break;
        }
    }
    let root = match b.root {
        Some(built) => built.node,
        None => {
            let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
            Node::new(Value::Null, Loc::new(file, at, at), Style::Plain)
        }
    };
    Ok(Parsed {
        root,
        comments: b.comments,
    })
}

/// A node just finished, with what its parent needs to know about it.
struct Built {
    node: Node,
    /// The text at the place of use (for an alias: the `*name` token).
    start: usize,
    end: usize,
    /// Set when the value is a JavaScript `Date` (kept as its ISO string in `node`).
    date: Option<f64>,
    /// For a sequence: the items that are `Date`s (index, time).
    item_dates: Vec<(usize, f64)>,
    /// A mapping key resolved to the merge type (`<<`).
    merge_key: bool,
    /// Nodes in this subtree (what a copy costs).
    count: usize,
    /// 1 for a scalar.
    height: usize,
    /// Line (1-based) where the text at the place of use ends.
    end_line: usize,
}

struct Anchored {
    node: Node,
    date: Option<f64>,
    item_dates: Vec<(usize, f64)>,
    count: usize,
    height: usize,
}

/// A tag, classified.
#[derive(Clone, Debug, PartialEq)]
enum TagKind {
    /// `!`: no resolution (a string for scalars).
    NonSpecific,
    /// `tag:yaml.org,2002:<suffix>`.
    Core(String),
    /// A CloudFormation function; the key it becomes (`Ref`, `Fn::GetAtt`...).
    Cfn(&'static str),
}

#[derive(Clone, Debug)]
struct TagInfo {
    kind: TagKind,
    /// The tag as written, for messages.
    name: String,
    loc: Loc,
}

struct PendingKey {
    key: String,
    loc: Loc,
    merge: bool,
    /// Line where the key's text ends (1-based).
    end_line: usize,
}

#[derive(Default)]
struct MapBuilder {
    entries: Vec<Entry>,
    /// Entry came from a merge and may still be overridden by an explicit key.
    overridable: Vec<bool>,
    index: Option<HashMap<String, usize>>,
    pending: Option<PendingKey>,
}

impl MapBuilder {
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|e| e.key == key),
        }
    }

    fn push(&mut self, entry: Entry, overridable: bool) {
        if let Some(index) = &mut self.index {
            index.insert(entry.key.clone(), self.entries.len());
        } else if self.entries.len() >= 16 {
            let mut index: HashMap<String, usize> = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            index.insert(entry.key.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push(entry);
        self.overridable.push(overridable);
    }
}

enum Kind {
    /// Items, and which of them are `Date`s.
    Seq(Vec<Node>, Vec<(usize, f64)>),
    Map(MapBuilder),
}

struct Frame {
    kind: Kind,
    flow: bool,
    /// `[`/`{` for flow, the first `-` for a block sequence.
    start: usize,
    /// First child's text start (block mappings start there).
    first: Option<usize>,
    /// Last child's text end.
    end: usize,
    anchor: usize,
    tag: Option<TagInfo>,
    count: usize,
    height: usize,
    /// Depth of this collection (root = 1), CloudFormation wrappers included.
    level: usize,
    /// js-yaml 4's depth counter for this collection's content.
    js_depth: usize,
}

struct Builder<'a> {
    text: &'a str,
    file: FileId,
    dialect: Dialect,
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// Indexed by granit's anchor id; `None` while the anchored collection is open.
    anchors: Vec<Option<Anchored>>,
    /// Anchor id → its name.
    anchor_names: Vec<Option<String>>,
    /// Name → the id js-yaml would resolve it to: the anchor stored last
    /// (a collection is stored when it opens and again when it closes).
    current_anchor: HashMap<String, usize>,
    root: Option<Built>,
    comments: Vec<Comment>,
    nodes: usize,
    /// Of `nodes`, those copied by aliases and merges.
    copied: usize,
    merge_work: usize,
    documents: usize,
    /// End of the furthest token seen so far.
    cursor: usize,
}

fn off(m: &Marker) -> usize {
    m.byte_offset().unwrap_or_else(|| m.index())
}

/// Where a child node sits, for js-yaml 4's depth accounting.
struct Position {
    /// Depth of the node itself (root = 1).
    level: usize,
    /// js-yaml's `composeNode` depth before any block-mapping probe.
    js_base: usize,
    /// In a block context where js-yaml first tries to read a block mapping
    /// (root, block sequence entry, mapping value on a new line), which costs
    /// one more level of its counter for anything but a block collection.
    probe_new_line: bool,
    /// A block mapping value (properties on the same line also trigger the probe).
    block_value: bool,
}

impl<'a> Builder<'a> {
    fn loc(&self, start: usize, end: usize) -> Loc {
        Loc::new(self.file, start, end)
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let mut at = off(e.marker()).min(self.text.len());
        let kind = e.kind();
        let mut end = at;
        if matches!(
            kind,
            ErrorKind::TabInIndentation
                | ErrorKind::TabInBlockIndentation
                | ErrorKind::TabNotAllowed
        ) && let Some(tab) = self.tab_before(at)
        {
            // The scanner stops after the whitespace; point at the tab itself.
            at = tab;
            end = tab + 1;
        }
        let loc = self.loc(at, end);
        let (message, help): (String, Option<&str>) = match kind {
            ErrorKind::TabInIndentation
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabNotAllowed => (
                "found a tab character that violates indentation".into(),
                Some("YAML indentation must use spaces; replace the tab with spaces"),
            ),
            ErrorKind::TabInPlainScalar => (
                "found a tab character inside an unquoted value".into(),
                Some("quote the value, or replace the tab with spaces"),
            ),
            ErrorKind::RecursionLimitExceeded => (
                format!(
                    "the document nests deeper than {} levels",
                    self.limits.max_depth
                ),
                Some("flatten the structure; no serverless config needs this much nesting"),
            ),
            ErrorKind::UnknownAnchor => (
                "this alias refers to an anchor that is not defined before it".into(),
                Some("define the anchor (`&name`) before using the alias (`*name`)"),
            ),
            ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidMappingValueWhitespace => (
                "a `key: value` pair is not allowed here".into(),
                Some("check the indentation of this line, or quote the value if it contains `: `"),
            ),
            ErrorKind::ExpectedBlockMappingKey => (
                "did not find the expected `key:` at this indentation".into(),
                Some("check that this line is indented like its sibling keys"),
            ),
            ErrorKind::ExpectedBlockSequenceEntry => (
                "did not find the expected `- ` list item at this indentation".into(),
                Some("check that this line is indented like the other items of the list"),
            ),
            ErrorKind::BlockSequenceEntryNotAllowed => (
                "a `- ` list item is not allowed here".into(),
                Some("start the list on its own line, indented under its key"),
            ),
            ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => (
                "could not find the `:` that ends this key".into(),
                Some(
                    "a key must fit on one line and be followed by `: `; quote it if it contains special characters",
                ),
            ),
            ErrorKind::UnclosedQuotedScalar => (
                "this quoted string is never closed".into(),
                Some("add the closing quote"),
            ),
            ErrorKind::UnknownQuotedScalarEscape => (
                "unknown escape sequence in a double-quoted string".into(),
                Some("write a backslash as `\\\\`, or use single quotes"),
            ),
            ErrorKind::UnexpectedEofFlowSequence | ErrorKind::UnclosedFlowCollection { .. } => (
                kind.to_string(),
                Some("close the `[` or `{` with a matching `]` or `}`"),
            ),
            ErrorKind::UnexpectedEofFlowMapping => {
                (kind.to_string(), Some("close the `{` with a matching `}`"))
            }
            ErrorKind::UnexpectedCharacter { character } if character.is_control() => (
                format!(
                    "an invisible control character (U+{:04X}) is not allowed here",
                    u32::from(*character)
                ),
                Some(
                    "delete it (most editors do not show it); inside double quotes, write it as an escape such as `\\e` or `\\x1b`",
                ),
            ),
            ErrorKind::UnexpectedCharacter { character } if matches!(character, '@' | '`') => (
                format!("`{character}` cannot start a value"),
                Some("quote the value"),
            ),
            ErrorKind::BomInsideDocument => (
                kind.to_string(),
                Some(
                    "remove the byte-order mark; only one at the very start of the file is allowed",
                ),
            ),
            ErrorKind::InvalidColonPlacement => (
                kind.to_string(),
                Some(
                    "a `[` or `{` above may not be closed: close it; otherwise quote the value that holds the `:`",
                ),
            ),
            _ => (
                kind.to_string(),
                Some(
                    "fix the YAML at this place; if the line looks right, look above it for an unclosed `[`, `{` or quote",
                ),
            ),
        };
        let mut err = YamlError::new(message, loc);
        if let Some(h) = help {
            err = err.help(h);
        }
        err
    }

    /// The first tab in the whitespace that runs up to `at` on its line.
    fn tab_before(&self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut start = at.min(bytes.len());
        while start > 0 && matches!(bytes.get(start - 1), Some(b' ' | b'\t')) {
            start -= 1;
        }
        (start..at).find(|&i| bytes.get(i) == Some(&b'\t'))
    }

    fn too_many_nodes(&self, loc: Loc) -> YamlError {
        if self.copied == 0 {
            return YamlError::new(
                format!(
                    "the document holds more than {} values; slsasync stops reading here",
                    self.limits.max_nodes
                ),
                loc,
            )
            .help("no serverless config needs this many values: split the data into `${file(...)}` includes, or check that this is the right file");
        }
        YamlError::new(
            format!(
                "expanding aliases creates more than {} nodes (an alias bomb?)",
                self.limits.max_nodes
            ),
            loc,
        )
        .help("each `*alias` copies the anchored value; reduce how often large anchored values are repeated")
    }

    /// [`Self::count_nodes`] for nodes an alias or a merge copies.
    fn count_copies(&mut self, n: usize, loc: Loc) -> Result<(), YamlError> {
        self.copied = self.copied.saturating_add(n);
        self.count_nodes(n, loc)
    }

    fn count_nodes(&mut self, n: usize, loc: Loc) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(self.too_many_nodes(loc));
        }
        Ok(())
    }

    fn too_deep(&self, loc: Loc) -> YamlError {
        YamlError::new(
            format!(
                "the document nests deeper than {} levels",
                self.limits.max_depth
            ),
            loc,
        )
        .help("flatten the structure; no serverless config needs this much nesting")
    }

    fn js_too_deep(&self, loc: Loc) -> YamlError {
        YamlError::new(
            format!("nesting exceeded maxDepth ({JS_YAML4_MAX_DEPTH}): the framework's YAML loader (js-yaml 4) refuses to nest this deep"),
            loc,
        )
        .help("flatten the structure")
    }

    /// Returns true at the end of the stream.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, YamlError> {
        let start = off(&span.start);
        let end = off(&span.end);
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError::new(
                        "the file holds more than one YAML document",
                        self.loc(start, end),
                    )
                    .help(
                        "the framework reads a single document (js-yaml `load`); remove this `---` and what follows, or merge the documents",
                    ));
                }
                self.cursor = self.cursor.max(end);
            }
            Event::Comment(text, _placement) => {
                let before = self.text.get(..start).unwrap_or("");
                let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let own_line = before
                    .get(line_start..)
                    .unwrap_or("")
                    .chars()
                    .all(|c| c == ' ' || c == '\t' || c == '\u{feff}');
                self.comments.push(Comment {
                    loc: self.loc(start, end),
                    text: text.into_owned(),
                    own_line,
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                let built = self.scalar(value, style, anchor, tag.as_deref(), &span)?;
                self.cursor = self.cursor.max(end);
                if anchor != 0 {
                    self.set_anchor(anchor, &built);
                }
                self.complete(built)?;
            }
            Event::SequenceStart(style, anchor, tag) => {
                self.open(
                    Kind::Seq(Vec::new(), Vec::new()),
                    style,
                    anchor,
                    tag.as_deref(),
                    &span,
                )?;
                self.cursor = self.cursor.max(end);
            }
            Event::MappingStart(style, anchor, tag) => {
                self.open(
                    Kind::Map(MapBuilder::default()),
                    style,
                    anchor,
                    tag.as_deref(),
                    &span,
                )?;
                self.cursor = self.cursor.max(end);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(start, end, span.end.line())?;
                self.cursor = self.cursor.max(end);
            }
            Event::Anchor(id, name) => {
                if self.anchor_names.len() <= id {
                    self.anchor_names.resize(id + 1, None);
                }
                self.current_anchor.insert(name.to_string(), id);
                self.anchor_names[id] = Some(name.into_owned());
            }
            Event::Alias(id) => {
                let built = self.alias(id, start, end, &span)?;
                self.cursor = self.cursor.max(end);
                self.complete(built)?;
            }
            _ => {}
        }
        Ok(false)
    }

    /// Where the next child goes.
    fn position(&self) -> Position {
        match self.stack.last() {
            None => Position {
                level: 1,
                js_base: 1,
                probe_new_line: true,
                block_value: false,
            },
            Some(f) => {
                let (probe_new_line, block_value) = if f.flow {
                    (false, false)
                } else {
                    match &f.kind {
                        Kind::Seq(..) => (true, false),
                        Kind::Map(m) => (false, m.pending.is_some()),
                    }
                };
                Position {
                    level: f.level + 1,
                    js_base: f.js_depth + 1,
                    probe_new_line,
                    block_value,
                }
            }
        }
    }

    /// js-yaml 4 depth of a node at `pos` (before its own children).
    fn js_depth(&self, pos: &Position, start_line: usize, has_props: bool, content: bool) -> usize {
        let mut probe = pos.probe_new_line && (content || has_props);
        if pos.block_value && (content || has_props) {
            let key_line = match self.stack.last().map(|f| &f.kind) {
                Some(Kind::Map(m)) => m.pending.as_ref().map_or(0, |p| p.end_line),
                _ => 0,
            };
            probe = has_props || start_line > key_line;
        }
        pos.js_base + usize::from(probe)
    }

    fn check_js_depth(&self, depth: usize, loc: Loc) -> Result<(), YamlError> {
        if self.dialect == Dialect::JsYaml4 && depth > JS_YAML4_MAX_DEPTH {
            return Err(self.js_too_deep(loc));
        }
        Ok(())
    }

    fn classify_tag(&self, tag: &Tag, span: &Span, fallback: usize) -> Result<TagInfo, YamlError> {
        let loc = match span.tag_span() {
            Some(s) => self.loc(off(&s.start), off(&s.end)),
            None => {
                let at = span.tag_start.as_ref().map_or(fallback, off);
                self.loc(at, at)
            }
        };
        let full = format!("{}{}", tag.handle(), tag.suffix());
        let name = self
            .text
            .get(loc.range())
            .filter(|s| !s.is_empty())
            .map_or_else(|| tag.original(), str::to_owned);
        let kind = if self.dialect == Dialect::JsYaml3 && name.contains('%') {
            // js-yaml 3 does not decode %-escapes in tags.
            return Err(unknown_tag(&name, loc));
        } else if full == "!" {
            TagKind::NonSpecific
        } else if let Some(suffix) = full.strip_prefix(CORE) {
            let known = [
                "str",
                "int",
                "float",
                "bool",
                "null",
                "timestamp",
                "merge",
                "binary",
                "omap",
                "pairs",
                "set",
                "map",
                "seq",
            ];
            let js3 = ["js/undefined", "js/regexp", "js/function"];
            if known.contains(&suffix)
                || (self.dialect == Dialect::JsYaml3 && js3.contains(&suffix))
            {
                TagKind::Core(suffix.to_owned())
            } else {
                return Err(unknown_tag(&name, loc));
            }
        } else if let Some(f) = full
            .strip_prefix('!')
            .and_then(|n| CFN_FUNCTIONS.iter().find(|f| **f == n))
        {
            TagKind::Cfn(cfn_key(f))
        } else {
            return Err(unknown_tag(&name, loc));
        };
        Ok(TagInfo { kind, name, loc })
    }

    /// An empty key of a block mapping written as a bare `: value` (not after `?`).
    fn implicit_empty_key(&self, at: usize) -> bool {
        let is_block_key = matches!(
            self.stack.last(),
            Some(Frame { kind: Kind::Map(m), flow: false, .. }) if m.pending.is_none()
        );
        if !is_block_key {
            return false;
        }
        let bytes = self.text.as_bytes();
        let mut i = at;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if bytes.get(i) != Some(&b':') {
            return false;
        }
        let before = self
            .text
            .get(..at)
            .unwrap_or("")
            .trim_end_matches([' ', '\t', '\n', '\r']);
        !before.ends_with('?')
    }

    /// The text range of a block scalar: from its `|`/`>` header to its last
    /// non-blank character.
    fn block_scalar_range(&self, start: usize, end: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let mut i = self.cursor.min(start);
        let mut header = None;
        while i < start {
            match bytes.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | b':' | b'-' | b'?' | b',') => i += 1,
                Some(b'#') => {
                    while i < start && !matches!(bytes.get(i), Some(b'\n' | b'\r')) {
                        i += 1;
                    }
                }
                Some(b'&' | b'!') => {
                    while i < start && !matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                        i += 1;
                    }
                }
                Some(b'|' | b'>') => {
                    header = Some(i);
                    break;
                }
                _ => break,
            }
        }
        let content_len = self
            .text
            .get(start..end)
            .map_or(0, |s| s.trim_end_matches([' ', '\t', '\n', '\r']).len());
        let content_end = start + content_len;
        match header {
            Some(h) => {
                let mut he = h + 1;
                while matches!(bytes.get(he), Some(b'0'..=b'9' | b'+' | b'-')) {
                    he += 1;
                }
                // An empty block scalar ends with its header (the parser
                // puts its content where the next line starts).
                if content_len == 0 {
                    (h, he)
                } else {
                    (h, content_end.max(he))
                }
            }
            None => (start, content_end.max(start)),
        }
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: &Span,
    ) -> Result<Built, YamlError> {
        let mut start = off(&span.start);
        let mut end = off(&span.end);
        let empty = style == ScalarStyle::Plain && start == end;
        if empty && tag.is_none() && anchor == 0 && self.implicit_empty_key(start) {
            return Err(YamlError::new(
                "incomplete mapping pair: a `:` with no key before it",
                self.loc(start, start + 1),
            )
            .help("write the key before the `:` (the framework's js-yaml rejects an empty implicit key)"));
        }
        if empty {
            // After the `:` of `key:` rather than before it.
            let bytes = self.text.as_bytes();
            let mut i = start;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if bytes.get(i) == Some(&b':') {
                start = i + 1;
                end = i + 1;
            }
        } else if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            (start, end) = self.block_scalar_range(start, end);
        }
        let loc = self.loc(start, end);
        let tag = match tag {
            Some(t) => Some(self.classify_tag(t, span, start)?),
            None => None,
        };
        let pos = self.position();
        let cfn = matches!(
            tag,
            Some(TagInfo {
                kind: TagKind::Cfn(_),
                ..
            })
        );
        let level = pos.level + usize::from(cfn);
        if level > self.limits.max_depth {
            return Err(self.too_deep(loc));
        }
        let has_props = anchor != 0 || tag.is_some();
        let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
        let mut js = self.js_depth(&pos, span.start.line(), has_props && !block, !empty);
        if block && pos.block_value {
            js = pos.js_base;
        }
        self.check_js_depth(js, loc)?;
        let weight = 1 + usize::from(cfn) + value.len() / BYTES_PER_NODE;
        self.count_nodes(weight, loc)?;
        let node_style = match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        };
        let mut date = None;
        let mut merge_key = false;
        let string = |s: Cow<'_, str>| Value::String(s.into_owned());
        let node = match &tag {
            None => {
                let v = if empty {
                    Value::Null
                } else if style == ScalarStyle::Plain {
                    match resolve::implicit(&value, self.dialect) {
                        Typed::Null => Value::Null,
                        Typed::Bool(b) => Value::Bool(b),
                        Typed::Number(n) => Value::Number(n),
                        Typed::Date(t) => {
                            date = Some(t);
                            Value::String(resolve::iso_string(t))
                        }
                        Typed::Merge => {
                            merge_key = true;
                            string(value)
                        }
                        Typed::Str => string(value),
                    }
                } else {
                    string(value)
                };
                Node::new(v, loc, node_style)
            }
            Some(t) => match &t.kind {
                TagKind::NonSpecific => Node::new(string(value), loc, node_style),
                TagKind::Cfn(key) => {
                    let inner = if empty {
                        Node::new(Value::Null, loc, node_style)
                    } else if *key == "Fn::GetAtt" {
                        self.get_att(&value, style, loc, node_style)
                    } else {
                        Node::new(string(value), loc, node_style)
                    };
                    let whole = self.loc(t.loc.start.min(start), end.max(t.loc.end));
                    wrap(key, t.loc, inner, whole)
                }
                TagKind::Core(suffix) => {
                    let data = if empty { None } else { Some(value.as_ref()) };
                    let (v, d, m) = self.core_scalar(suffix, data, t, loc)?;
                    date = d;
                    merge_key = m;
                    Node::new(v, loc, node_style)
                }
            },
        };
        let (start, end) = match &tag {
            Some(t) if cfn => (t.loc.start.min(start), end),
            _ => (start, end),
        };
        Ok(Built {
            node,
            start,
            end,
            date,
            item_dates: Vec::new(),
            merge_key,
            count: weight,
            height: 1 + usize::from(cfn),
            end_line: span.end.line(),
        })
    }

    /// `!GetAtt a.b.c` → `["a", "b.c"]`.
    fn get_att(&self, value: &str, style: ScalarStyle, loc: Loc, node_style: Style) -> Node {
        let (first, rest) = value.split_once('.').unwrap_or((value, ""));
        // Sub-spans when the source text is the value itself.
        let raw = self.text.get(loc.range()).unwrap_or("");
        let raw = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")
            }
            _ => raw,
        };
        let inner_start = loc.start
            + usize::from(matches!(
                style,
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
            ));
        let (l1, l2) = if raw == value {
            let dot = inner_start + first.len();
            (
                self.loc(inner_start, dot),
                self.loc((dot + 1).min(loc.end), loc.end.max(dot)),
            )
        } else {
            (loc, loc)
        };
        Node::new(
            Value::Seq(vec![
                Node::new(Value::String(first.to_owned()), l1, Style::Synthetic),
                Node::new(Value::String(rest.to_owned()), l2, Style::Synthetic),
            ]),
            loc,
            node_style,
        )
    }

    /// A core-tagged scalar (`!!str`, `!!int`...): js-yaml's explicit resolve + construct.
    /// `data` is `None` for an empty node.
    fn core_scalar(
        &self,
        suffix: &str,
        data: Option<&str>,
        tag: &TagInfo,
        loc: Loc,
    ) -> Result<(Value, Option<f64>, bool), YamlError> {
        let cannot = || cannot_resolve(&tag.name, loc);
        let d = self.dialect;
        Ok(match (suffix, data) {
            ("str", s) => (Value::String(s.unwrap_or("").to_owned()), None, false),
            ("null", None) => (Value::Null, None, false),
            ("null", Some(s)) if resolve::is_null(s) => (Value::Null, None, false),
            ("bool", Some(s)) => (
                Value::Bool(resolve::bool_value(s).ok_or_else(cannot)?),
                None,
                false,
            ),
            ("int", Some(s)) => (
                Value::Number(resolve::int_value(s, d).ok_or_else(cannot)?),
                None,
                false,
            ),
            ("float", Some(s)) => (
                Value::Number(resolve::float_value(s, d).ok_or_else(cannot)?),
                None,
                false,
            ),
            ("timestamp", Some(s)) => {
                let t = resolve::timestamp_value(s).ok_or_else(cannot)?;
                (Value::String(resolve::iso_string(t)), Some(t), false)
            }
            ("merge", None) => (Value::Null, None, true),
            ("merge", Some("<<")) => (Value::String("<<".into()), None, true),
            ("binary", Some(s)) => {
                let bytes = resolve::binary_value(s).ok_or_else(cannot)?;
                (self.binary(&bytes, loc), None, false)
            }
            ("map" | "set", None) => (Value::Map(Map::new()), None, false),
            ("seq" | "omap" | "pairs", None) => (Value::Seq(Vec::new()), None, false),
            ("map" | "set", Some(_)) => {
                return Err(wrong_kind(&tag.name, "mapping", "scalar", loc));
            }
            ("seq" | "omap" | "pairs", Some(_)) => {
                return Err(wrong_kind(&tag.name, "sequence", "scalar", loc));
            }
            // js-yaml 3's `!!js/undefined` gives `undefined`; JSON has no such value.
            ("js/undefined", _) => (Value::Null, None, false),
            // A RegExp serialises as `{}`.
            ("js/regexp", Some(s)) if regexp_ok(s) => (Value::Map(Map::new()), None, false),
            ("js/function", _) => {
                return Err(YamlError::new(
                    "`!!js/function` is not supported: it would run code",
                    tag.loc,
                )
                .help("write the value as data"));
            }
            _ => return Err(cannot()),
        })
    }

    /// `Uint8Array` (js-yaml 4) / `Buffer` (js-yaml 3) as `JSON.stringify` shows them.
    fn binary(&self, bytes: &[u8], loc: Loc) -> Value {
        let num = |b: &u8| Node::new(Value::Number(f64::from(*b)), loc, Style::Synthetic);
        match self.dialect {
            Dialect::JsYaml4 => Value::Map(Map::from_entries_js(
                bytes
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Entry {
                        key: i.to_string(),
                        key_loc: loc,
                        value: num(b),
                    })
                    .collect(),
            )),
            Dialect::JsYaml3 => Value::Map(Map::from_entries_js(vec![
                Entry {
                    key: "type".into(),
                    key_loc: loc,
                    value: Node::new(Value::String("Buffer".into()), loc, Style::Synthetic),
                },
                Entry {
                    key: "data".into(),
                    key_loc: loc,
                    value: Node::new(
                        Value::Seq(bytes.iter().map(num).collect()),
                        loc,
                        Style::Synthetic,
                    ),
                },
            ])),
        }
    }

    fn open(
        &mut self,
        kind: Kind,
        style: StructureStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: &Span,
    ) -> Result<(), YamlError> {
        let start = off(&span.start);
        let flow = style == StructureStyle::Flow;
        let loc = self.loc(start, off(&span.end).max(start));
        let tag = match tag {
            Some(t) => Some(self.classify_tag(t, span, start)?),
            None => None,
        };
        let is_map = matches!(kind, Kind::Map(_));
        if let Some(t) = &tag
            && let TagKind::Core(suffix) = &t.kind
        {
            let (want, ok) = match suffix.as_str() {
                "map" | "set" => ("mapping", is_map),
                "seq" | "omap" | "pairs" => ("sequence", !is_map),
                _ => ("scalar", false),
            };
            if !ok {
                let have = if is_map { "mapping" } else { "sequence" };
                return Err(wrong_kind(&t.name, want, have, t.loc));
            }
        }
        let pos = self.position();
        let cfn = matches!(
            tag,
            Some(TagInfo {
                kind: TagKind::Cfn(_),
                ..
            })
        );
        let level = pos.level + usize::from(cfn);
        if level > self.limits.max_depth {
            return Err(self.too_deep(loc));
        }
        let js_depth = if flow {
            self.js_depth(&pos, span.start.line(), anchor != 0 || tag.is_some(), true)
        } else {
            pos.js_base
        };
        self.check_js_depth(js_depth, loc)?;
        self.count_nodes(1 + usize::from(cfn), loc)?;
        if anchor != 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize_with(anchor + 1, || None);
            }
            self.anchors[anchor] = None;
        }
        self.stack.push(Frame {
            kind,
            flow,
            start,
            first: None,
            end: start,
            anchor,
            tag,
            count: 1 + usize::from(cfn),
            height: 1,
            level,
            js_depth,
        });
        Ok(())
    }

    fn close(
        &mut self,
        span_start: usize,
        span_end: usize,
        end_line: usize,
    ) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (start, end) = if frame.flow && span_end > span_start {
            (frame.start, span_end)
        } else {
            let start = match frame.kind {
                Kind::Seq(..) => frame.start.min(frame.first.unwrap_or(frame.start)),
                Kind::Map(_) => frame.first.unwrap_or(frame.start),
            };
            (start, frame.end.max(start))
        };
        let loc = self.loc(start, end);
        let style = if frame.flow {
            Style::Flow
        } else {
            Style::Plain
        };
        let mut item_dates = Vec::new();
        let mut value = match frame.kind {
            Kind::Seq(items, dates) => {
                item_dates = dates;
                Value::Seq(items)
            }
            Kind::Map(m) => Value::Map(Map::from_entries_js(m.entries)),
        };
        let mut built_start = start;
        let mut count = frame.count;
        let mut height = frame.height;
        let node = match &frame.tag {
            Some(t) => match &t.kind {
                TagKind::Cfn(key) => {
                    built_start = t.loc.start.min(start);
                    let inner = Node::new(value, loc, style);
                    height += 1;
                    wrap(key, t.loc, inner, self.loc(built_start, end))
                }
                TagKind::Core(suffix) => {
                    match suffix.as_str() {
                        "omap" if !omap_ok(&value) => return Err(cannot_resolve(&t.name, loc)),
                        "pairs" => {
                            value =
                                pairs(value, loc).ok_or_else(|| cannot_resolve(&t.name, loc))?;
                            count += 1;
                        }
                        "set" if !set_ok(&value) => return Err(cannot_resolve(&t.name, loc)),
                        _ => {}
                    }
                    Node::new(value, loc, style)
                }
                TagKind::NonSpecific => Node::new(value, loc, style),
            },
            None => Node::new(value, loc, style),
        };
        if frame.tag.is_some() {
            item_dates.clear();
        }
        let built = Built {
            node,
            start: built_start,
            end,
            date: None,
            item_dates,
            merge_key: false,
            count,
            height,
            end_line,
        };
        if frame.anchor != 0 {
            self.set_anchor(frame.anchor, &built);
            // js-yaml 4 stores a collection's anchor again when it is
            // complete; js-yaml 3 only when it had a tag.
            let restore = self.dialect == Dialect::JsYaml4 || frame.tag.is_some();
            if let Some(Some(name)) = self.anchor_names.get(frame.anchor).filter(|_| restore) {
                self.current_anchor.insert(name.clone(), frame.anchor);
            }
        }
        self.complete(built)
    }

    fn set_anchor(&mut self, id: usize, built: &Built) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored {
            node: built.node.clone(),
            date: built.date,
            item_dates: built.item_dates.clone(),
            count: built.count,
            height: built.height,
        });
    }

    fn alias(
        &mut self,
        id: usize,
        start: usize,
        end: usize,
        span: &Span,
    ) -> Result<Built, YamlError> {
        let here = self.loc(start, end);
        let id = match self.anchor_names.get(id) {
            Some(Some(name)) => self.current_anchor.get(name).copied().unwrap_or(id),
            _ => id,
        };
        if !matches!(self.anchors.get(id), Some(Some(_))) && self.in_merge_context() {
            // js-yaml registers a collection's anchor before reading its
            // content, so merging an enclosing collection merges what it
            // holds so far.
            if let Some(node) = self.snapshot(id) {
                let count = node_count(&node);
                self.count_copies(count, here)?;
                return Ok(Built {
                    node,
                    start,
                    end,
                    date: None,
                    item_dates: Vec::new(),
                    merge_key: false,
                    count,
                    height: 1,
                    end_line: span.end.line(),
                });
            }
        }
        let Some(Some(a)) = self.anchors.get(id) else {
            return Err(YamlError::new(
                "this alias refers to a collection that contains it (a cycle)",
                here,
            )
            .help("an alias can only repeat a value that is complete before it"));
        };
        let (count, height) = (a.count, a.height);
        let pos = self.position();
        if pos.level + height - 1 > self.limits.max_depth {
            return Err(self.too_deep(here));
        }
        let js = self.js_depth(&pos, span.start.line(), false, true);
        self.check_js_depth(js, here)?;
        self.copied = self.copied.saturating_add(count);
        if self.nodes.saturating_add(count) > self.limits.max_nodes {
            return Err(self.too_many_nodes(here));
        }
        self.nodes += count;
        let Some(Some(a)) = self.anchors.get(id) else {
            return Err(self.too_many_nodes(here));
        };
        Ok(Built {
            node: a.node.clone(),
            start,
            end,
            date: a.date,
            item_dates: a.item_dates.clone(),
            merge_key: false,
            count,
            height,
            end_line: span.end.line(),
        })
    }

    /// The next node is the value of a `<<` key, or an item of one.
    fn in_merge_context(&self) -> bool {
        let merge_map = |f: &Frame| matches!(&f.kind, Kind::Map(m) if m.pending.as_ref().is_some_and(|p| p.merge));
        let n = self.stack.len();
        match self.stack.last() {
            Some(f) if merge_map(f) => true,
            Some(Frame {
                kind: Kind::Seq(..),
                ..
            }) => n >= 2 && self.stack.get(n - 2).is_some_and(merge_map),
            _ => false,
        }
    }

    /// What the open collection anchored as `id` holds so far.
    fn snapshot(&self, id: usize) -> Option<Node> {
        let f = self.stack.iter().find(|f| f.anchor == id)?;
        let value = match &f.kind {
            Kind::Seq(items, _) => Value::Seq(items.clone()),
            Kind::Map(m) => Value::Map(Map::from_entries_js(m.entries.clone())),
        };
        let start = f.first.unwrap_or(f.start).min(f.start);
        Some(Node::new(
            value,
            self.loc(start, f.end.max(start)),
            Style::Synthetic,
        ))
    }

    /// Hand a finished node to its parent.
    fn complete(&mut self, built: Built) -> Result<(), YamlError> {
        let end_line = built.end_line;
        let file = self.file;
        let text = self.text;
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built);
            return Ok(());
        };
        frame.first.get_or_insert(built.start);
        frame.end = frame.end.max(built.end);
        frame.height = frame.height.max(built.height + 1);
        frame.count = frame.count.saturating_add(built.count);
        match &mut frame.kind {
            Kind::Seq(items, dates) => {
                if let Some(t) = built.date {
                    dates.push((items.len(), t));
                }
                items.push(built.node);
                Ok(())
            }
            Kind::Map(m) => match m.pending.take() {
                None => {
                    let loc = Loc::new(file, built.start, built.end);
                    let merge = built.merge_key;
                    let key = key_string(built).map_err(|msg| {
                        YamlError::new(msg, loc).help("use a plain string as the key")
                    })?;
                    m.pending = Some(PendingKey {
                        key,
                        loc,
                        merge,
                        end_line,
                    });
                    Ok(())
                }
                Some(k) if k.merge => {
                    let mut m = std::mem::take(m);
                    let r = self.merge(&mut m, &built, k.loc);
                    if let Some(Frame {
                        kind: Kind::Map(slot),
                        ..
                    }) = self.stack.last_mut()
                    {
                        *slot = m;
                    }
                    r
                }
                Some(k) => match m.find(&k.key) {
                    Some(i) if m.overridable[i] => {
                        if let Some(e) = m.entries.get_mut(i) {
                            e.value = built.node;
                            e.key_loc = k.loc;
                        }
                        m.overridable[i] = false;
                        Ok(())
                    }
                    Some(i) => {
                        let first = m.entries.get(i).map_or(k.loc, |e| e.key_loc);
                        let first_line =
                            1 + text.get(..first.start).unwrap_or("").matches('\n').count();
                        Err(YamlError::new(format!("duplicated mapping key `{}`", k.key), k.loc).help(format!(
                            "the key is already defined on line {first_line}; remove one of them (js-yaml rejects duplicate keys, and `202` and '202' are the same key)"
                        )))
                    }
                    None => {
                        m.push(
                            Entry {
                                key: k.key,
                                key_loc: k.loc,
                                value: built.node,
                            },
                            false,
                        );
                        Ok(())
                    }
                },
            },
        }
    }

    fn charge_merge(&mut self, at: Loc) -> Result<(), YamlError> {
        self.merge_work += 1;
        if self.merge_work > MAX_TOTAL_MERGE_KEYS {
            return Err(YamlError::new(
                format!("merge keys exceeded maxTotalMergeKeys ({MAX_TOTAL_MERGE_KEYS}): the framework's YAML loader refuses this many merged keys"),
                at,
            )
            .help("merge fewer or smaller mappings with `<<`"));
        }
        Ok(())
    }

    /// `<<: value` into `m` (js-yaml `mergeMappings`).
    fn merge(&mut self, m: &mut MapBuilder, value: &Built, at: Loc) -> Result<(), YamlError> {
        match &value.node.value {
            Value::Seq(items) if value.date.is_none() => {
                if items.len() > MAX_MERGE_SEQUENCE {
                    return Err(YamlError::new(
                        "abnormal merge sequence size: the framework's YAML loader merges at most 100 mappings at once",
                        at,
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    let date = value
                        .item_dates
                        .iter()
                        .find(|(j, _)| *j == i)
                        .map(|(_, t)| *t);
                    self.merge_one(m, item, date, at)?;
                }
                Ok(())
            }
            _ => self.merge_one(m, &value.node, value.date, at),
        }
    }

    fn merge_one(
        &mut self,
        m: &mut MapBuilder,
        source: &Node,
        date: Option<f64>,
        at: Loc,
    ) -> Result<(), YamlError> {
        if date.is_some() {
            // A Date is an object without own enumerable keys.
            return self.charge_merge(at);
        }
        let entries: Vec<(String, Loc, &Node)> = match &source.value {
            Value::Map(src) => src
                .iter()
                .map(|e| (e.key.clone(), e.key_loc, &e.value))
                .collect(),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), n.loc, n))
                .collect(),
            _ => {
                return Err(YamlError::new(
                    "cannot merge mappings; the provided source object is unacceptable",
                    at,
                )
                .help("`<<` takes a mapping, an alias to one, or a list of them"));
            }
        };
        self.charge_merge(at)?;
        for (key, key_loc, value) in entries {
            self.charge_merge(at)?;
            if m.find(&key).is_none() {
                self.count_copies(node_count(value), at)?;
                m.push(
                    Entry {
                        key,
                        key_loc,
                        value: value.clone(),
                    },
                    true,
                );
            }
        }
        Ok(())
    }
}

fn cfn_key(name: &'static str) -> &'static str {
    match name {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "And" => "Fn::And",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "Equals" => "Fn::Equals",
        "FindInMap" => "Fn::FindInMap",
        "GetAtt" => "Fn::GetAtt",
        "GetAZs" => "Fn::GetAZs",
        "If" => "Fn::If",
        "ImportValue" => "Fn::ImportValue",
        "Join" => "Fn::Join",
        "Not" => "Fn::Not",
        "Or" => "Fn::Or",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        _ => "Fn::Sub",
    }
}

/// `{ key: inner }` for a CloudFormation short-form tag.
fn wrap(key: &str, key_loc: Loc, inner: Node, whole: Loc) -> Node {
    let mut m = Map::new();
    m.insert(Entry {
        key: key.to_owned(),
        key_loc,
        value: inner,
    });
    Node::new(Value::Map(m), whole, Style::Synthetic)
}

fn unknown_tag(name: &str, loc: Loc) -> YamlError {
    YamlError::new(format!("unknown tag `{name}`"), loc).help(
        "the framework's YAML loader knows the CloudFormation short forms (!Ref, !GetAtt, !Sub, !Join, !If, ...) and the YAML core tags (!!str, !!int, ...); write the intrinsic function in its long form, e.g. `Fn::Name: ...`",
    )
}

fn cannot_resolve(name: &str, loc: Loc) -> YamlError {
    YamlError::new(
        format!("cannot resolve a node with the explicit tag `{name}`"),
        loc,
    )
    .help("the value does not have the form this tag requires; remove the tag or fix the value")
}

fn wrong_kind(name: &str, want: &str, have: &str, loc: Loc) -> YamlError {
    YamlError::new(
        format!("the tag `{name}` needs a {want}, not a {have}"),
        loc,
    )
}

/// js-yaml 3 `!!js/regexp`: `/body/flags` or a bare pattern.
fn regexp_ok(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix('/') {
        let Some(close) = rest.rfind('/') else {
            return false;
        };
        let flags = &rest[close + 1..];
        return flags.len() <= 3 && flags.chars().all(|c| matches!(c, 'g' | 'i' | 'm'));
    }
    true
}

fn omap_ok(v: &Value) -> bool {
    let Value::Seq(items) = v else {
        return false;
    };
    let mut seen = std::collections::HashSet::new();
    items.iter().all(|item| match &item.value {
        Value::Map(m) if m.len() == 1 => m.keys().next().is_some_and(|k| seen.insert(k.to_owned())),
        _ => false,
    })
}

fn pairs(v: Value, loc: Loc) -> Option<Value> {
    let Value::Seq(items) = v else {
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Map(m) = item.value else {
            return None;
        };
        if m.len() != 1 {
            return None;
        }
        let e = m.iter().next()?;
        out.push(Node::new(
            Value::Seq(vec![
                Node::new(Value::String(e.key.clone()), e.key_loc, Style::Synthetic),
                e.value.clone(),
            ]),
            item.loc,
            Style::Synthetic,
        ));
    }
    let _ = loc;
    Some(Value::Seq(out))
}

fn set_ok(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.iter().all(|e| e.value.is_null()))
}

/// What copying `n` costs against [`Limits::max_nodes`]: its nodes, plus one
/// per [`BYTES_PER_NODE`] bytes of text.
fn node_count(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Value::Map(m) => {
            1 + m
                .iter()
                .map(|e| node_count(&e.value) + e.key.len() / BYTES_PER_NODE)
                .sum::<usize>()
        }
        Value::String(s) => 1 + s.len() / BYTES_PER_NODE,
        _ => 1,
    }
}

/// JavaScript `String(key)` as js-yaml's `storeMappingPair` computes it.
fn key_string(b: Built) -> Result<String, String> {
    if let Some(t) = b.date {
        return Ok(resolve::date_to_string(t));
    }
    Ok(match b.node.value {
        Value::String(s) => s,
        Value::Seq(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if let Some((_, t)) = b.item_dates.iter().find(|(j, _)| *j == i) {
                    parts.push(resolve::date_to_string(*t));
                    continue;
                }
                parts.push(match &item.value {
                    Value::Seq(_) => {
                        return Err("nested arrays are not supported inside keys".to_owned());
                    }
                    Value::Null => String::new(),
                    _ => scalar_string(&item.value),
                });
            }
            parts.join(",")
        }
        v => scalar_string(&v),
    })
}

fn scalar_string(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => resolve::number_string(*n),
        Value::String(s) => s.clone(),
        Value::Unresolved(u) => u.text.clone(),
        Value::Map(_) => "[object Object]".to_owned(),
        Value::Seq(items) => items
            .iter()
            .map(|n| {
                if n.is_null() {
                    String::new()
                } else {
                    scalar_string(&n.value)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
    }
}
