//! The `${...}` syntax of framework v3 (and v2): a port of the state machine in
//! `lib/configuration/variables/parse.js` (serverless 3.40.0).
//!
//! For a string it returns the variables found, each with its place in the
//! string and its sources (`${opt:stage, self:custom.x, 'dev'}` has three).
//! Parameters and addresses may hold variables themselves
//! (`${file(./${opt:stage}.yml):a.${self:custom.k}}`); sources may not
//! (`${opt:stage, ${self:x}}` is a syntax error in v3).
//!
//! Offsets are byte offsets (the framework counts UTF-16 units; the special
//! characters are all ASCII, so the two agree on where things are, and error
//! messages convert to UTF-16 indexes).

/// A literal written in a variable (`'dev'`, `"x"`, `123`, `true`, `null`).
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
}

impl Lit {
    /// JavaScript truthiness (`metaValue || null`).
    fn truthy(&self) -> bool {
        match self {
            Lit::Null => false,
            Lit::Bool(b) => *b,
            Lit::Number(n) => *n != 0.0 && !n.is_nan(),
            Lit::Str(s) => !s.is_empty(),
        }
    }
}

/// A parameter or an address: a value that may itself hold variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    /// The text (or literal) as written; `Null` for an empty one.
    pub value: Lit,
    /// Variables in `value`, offsets relative to `value`'s first character.
    pub variables: Option<Vec<Var>>,
}

/// One source of a variable.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// `type(params):address`, each part optional.
    Typed {
        ty: String,
        params: Option<Vec<Meta>>,
        address: Option<Meta>,
    },
    /// A literal fallback.
    Literal(Lit),
}

/// One `${...}` (or an escape like `\${`).
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    /// Byte range in the string this variable was parsed from (relative to
    /// the enclosing parameter or address for nested variables).
    pub start: usize,
    pub end: usize,
    /// The variable is the whole string (its value replaces the string as is).
    pub whole: bool,
    /// Byte range in the top-level string that was parsed.
    pub abs_start: usize,
    pub abs_end: usize,
    pub kind: VarKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VarKind {
    /// An escape: the text to put in place of `start..end`.
    Escape(String),
    /// A variable with its sources, first choice first.
    Sources(Vec<Source>),
}

/// A syntax error, with the framework's message.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    /// Byte range in the parsed string where the problem is.
    pub at: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Out,
    EscapeVar,
    EscapeVarDollar,
    MaybeVariableOpen,
    MaybeTypeStart,
    MaybeNextSourceStart,
    MaybeType,
    TypeOrSourceLiteral,
    ParamStart,
    Param,
    AfterParamString,
    MaybeAddressOpen,
    MaybeAddressStart,
    Address,
    AfterAddressString,
    AfterSourceLiteralString,
    Foreign,
    EscapeString,
    DoubleQuotedString,
    SingleQuotedString,
}

#[derive(Clone, Debug, Default)]
struct CurSource {
    ty: Option<String>,
    params: Option<Vec<Meta>>,
    address: Option<Meta>,
    literal: Option<Lit>,
}

impl CurSource {
    fn into_source(self) -> Source {
        match (self.ty, self.literal) {
            (Some(ty), _) => Source::Typed {
                ty,
                params: self.params,
                address: self.address,
            },
            (None, lit) => Source::Literal(lit.unwrap_or(Lit::Null)),
        }
    }
}

struct Context {
    state: State,
    variable_start: usize,
    context_start: usize,
    variables: Option<usize>,
    context_variables: Option<usize>,
    current_source: Option<CurSource>,
    sources: Option<Vec<Source>>,
}

/// Variables in the raw form the state machine builds (positions relative
/// to their context start).
struct RawVar {
    start: usize,
    end: usize,
    abs_start: usize,
    abs_end: usize,
    kind: VarKind,
}

struct Parser<'a> {
    value: &'a str,
    index: usize,
    state: State,
    string_context: State,
    /// Lists of variables; `variables`/`context_variables` index into it so
    /// that aliasing works as with JavaScript arrays.
    lists: Vec<Vec<RawVar>>,
    variables: Option<usize>,
    context_variables: Option<usize>,
    sources: Option<Vec<Source>>,
    contexts: Vec<Context>,
    current_source: Option<CurSource>,
    context_start: usize,
    escape_var_start: Option<usize>,
    variable_start: usize,
    source_start: usize,
    param_start: usize,
    address_start: usize,
}

