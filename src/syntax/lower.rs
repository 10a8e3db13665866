//! pest pairs → AST nodes. The pairs come from a successful parse, so their shape is the
//! grammar's; anything unexpected is skipped rather than trusted.

use super::ast::{Attribute, Block, Endpoint, Ident, Item, Path, Value, ValueKind};
use super::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span, Spanned};
use pest::iterators::Pair;
use std::borrow::Cow;

struct Ctx<'d> {
    file: FileId,
    offset: usize,
    diags: &'d mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn ident<'s>(&mut self, pair: &Pair<'s, Rule>) -> Ident<'s> {
        let span = self.span(pair);
        let text = pair.as_str();
        if let Some(d) = crate::limits::too_long(
            self.file,
            span.start as usize,
            text.len(),
            "name",
            crate::limits::MAX_NAME,
        ) {
            self.diags.push(d);
        }
        Spanned::new(text, span)
    }
}

/// Lower a `file` or `chunk` pair parsed from text starting at byte `offset`.
pub fn file<'s>(
    file: FileId,
    offset: usize,
    root: Pair<'s, Rule>,
    out: &mut Vec<Block<'s>>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut ctx = Ctx {
        file,
        offset,
        diags,
    };
    for pair in root.into_inner() {
        if pair.as_rule() == Rule::block {
            out.push(block(&mut ctx, pair));
        }
    }
}

fn block<'s>(ctx: &mut Ctx<'_>, pair: Pair<'s, Rule>) -> Block<'s> {
    let span = ctx.span(&pair);
    let mut kind = Spanned::new("", span);
    let mut label = None;
    let mut items = Vec::new();
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::kind => kind = ctx.ident(&inner),
            Rule::label => label = Some(ctx.ident(&inner)),
            Rule::attribute => items.push(Item::Attribute(attribute(ctx, inner))),
            Rule::block => items.push(Item::Block(Box::new(block(ctx, inner)))),
            _ => {}
        }
    }
    // The tree lives until the model is built: no spare capacity.
    items.shrink_to_fit();
    Block {
        kind,
        label,
        items,
        span,
    }
}

fn attribute<'s>(ctx: &mut Ctx<'_>, pair: Pair<'s, Rule>) -> Attribute<'s> {
    let span = ctx.span(&pair);
    let mut key = Spanned::new("", span);
    let mut val = Value {
        kind: ValueKind::List(Vec::new()),
        span,
    };
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::key => key = ctx.ident(&inner),
            Rule::value => {
                if let Some(v) = inner.into_inner().next() {
                    val = value(ctx, v);
                }
            }
            _ => {}
        }
    }
    Attribute { key, value: val }
}

fn value<'s>(ctx: &mut Ctx<'_>, pair: Pair<'s, Rule>) -> Value<'s> {
    let span = ctx.span(&pair);
    let kind = match pair.as_rule() {
        Rule::list => ValueKind::List(
            pair.into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::comma | Rule::rbracket))
                .map(|p| value(ctx, p))
                .collect::<Vec<_>>()
                .into_boxed_slice()
                .into_vec(),
        ),
        Rule::string => {
            let inner = pair.into_inner().next();
            match inner {
                Some(p) => {
                    let s = ctx.span(&p);
                    if let Some(d) = crate::limits::too_long(
                        ctx.file,
                        s.start as usize,
                        p.as_str().len(),
                        "string",
                        crate::limits::MAX_STRING,
                    ) {
                        ctx.diags.push(d);
                    }
                    ValueKind::String(unescape(ctx, p.as_str(), s))
                }
                None => ValueKind::String(Cow::Borrowed("")),
            }
        }
        Rule::cidr => ValueKind::Cidr(pair.as_str()),
        Rule::ipv4 => ValueKind::Ipv4(pair.as_str()),
        Rule::number => ValueKind::Number(pair.as_str()),
        Rule::port_range => {
            let (a, b) = pair.as_str().split_once('-').unwrap_or((pair.as_str(), ""));
            ValueKind::PortRange(a, b)
        }
        Rule::path => ValueKind::Path(path(ctx, pair)),
        Rule::endpoint => {
            let mut target = Path { text: "", span };
            let mut ports = Vec::new();
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::path => target = path(ctx, inner),
                    Rule::port_list => {
                        for p in inner.into_inner() {
                            if matches!(p.as_rule(), Rule::number | Rule::port_range) {
                                ports.push(value(ctx, p));
                            }
                        }
                    }
                    Rule::number | Rule::port_range => ports.push(value(ctx, inner)),
                    _ => {}
                }
            }
            ValueKind::Endpoint(Box::new(Endpoint { target, ports }))
        }
        _ => ValueKind::String(Cow::Borrowed(pair.as_str())),
    };
    Value { kind, span }
}

fn path<'s>(ctx: &mut Ctx<'_>, pair: Pair<'s, Rule>) -> Path<'s> {
    let path = Path {
        text: pair.as_str(),
        span: ctx.span(&pair),
    };
    // Each part is a name, with the name length limit (checked, not kept: the path is one slice).
    for segment in pair.into_inner() {
        if segment.as_rule() == Rule::segment {
            ctx.ident(&segment);
        }
    }
    path
}

fn unescape<'s>(ctx: &mut Ctx<'_>, raw: &'s str, span: Span) -> Cow<'s, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((j, other)) => {
                let start = span.start as usize + i;
                let end = span.start as usize + j + other.len_utf8();
                ctx.diags.push(
                    Diagnostic::new(
                        Code::BAD_ESCAPE,
                        format!(
                            "unknown escape `\\{}` in string",
                            if other.is_control() { other.escape_default().to_string() } else { other.to_string() }
                        ),
                    )
                    .primary(Span::new(span.file, start, end), "unknown escape")
                    .help("strings know `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash"),
                );
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}
