//! pest pairs → AST nodes. The pairs come from a successful parse, so their shape is the
//! grammar's; anything unexpected is skipped rather than trusted.

use super::ast::{Attribute, Block, Ident, Item, Value, ValueKind};
use super::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span, Spanned};
use pest::iterators::Pair;

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

    fn ident(&mut self, pair: &Pair<'_, Rule>) -> Ident {
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
        Spanned::new(text.to_string(), span)
    }
}

/// Lower a `file` or `chunk` pair parsed from text starting at byte `offset`.
pub fn file(
    file: FileId,
    offset: usize,
    root: Pair<'_, Rule>,
    out: &mut Vec<Block>,
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

fn block(ctx: &mut Ctx<'_>, pair: Pair<'_, Rule>) -> Block {
    let span = ctx.span(&pair);
    let mut kind = Spanned::new(String::new(), span);
    let mut label = None;
    let mut items = Vec::new();
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::kind => kind = ctx.ident(&inner),
            Rule::label => label = Some(ctx.ident(&inner)),
            Rule::attribute => items.push(Item::Attribute(attribute(ctx, inner))),
            Rule::block => items.push(Item::Block(block(ctx, inner))),
            _ => {}
        }
    }
    Block {
        kind,
        label,
        items,
        span,
    }
}

fn attribute(ctx: &mut Ctx<'_>, pair: Pair<'_, Rule>) -> Attribute {
    let span = ctx.span(&pair);
    let mut key = Spanned::new(String::new(), span);
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
    Attribute {
        key,
        value: val,
        span,
    }
}

fn value(ctx: &mut Ctx<'_>, pair: Pair<'_, Rule>) -> Value {
    let span = ctx.span(&pair);
    let kind = match pair.as_rule() {
        Rule::list => ValueKind::List(
            pair.into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::comma | Rule::rbracket))
                .map(|p| value(ctx, p))
                .collect(),
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
                None => ValueKind::String(String::new()),
            }
        }
        Rule::cidr => ValueKind::Cidr(pair.as_str().to_string()),
        Rule::ipv4 => ValueKind::Ipv4(pair.as_str().to_string()),
        Rule::number => ValueKind::Number(pair.as_str().to_string()),
        Rule::port_range => {
            let (a, b) = pair.as_str().split_once('-').unwrap_or((pair.as_str(), ""));
            ValueKind::PortRange(a.to_string(), b.to_string())
        }
        Rule::path => ValueKind::Path(path(ctx, pair)),
        Rule::endpoint => {
            let mut target = Vec::new();
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
            ValueKind::Endpoint { target, ports }
        }
        _ => ValueKind::String(pair.as_str().to_string()),
    };
    Value { kind, span }
}

fn path(ctx: &mut Ctx<'_>, pair: Pair<'_, Rule>) -> Vec<Ident> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::segment)
        .map(|p| ctx.ident(&p))
        .collect()
}

fn unescape(ctx: &mut Ctx<'_>, raw: &str, span: Span) -> String {
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
    out
}