fn is_alpha(c: char) -> bool {
    c.is_ascii_lowercase()
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

/// `/^[a-z][a-zA-Z0-9]*$/`
fn is_type(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// UTF-16 index of a byte offset, for messages that quote JavaScript indexes.
pub fn js_index(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(byte, |p| p.encode_utf16().count())
}

/// JavaScript `Number(string)`; `None` for NaN.
pub fn js_number(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return Some(0.0);
    }
    let radix = |p: &str, r: u32| {
        if p.is_empty() {
            return None;
        }
        let mut acc = 0f64;
        for c in p.chars() {
            acc = acc * f64::from(r) + f64::from(c.to_digit(r)?);
        }
        Some(acc)
    };
    let lower = t.get(..2).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("0x") => return radix(t.get(2..)?, 16),
        Some("0o") => return radix(t.get(2..)?, 8),
        Some("0b") => return radix(t.get(2..)?, 2),
        _ => {}
    }
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, t.get(1..)?),
        Some(b'+') => (1.0, t.get(1..)?),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    // StrDecimalLiteral: digits [. digits] [e[+-]digits], at least one digit.
    let bytes = body.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut i = 0;
    let mut digits = 0;
    while at(i).is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if at(i) == b'.' {
        i += 1;
        while at(i).is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(at(i), b'e' | b'E') {
        i += 1;
        if matches!(at(i), b'+' | b'-') {
            i += 1;
        }
        let exp_start = i;
        while at(i).is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    body.parse::<f64>().ok().map(|n| sign * n)
}

impl<'a> Parser<'a> {
    fn err(&self, message: String, at: usize) -> ParseError {
        let end = self
            .value
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(at, |c| at + c.len_utf8());
        ParseError { message, at, end }
    }

    fn quote(&self) -> &str {
        self.value
    }

    fn idx(&self, byte: usize) -> usize {
        js_index(self.value, byte)
    }

    fn new_list(&mut self) -> usize {
        self.lists.push(Vec::new());
        self.lists.len() - 1
    }

    fn push_var(&mut self, var: RawVar) {
        let list = match self.variables {
            Some(l) => l,
            None => {
                let l = self.new_list();
                self.variables = Some(l);
                l
            }
        };
        if let Some(v) = self.lists.get_mut(list) {
            v.push(var);
        }
    }

    fn slice(&self, a: usize, b: usize) -> &'a str {
        self.value.get(a..b).unwrap_or("")
    }

    fn finalize_source(&mut self) {
        let src = self.current_source.take().unwrap_or_default();
        self.sources
            .get_or_insert_with(Vec::new)
            .push(src.into_source());
        self.state = State::MaybeNextSourceStart;
    }

    fn finalize_variable(&mut self) {
        self.finalize_source();
        let sources = self.sources.take().unwrap_or_default();
        let var = RawVar {
            start: self.variable_start - self.context_start,
            end: self.index + 1 - self.context_start,
            abs_start: self.variable_start,
            abs_end: self.index + 1,
            kind: VarKind::Sources(sources),
        };
        self.push_var(var);
        self.release_context();
    }

    fn register_var_escape(&mut self) {
        let esc = self.escape_var_start.unwrap_or(self.index);
        let n = (self.index - 1).saturating_sub(esc);
        let slashes = n.saturating_sub(1).div_ceil(2);
        let var = RawVar {
            start: esc - self.context_start,
            end: self.index - self.context_start,
            abs_start: esc,
            abs_end: self.index,
            kind: VarKind::Escape(format!("{}$", "\\".repeat(slashes))),
        };
        self.push_var(var);
        self.escape_var_start = None;
    }

    fn register_slash_escape(&mut self) {
        let esc = self.escape_var_start.unwrap_or(self.index);
        let n = (self.index - 1).saturating_sub(esc);
        let slashes = n.saturating_sub(1).div_ceil(2);
        let var = RawVar {
            start: esc - self.context_start,
            end: self.index - 1 - self.context_start,
            abs_start: esc,
            abs_end: self.index - 1,
            kind: VarKind::Escape("\\".repeat(slashes)),
        };
        self.push_var(var);
        self.escape_var_start = None;
    }

    fn register_context(&mut self, new_context_start: Option<usize>) {
        let new_context_start = new_context_start.unwrap_or(self.context_start);
        if self.variables.is_none() {
            let l = self.new_list();
            self.variables = Some(l);
        }
        if new_context_start != 0 && self.context_variables.is_none() {
            let l = self.new_list();
            self.context_variables = Some(l);
        }
        self.contexts.push(Context {
            state: self.state,
            variable_start: self.variable_start,
            context_start: self.context_start,
            variables: self.variables,
            context_variables: self.context_variables,
            current_source: self.current_source.take(),
            sources: self.sources.take(),
        });
        self.state = State::MaybeVariableOpen;
        self.variable_start = self.index;
        if new_context_start != 0 {
            self.context_start = new_context_start;
            self.variables = self.context_variables;
        }
    }

    fn release_context(&mut self) {
        let Some(ctx) = self.contexts.pop() else {
            self.state = State::Out;
            return;
        };
        self.state = ctx.state;
        self.variable_start = ctx.variable_start;
        self.variables = ctx.variables;
        self.context_variables = ctx.context_variables;
        self.current_source = ctx.current_source;
        self.sources = ctx.sources;
        if self.state == State::Param {
            self.param_start = self.context_start;
        }
        if self.state == State::Address {
            self.address_start = self.context_start;
        }
        self.context_start = ctx.context_start;
    }

    fn in_non_foreign_context(&self) -> bool {
        self.contexts.iter().any(|c| c.state != State::Foreign)
    }

    fn take_list(&mut self, list: Option<usize>) -> Option<Vec<RawVar>> {
        let l = list?;
        self.lists.get_mut(l).map(std::mem::take)
    }

    /// `generateMeta(value, contextVariables)`
    fn generate_meta(&mut self, value: Lit, list: Option<usize>) -> Meta {
        let raw = self.take_list(list).unwrap_or_default();
        let len = match &value {
            Lit::Str(s) => s.len(),
            _ => 0,
        };
        let value = if value.truthy() { value } else { Lit::Null };
        if raw.is_empty() {
            return Meta {
                value,
                variables: None,
            };
        }
        Meta {
            value,
            variables: Some(normalize(raw, len)),
        }
    }

    fn parse_string(&self, start: usize) -> Result<String, ParseError> {
        let text = self.slice(start, self.index);
        if self.value.as_bytes().get(start) == Some(&b'\'') {
            let t = text.trim();
            return Ok(t.get(1..t.len().saturating_sub(1)).unwrap_or("").to_owned());
        }
        serde_json::from_str::<String>(text).map_err(|e| {
            self.err(
                format!(
                    "Invalid string literal at index {} in \"{}\": {}",
                    self.idx(start),
                    self.quote(),
                    e
                ),
                start,
            )
        })
    }

    fn parse_literal_source(
        &self,
        literal: &str,
        fallback_to_input: bool,
    ) -> Result<Lit, ParseError> {
        match literal {
            "true" => Ok(Lit::Bool(true)),
            "false" => Ok(Lit::Bool(false)),
            "null" => Ok(Lit::Null),
            _ => match js_number(literal) {
                Some(n) => Ok(Lit::Number(n)),
                None if fallback_to_input => Ok(Lit::Str(literal.to_owned())),
                None => Err(self.err(
                    format!(
                        "Invalid literal source \"{}\" at index {} in \"{}\"",
                        literal,
                        self.idx(self.source_start),
                        self.quote()
                    ),
                    self.source_start,
                )),
            },
        }
    }

    fn invalid(&self, what: &str, at: usize) -> ParseError {
        self.err(
            format!(
                "Invalid variable {what} at index {} in \"{}\"",
                self.idx(at),
                self.quote()
            ),
            at,
        )
    }

    fn cur_params(&mut self) -> &mut Vec<Meta> {
        let cur = self.current_source.get_or_insert_with(CurSource::default);
        cur.params.get_or_insert_with(Vec::new)
    }

    fn set_address(&mut self, meta: Meta) {
        let cur = self.current_source.get_or_insert_with(CurSource::default);
        cur.address = Some(meta);
    }

    #[allow(clippy::too_many_lines)]
    fn run(mut self) -> Result<Option<Vec<Var>>, ParseError> {
        let chars: Vec<(usize, char)> = self.value.char_indices().collect();
        for &(i, ch) in &chars {
            self.index = i;
            match self.state {
                State::Out => {
                    if ch == '\\' {
                        if self.escape_var_start.is_none() {
                            self.escape_var_start = Some(i);
                        }
                        self.state = State::EscapeVar;
                    } else if ch == '$' {
                        self.variable_start = i;
                        self.state = State::MaybeVariableOpen;
                    } else {
                        self.escape_var_start = None;
                    }
                }
                State::EscapeVar => {
                    if ch == '$' {
                        self.state = State::EscapeVarDollar;
                    } else {
                        if ch != '\\' {
                            self.escape_var_start = None;
                        }
                        self.state = State::Out;
                    }
                }
                State::EscapeVarDollar => {
                    if ch == '{' {
                        self.register_var_escape();
                        self.state = State::Out;
                    } else {
                        self.escape_var_start = None;
                        if ch == '\\' {
                            self.escape_var_start = Some(i);
                            self.state = State::EscapeVar;
                        } else if ch == '$' {
                            self.variable_start = i;
                            self.state = State::MaybeVariableOpen;
                        } else {
                            self.state = State::Out;
                        }
                    }
                }
                State::MaybeVariableOpen => {
                    if ch == '{' {
                        if self.escape_var_start.is_some() {
                            self.register_slash_escape();
                        }
                        self.state = State::MaybeTypeStart;
                    } else {
                        self.escape_var_start = None;
                        if ch != '$' {
                            self.release_context();
                        }
                    }
                }
                State::MaybeTypeStart => {
                    if is_alpha(ch) {
                        self.source_start = i;
                        self.state = State::MaybeType;
                    } else if self.in_non_foreign_context() {
                        return Err(self.invalid("type", i));
                    } else if ch == '}' {
                        self.release_context();
                    } else {
                        self.state = State::Foreign;
                        if ch == '$' {
                            self.register_context(None);
                        }
                    }
                }
                State::MaybeNextSourceStart => {
                    if ch == ' ' {
                        continue;
                    }
                    self.source_start = i;
                    if is_alnum(ch) {
                        self.state = State::TypeOrSourceLiteral;
                    } else if ch == '"' {
                        self.string_context = State::AfterSourceLiteralString;
                        self.state = State::DoubleQuotedString;
                    } else if ch == '\'' {
                        self.string_context = State::AfterSourceLiteralString;
                        self.state = State::SingleQuotedString;
                    } else {
                        return Err(self.invalid("source", i));
                    }
                }
                State::MaybeType => {
                    if ch == ':' {
                        self.current_source = Some(CurSource {
                            ty: Some(self.slice(self.source_start, i).to_owned()),
                            ..CurSource::default()
                        });
                        self.state = State::MaybeAddressStart;
                    } else if ch == '(' {
                        self.current_source = Some(CurSource {
                            ty: Some(self.slice(self.source_start, i).to_owned()),
                            params: Some(Vec::new()),
                            ..CurSource::default()
                        });
                        self.state = State::ParamStart;
                    } else if !is_alnum(ch) {
                        if self.in_non_foreign_context() {
                            return Err(self.invalid("type", self.source_start));
                        }
                        if ch == '}' {
                            self.release_context();
                        } else {
                            self.state = State::Foreign;
                            if ch == '$' {
                                self.register_context(None);
                            }
                        }
                    }
                }
                State::TypeOrSourceLiteral => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == ':' || ch == '(' {
                        let ty = self.slice(self.source_start, i);
                        if !is_type(ty) {
                            return Err(self.invalid("source", self.source_start));
                        }
                        self.current_source = Some(CurSource {
                            ty: Some(ty.to_owned()),
                            params: if ch == '(' { Some(Vec::new()) } else { None },
                            ..CurSource::default()
                        });
                        self.state = if ch == '(' {
                            State::ParamStart
                        } else {
                            State::MaybeAddressStart
                        };
                    } else if ch == '}' {
                        let lit = self
                            .parse_literal_source(self.slice(self.source_start, i).trim(), false)?;
                        self.current_source = Some(CurSource {
                            literal: Some(lit),
                            ..CurSource::default()
                        });
                        self.finalize_variable();
                    } else if !is_alnum(ch) {
                        return Err(self.invalid("source", self.source_start));
                    }
                }
                State::ParamStart => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == ')' {
                        self.state = State::MaybeAddressOpen;
                    } else if ch == ',' {
                        self.cur_params().push(Meta {
                            value: Lit::Null,
                            variables: None,
                        });
                    } else if ch == '}' {
                        return Err(self.invalid("param", i));
                    } else {
                        self.param_start = i;
                        if ch == '"' {
                            self.string_context = State::AfterParamString;
                            self.state = State::DoubleQuotedString;
                        } else if ch == '\'' {
                            self.string_context = State::AfterParamString;
                            self.state = State::SingleQuotedString;
                        } else {
                            self.state = State::Param;
                            self.context_variables = None;
                            if ch == '$' {
                                self.register_context(Some(self.param_start));
                            }
                        }
                    }
                }
                State::Param => {
                    if ch == ')' || ch == ',' {
                        let text = self.slice(self.param_start, i).trim();
                        if ch == ')' && text.is_empty() {
                            self.state = State::MaybeAddressOpen;
                            continue;
                        }
                        let value = if self.context_variables.is_none() {
                            self.parse_literal_source(text, true)?
                        } else {
                            Lit::Str(text.to_owned())
                        };
                        let meta = self.generate_meta(value, self.context_variables);
                        self.cur_params().push(meta);
                        self.state = if ch == ')' {
                            State::MaybeAddressOpen
                        } else {
                            State::ParamStart
                        };
                    } else if ch == '}' {
                        return Err(self.invalid("param", self.param_start));
                    } else if ch == '$' {
                        self.register_context(Some(self.param_start));
                    }
                }
                State::AfterParamString => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == ')' || ch == ',' {
                        let s = self.parse_string(self.param_start)?;
                        self.cur_params().push(Meta {
                            value: Lit::Str(s),
                            variables: None,
                        });
                        self.state = if ch == ')' {
                            State::MaybeAddressOpen
                        } else {
                            State::ParamStart
                        };
                    } else {
                        return Err(self.invalid("param", self.param_start));
                    }
                }
                State::MaybeAddressOpen => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == ':' {
                        self.state = State::MaybeAddressStart;
                    } else if ch == '}' {
                        self.finalize_variable();
                    } else if ch == ',' {
                        self.finalize_source();
                    } else {
                        return Err(self.invalid("address", i));
                    }
                }
                State::MaybeAddressStart => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == '}' {
                        self.finalize_variable();
                    } else if ch == ',' {
                        self.finalize_source();
                    } else {
                        self.address_start = i;
                        if ch == ':' {
                            let has_params = self
                                .current_source
                                .as_ref()
                                .is_some_and(|c| c.params.is_some());
                            if !has_params && !self.in_non_foreign_context() {
                                self.current_source = None;
                                self.state = State::Foreign;
                            } else {
                                return Err(self.invalid("address", self.address_start));
                            }
                        } else if ch == '"' {
                            self.string_context = State::AfterAddressString;
                            self.state = State::DoubleQuotedString;
                        } else if ch == '\'' {
                            self.string_context = State::AfterAddressString;
                            self.state = State::SingleQuotedString;
                        } else {
                            self.state = State::Address;
                            self.context_variables = None;
                            if ch == '$' {
                                self.register_context(Some(self.address_start));
                            }
                        }
                    }
                }
                State::Address => {
                    if ch == '}' || ch == ',' {
                        let text = self.slice(self.address_start, i).trim().to_owned();
                        let meta = self.generate_meta(Lit::Str(text), self.context_variables);
                        self.set_address(meta);
                        if ch == '}' {
                            self.finalize_variable();
                        } else {
                            self.finalize_source();
                        }
                    } else if ch == '$' {
                        self.register_context(Some(self.address_start));
                    }
                }
                State::AfterAddressString => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == '}' || ch == ',' {
                        let s = self.parse_string(self.address_start)?;
                        self.set_address(Meta {
                            value: Lit::Str(s),
                            variables: None,
                        });
                        if ch == '}' {
                            self.finalize_variable();
                        } else {
                            self.finalize_source();
                        }
                    } else {
                        return Err(self.invalid("address", self.address_start));
                    }
                }
                State::AfterSourceLiteralString => {
                    if ch == ' ' {
                        continue;
                    }
                    if ch == '}' {
                        let s = self.parse_string(self.source_start)?;
                        self.current_source = Some(CurSource {
                            literal: Some(Lit::Str(s)),
                            ..CurSource::default()
                        });
                        self.finalize_variable();
                    } else {
                        return Err(self.invalid("source", self.source_start));
                    }
                }
                State::Foreign => {
                    if ch == '}' {
                        self.release_context();
                    } else if ch == '$' {
                        self.register_context(None);
                    }
                }
                State::EscapeString => self.state = State::DoubleQuotedString,
                State::DoubleQuotedString => {
                    if ch == '"' {
                        self.state = self.string_context;
                    } else if ch == '\\' {
                        self.state = State::EscapeString;
                    }
                }
                State::SingleQuotedString => {
                    if ch == '\'' {
                        self.state = self.string_context;
                    }
                }
            }
        }
        if self.current_source.is_some() || self.sources.is_some() {
            let start = self.contexts.first().map_or(self.variable_start, |c| {
                c.variable_start.min(self.variable_start)
            });
            return Err(ParseError {
                message: format!("Missing variable closing bracket in {}", self.value),
                at: start,
                end: self.value.len(),
            });
        }
        let list = self.variables;
        let Some(raw) = self.take_list(list) else {
            return Ok(None);
        };
        if raw.is_empty() {
            return Ok(None);
        }
        Ok(Some(normalize(raw, self.value.len())))
    }
}

