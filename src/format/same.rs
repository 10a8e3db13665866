//! The shape of a parsed file without spans: two texts with the same shape mean the same thing to
//! every later stage (names, values and order are all that the resolver and the model read).

use crate::syntax::ast::{Block, File, Item, Value, ValueKind};
use std::fmt::Write;

/// A span-free rendering of a file's blocks.
pub(super) fn shape(file: &File) -> String {
    let mut out = String::new();
    for b in &file.blocks {
        block(&mut out, b);
    }
    for b in &file.broken {
        let _ = write!(
            out,
            "broken({} {:?})",
            b.kind.node,
            b.label.as_ref().map(|l| &l.node)
        );
    }
    out
}

fn block(out: &mut String, b: &Block) {
    let _ = write!(
        out,
        "block({:?} {:?} ",
        b.kind.node,
        b.label.as_ref().map(|l| &l.node)
    );
    for item in &b.items {
        match item {
            Item::Attribute(a) => {
                let _ = write!(out, "attr({:?} ", a.key.node);
                value(out, &a.value);
                out.push(')');
            }
            Item::Block(inner) => block(out, inner),
        }
    }
    out.push(')');
}

fn value(out: &mut String, v: &Value) {
    let _ = match &v.kind {
        ValueKind::String(s) => write!(out, "string({s:?})"),
        ValueKind::Number(s) => write!(out, "number({s:?})"),
        ValueKind::Cidr(s) => write!(out, "cidr({s:?})"),
        ValueKind::Ipv4(s) => write!(out, "ipv4({s:?})"),
        ValueKind::PortRange(a, b) => write!(out, "range({a:?} {b:?})"),
        ValueKind::Path(p) => write!(out, "path({:?} {})", p.text, p.segment_count()),
        ValueKind::Endpoint(e) => {
            let _ = write!(
                out,
                "endpoint({:?} {} ",
                e.target.text,
                e.target.segment_count()
            );
            for p in &e.ports {
                value(out, p);
            }
            write!(out, ")")
        }
        ValueKind::List(items) => {
            out.push_str("list(");
            for i in items {
                value(out, i);
            }
            write!(out, ")")
        }
    };
}
