//! The abstract syntax tree: blocks, attributes and values, every node with its span.
//!
//! The tree is generic (like HCL's): it does not know which kinds of block exist. The model stage
//! gives the blocks their meaning.

use crate::source::{FileId, Span, Spanned};

/// A name as written (block kind, block name, attribute key, path segment).
pub type Ident = Spanned<String>;

/// One parsed source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Which file.
    pub id: FileId,
    /// The top-level blocks that parsed, in source order.
    pub blocks: Vec<Block>,
    /// Top-level blocks that did not parse, as far as their header could be read. Later stages
    /// treat their names as declared, so one syntax error does not cascade into unknown names.
    pub broken: Vec<BrokenBlock>,
}

/// The header of a top-level block whose body has a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenBlock {
    /// The block's kind, e.g. `vpc`.
    pub kind: Ident,
    /// The block's name, if the header had one.
    pub label: Option<Ident>,
}

/// `kind label { items }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The kind keyword (`vpc`, `flow`, ...).
    pub kind: Ident,
    /// The block's name.
    pub label: Option<Ident>,
    /// Attributes and nested blocks, in source order.
    pub items: Vec<Item>,
    /// From the kind to the closing brace.
    pub span: Span,
}

impl Block {
    /// The header span: kind and label.
    pub fn header(&self) -> Span {
        match &self.label {
            Some(l) => self.kind.span.to(l.span),
            None => self.kind.span,
        }
    }

    /// The attributes, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter().filter_map(|i| match i {
            Item::Attribute(a) => Some(a),
            Item::Block(_) => None,
        })
    }

    /// The nested blocks, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|i| match i {
            Item::Block(b) => Some(b),
            Item::Attribute(_) => None,
        })
    }
}

/// An item of a block body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `key = value`
    Attribute(Attribute),
    /// A nested block.
    Block(Block),
}

/// `key = value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The key.
    pub key: Ident,
    /// The value.
    pub value: Value,
    /// From the key to the end of the value.
    pub span: Span,
}

/// A value with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// What was written.
    pub kind: ValueKind,
    /// Where.
    pub span: Span,
}

/// The literal forms a value can take. Numbers and addresses keep their text: the model stage
/// parses them, so that a bad octet is an address diagnostic, not a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `"text"`, escapes already applied.
    String(String),
    /// `3306`
    Number(String),
    /// `192.168.0.0/16`
    Cidr(String),
    /// `192.168.0.1`
    Ipv4(String),
    /// `8000-8100`
    PortRange(String, String),
    /// `name` or `vpc.vswitch`: a reference or a bare word (`cn-hangzhou`, `serverless`).
    Path(Vec<Ident>),
    /// `target:3306`, `target:8000-8100`, `target:[9083, 8020]`
    Endpoint {
        /// The part before the colon.
        target: Vec<Ident>,
        /// The ports after it (each a `Number` or `PortRange` value).
        ports: Vec<Value>,
    },
    /// `[a, b, c]`
    List(Vec<Value>),
}

impl ValueKind {
    /// What a person calls this kind of value, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Cidr(_) => "a CIDR block",
            ValueKind::Ipv4(_) => "an IPv4 address",
            ValueKind::PortRange(..) => "a port range",
            ValueKind::Path(p) if p.len() == 1 => "a name",
            ValueKind::Path(_) => "a dotted name",
            ValueKind::Endpoint { .. } => "a `name:port` endpoint",
            ValueKind::List(_) => "a list",
        }
    }
}

/// Join path segments with dots.
pub fn path_text(path: &[Ident]) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        s.push_str(&seg.node);
    }
    s
}

/// The span covering a whole path.
pub fn path_span(path: &[Ident]) -> Span {
    match (path.first(), path.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    }
}
