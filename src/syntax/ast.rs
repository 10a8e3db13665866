//! The abstract syntax tree: blocks, attributes and values, every node with its span.
//!
//! The tree is generic (like HCL's): it does not know which kinds of block exist. The model stage
//! gives the blocks their meaning.

use crate::source::{FileId, Span, Spanned};
use std::borrow::Cow;

/// A name as written (block kind, block name, attribute key, path segment), borrowed from the
/// source text: the tree holds no copies of names.
pub type Ident<'s> = Spanned<&'s str>;

/// One parsed source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File<'s> {
    /// Which file.
    pub id: FileId,
    /// The top-level blocks that parsed, in source order.
    pub blocks: Vec<Block<'s>>,
    /// Top-level blocks that did not parse, as far as their header could be read. Later stages
    /// treat their names as declared, so one syntax error does not cascade into unknown names.
    pub broken: Vec<BrokenBlock<'s>>,
    /// Syntax errors past the per-file limit ([`crate::diagnostics::MAX_PER_FILE`]): counted,
    /// never built (a file of a million stray braces would otherwise hold a million).
    pub unreported: usize,
}

/// The header of a top-level block whose body has a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenBlock<'s> {
    /// The block's kind, e.g. `vpc`.
    pub kind: Ident<'s>,
    /// The block's name, if the header had one.
    pub label: Option<Ident<'s>>,
}

/// `kind label { items }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block<'s> {
    /// The kind keyword (`vpc`, `flow`, ...).
    pub kind: Ident<'s>,
    /// The block's name.
    pub label: Option<Ident<'s>>,
    /// Attributes and nested blocks, in source order.
    pub items: Vec<Item<'s>>,
    /// From the kind to the closing brace.
    pub span: Span,
}

impl<'s> Block<'s> {
    /// The header span: kind and label.
    pub fn header(&self) -> Span {
        match &self.label {
            Some(l) => self.kind.span.to(l.span),
            None => self.kind.span,
        }
    }

    /// The attributes, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute<'s>> {
        self.items.iter().filter_map(|i| match i {
            Item::Attribute(a) => Some(a),
            Item::Block(_) => None,
        })
    }

    /// The nested blocks, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block<'s>> {
        self.items.iter().filter_map(|i| match i {
            Item::Block(b) => Some(&**b),
            Item::Attribute(_) => None,
        })
    }
}

/// An item of a block body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item<'s> {
    /// `key = value`
    Attribute(Attribute<'s>),
    /// A nested block.
    Block(Box<Block<'s>>),
}

/// `key = value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute<'s> {
    /// The key.
    pub key: Ident<'s>,
    /// The value.
    pub value: Value<'s>,
}

impl Attribute<'_> {
    /// From the key to the end of the value.
    pub fn span(&self) -> Span {
        self.key.span.to(self.value.span)
    }
}

/// A value with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value<'s> {
    /// What was written.
    pub kind: ValueKind<'s>,
    /// Where.
    pub span: Span,
}

/// The literal forms a value can take. Numbers and addresses keep their text: the model stage
/// parses them, so that a bad octet is an address diagnostic, not a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind<'s> {
    /// `"text"`, escapes already applied.
    String(Cow<'s, str>),
    /// `3306`
    Number(&'s str),
    /// `192.168.0.0/16`
    Cidr(&'s str),
    /// `192.168.0.1`
    Ipv4(&'s str),
    /// `8000-8100`
    PortRange(&'s str, &'s str),
    /// `name` or `vpc.vswitch`: a reference or a bare word (`cn-hangzhou`, `serverless`).
    Path(Path<'s>),
    /// `target:3306`, `target:8000-8100`, `target:[9083, 8020]` (boxed: rarer and larger than the
    /// other values, which then stay small).
    Endpoint(Box<Endpoint<'s>>),
    /// `[a, b, c]`
    List(Vec<Value<'s>>),
}

impl ValueKind<'_> {
    /// What a person calls this kind of value, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Cidr(_) => "a CIDR block",
            ValueKind::Ipv4(_) => "an IPv4 address",
            ValueKind::PortRange(..) => "a port range",
            ValueKind::Path(p) if p.segment_count() == 1 => "a name",
            ValueKind::Path(_) => "a dotted name",
            ValueKind::Endpoint(_) => "a `name:port` endpoint",
            ValueKind::List(_) => "a list",
        }
    }
}

/// A dotted name as written (`rds`, `vpc1.sg`): one slice of the source, no whitespace inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path<'s> {
    /// The whole name, dots included.
    pub text: &'s str,
    /// Where.
    pub span: Span,
}

impl<'s> Path<'s> {
    /// The dot-separated parts, each with its own span.
    pub fn segments(&self) -> impl Iterator<Item = Ident<'s>> + '_ {
        let mut at = self.span.start;
        self.text.split('.').map(move |seg| {
            let start = at;
            // Spans are u32 offsets into one file (files are limited to 16 MiB).
            at += seg.len() as u32 + 1;
            Spanned::new(
                seg,
                Span {
                    file: self.span.file,
                    start,
                    end: start + seg.len() as u32,
                },
            )
        })
    }

    /// How many parts (`rds`: 1, `vpc1.sg`: 2).
    pub fn segment_count(&self) -> usize {
        self.text.bytes().filter(|&b| b == b'.').count() + 1
    }

    /// The part at `index`.
    pub fn segment(&self, index: usize) -> Option<Ident<'s>> {
        self.segments().nth(index)
    }
}

/// `target:ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint<'s> {
    /// The part before the colon.
    pub target: Path<'s>,
    /// The ports after it (each a `Number` or `PortRange` value).
    pub ports: Vec<Value<'s>>,
}