/// `normalizeMetaVariables`: a single variable spanning the whole value is
/// marked `whole`.
fn normalize(raw: Vec<RawVar>, len: usize) -> Vec<Var> {
    let single = raw.len() == 1;
    raw.into_iter()
        .map(|r| Var {
            whole: single && r.start == 0 && r.end == len,
            start: r.start,
            end: r.end,
            abs_start: r.abs_start,
            abs_end: r.abs_end,
            kind: r.kind,
        })
        .collect()
}

/// Parse the variables of a string; `Ok(None)` when it has none.
pub fn parse(value: &str) -> Result<Option<Vec<Var>>, ParseError> {
    // Cheap exit: nothing to parse without `${`.
    if !value.contains("${") {
        return Ok(None);
    }
    Parser {
        value,
        index: 0,
        state: State::Out,
        string_context: State::Out,
        lists: Vec::new(),
        variables: None,
        context_variables: None,
        sources: None,
        contexts: Vec::new(),
        current_source: None,
        context_start: 0,
        escape_var_start: None,
        variable_start: 0,
        source_start: 0,
        param_start: 0,
        address_start: 0,
    }
    .run()
}

/// The text of a source as written, for messages and `Unresolved::reason`
/// (`ssm:/a/b`, `file(./x.js):k`).
pub fn source_text(src: &Source) -> String {
    match src {
        Source::Literal(l) => lit_text(l),
        Source::Typed {
            ty,
            params,
            address,
        } => {
            let mut s = ty.clone();
            if let Some(ps) = params {
                s.push('(');
                let parts: Vec<String> = ps.iter().map(|p| lit_text(&p.value)).collect();
                s.push_str(&parts.join(", "));
                s.push(')');
            }
            if let Some(a) = address {
                s.push(':');
                s.push_str(&lit_text(&a.value));
            }
            s
        }
    }
}

fn lit_text(l: &Lit) -> String {
    match l {
        Lit::Null => String::new(),
        Lit::Bool(b) => b.to_string(),
        Lit::Number(n) => crate::source::node::js_number_to_string(*n),
        Lit::Str(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(v: &Var) -> &[Source] {
        match &v.kind {
            VarKind::Sources(s) => s,
            VarKind::Escape(_) => &[],
        }
    }

    fn typed(ty: &str, addr: Option<&str>) -> Source {
        Source::Typed {
            ty: ty.to_owned(),
            params: None,
            address: addr.map(|a| Meta {
                value: Lit::Str(a.to_owned()),
                variables: None,
            }),
        }
    }

    #[test]
    fn no_variables() {
        assert_eq!(parse("plain"), Ok(None));
        assert_eq!(parse("${AWS::Region}"), Ok(None));
        assert_eq!(parse("${stage}"), Ok(None));
        assert_eq!(parse("${}"), Ok(None));
        assert_eq!(parse("$ {x:y}"), Ok(None));
    }

    #[test]
    fn whole_variable_with_fallbacks() {
        let vars = parse("${opt:stage, self:custom.x, 'dev'}")
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(vars.len(), 1);
        assert!(vars[0].whole);
        assert_eq!(
            sources(&vars[0]),
            &[
                typed("opt", Some("stage")),
                typed("self", Some("custom.x")),
                Source::Literal(Lit::Str("dev".into()))
            ]
        );
    }

    #[test]
    fn several_variables_in_a_string() {
        let s = "${self:service}-${sls:stage}";
        let vars = parse(s).ok().flatten().unwrap_or_default();
        assert_eq!(vars.len(), 2);
        assert!(!vars[0].whole);
        assert_eq!((vars[0].start, vars[0].end), (0, 15));
        assert_eq!((vars[1].start, vars[1].end), (16, s.len()));
    }

    #[test]
    fn nested_in_param_and_address() {
        let s = "${file(./${opt:stage}.yml):a.${self:k}}";
        let vars = parse(s).ok().flatten().unwrap_or_default();
        assert_eq!(vars.len(), 1);
        let Source::Typed {
            ty,
            params,
            address,
        } = &sources(&vars[0])[0]
        else {
            panic!("typed source expected")
        };
        assert_eq!(ty, "file");
        let params = params.clone().unwrap_or_default();
        assert_eq!(params[0].value, Lit::Str("./${opt:stage}.yml".into()));
        let inner = params[0].variables.clone().unwrap_or_default();
        assert_eq!((inner[0].start, inner[0].end), (2, 14));
        assert_eq!((inner[0].abs_start, inner[0].abs_end), (9, 21));
        let address = address.clone().map(|a| a.value);
        assert_eq!(address, Some(Lit::Str("a.${self:k}".into())));
    }

    #[test]
    fn nested_source_is_an_error() {
        let e = parse("${opt:stage, ${self:custom.n}}")
            .err()
            .map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("Invalid variable source at index 13 in \"${opt:stage, ${self:custom.n}}\"")
        );
    }

    #[test]
    fn literals() {
        let e = parse("${opt:stage, dev}").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("Invalid literal source \"dev\" at index 13 in \"${opt:stage, dev}\"")
        );
        let vars = parse("${opt:x, 12}").ok().flatten().unwrap_or_default();
        assert_eq!(sources(&vars[0])[1], Source::Literal(Lit::Number(12.0)));
        let vars = parse("${opt:x, \"q\\\"x,y}\"}")
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(
            sources(&vars[0])[1],
            Source::Literal(Lit::Str("q\"x,y}".into()))
        );
        assert!(parse("${opt:x, 'it''s'}").is_err());
        assert!(parse("${opt:x, 'a', 'b'}").is_err());
    }

    #[test]
    fn escapes() {
        let vars = parse("\\${self:x}").ok().flatten().unwrap_or_default();
        assert_eq!(vars.len(), 1);
        assert_eq!(vars[0].kind, VarKind::Escape("$".into()));
        assert_eq!((vars[0].start, vars[0].end), (0, 2));
        let vars = parse("\\\\${self:x}").ok().flatten().unwrap_or_default();
        assert_eq!(vars.len(), 2);
        assert_eq!(vars[0].kind, VarKind::Escape("\\".into()));
        assert_eq!((vars[0].start, vars[0].end), (0, 2));
        assert!(matches!(vars[1].kind, VarKind::Sources(_)));
    }

    #[test]
    fn unterminated() {
        let e = parse("x${opt:stage").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("Missing variable closing bracket in x${opt:stage")
        );
    }

    #[test]
    fn numbers_like_javascript() {
        assert_eq!(js_number("12"), Some(12.0));
        assert_eq!(js_number("-1.5e3"), Some(-1500.0));
        assert_eq!(js_number("0x1F"), Some(31.0));
        assert_eq!(js_number(""), Some(0.0));
        assert_eq!(js_number("1."), Some(1.0));
        assert_eq!(js_number(".5"), Some(0.5));
        assert_eq!(js_number("Infinity"), Some(f64::INFINITY));
        assert_eq!(js_number("inf"), None);
        assert_eq!(js_number("1-2"), None);
        assert_eq!(js_number("dev"), None);
    }
}
