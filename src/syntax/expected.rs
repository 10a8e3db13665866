//! Turn pest's "expected rule X" into words a person understands.

use super::recover::Chunk;
use super::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};
use std::collections::BTreeSet;

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::file | Rule::chunk | Rule::block | Rule::kind => "a block (`kind name { ... }`)",
        Rule::label => "a block name",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::attribute | Rule::key => "an attribute (`key = value`)",
        Rule::eq => "`=`",
        Rule::comma => "`,`",
        Rule::rbracket => "`]`",
        Rule::colon => "`:`",
        Rule::port_list => "a port list (`[80, 443]`)",
        Rule::port_range | Rule::number => "a port",
        Rule::string | Rule::string_inner => "a string",
        Rule::value
        | Rule::list
        | Rule::cidr
        | Rule::ipv4
        | Rule::endpoint
        | Rule::path
        | Rule::segment => "a value",
        Rule::scalar | Rule::dotted_quad => "a value",
        Rule::string_char => "a string",
        Rule::ident_raw | Rule::ident_char => "a name",
        Rule::WHITESPACE | Rule::COMMENT | Rule::line_comment | Rule::block_comment => "whitespace",
    }
}

/// What stands at `at`: a word, a character, or the end of the file.
fn found(text: &str, at: usize, end: usize) -> (String, usize) {
    let rest = text.get(at..end).unwrap_or("");
    let mut chars = rest.chars();
    match chars.next() {
        None => ("end of file".to_string(), 0),
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
            let len = rest
                .find(|ch: char| {
                    !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' || ch == '.')
                })
                .unwrap_or(rest.len());
            (format!("`{}`", crate::text::quote(&rest[..len])), len)
        }
        Some('\n') | Some('\r') => ("end of line".to_string(), 1),
        Some(c) if c.is_control() => (format!("`{}`", c.escape_default()), c.len_utf8()),
        Some(c) => (
            format!("`{}`", crate::text::quote(c.encode_utf8(&mut [0; 4]))),
            c.len_utf8(),
        ),
    }
}

fn join_words(words: &[&str]) -> String {
    match words {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

/// The diagnostic for a chunk that failed to parse.
pub fn diagnostic(file: FileId, text: &str, chunk: &Chunk, err: &Error<Rule>) -> Diagnostic {
    let rel = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let at = chunk.start + rel;
    if chunk.unclosed && at >= chunk.end {
        let brace = chunk.start + chunk.open_brace.unwrap_or(0);
        return Diagnostic::new(Code::UNCLOSED_BLOCK, "this block is never closed")
            .primary(
                Span::new(file, brace, brace + 1),
                "this `{` has no matching `}`",
            )
            .secondary(
                Span::new(file, chunk.end, chunk.end),
                if text[chunk.end..].trim().is_empty() {
                    "the file ends here"
                } else {
                    "the next block starts after here"
                },
            )
            .help("add `}` where the block ends");
    }
    let words: BTreeSet<&str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => BTreeSet::new(),
    };
    let words: Vec<&str> = words.into_iter().filter(|w| *w != "whitespace").collect();
    if words == ["`{`"] {
        if let Some(d) = missing_equals(file, text, chunk.start, at) {
            return d;
        }
    }
    let (what, len) = found(text, at, chunk.end);
    let expected = join_words(&words);
    let help = if words.contains(&"`}`") && what == "end of file" {
        "add `}` where the block ends".to_string()
    } else if words.contains(&"`=`") || (words.contains(&"`{`") && !words.contains(&"`}`")) {
        "attributes are written `key = value`; a nested block is `kind name { ... }`".to_string()
    } else if words.contains(&"a value") {
        "values are strings (`\"text\"`), numbers, CIDR blocks (`10.0.0.0/16`), addresses, names or lists (`[a, b]`)".to_string()
    } else {
        format!("write {expected} here")
    };
    Diagnostic::new(Code::SYNTAX, format!("expected {expected}, found {what}"))
        .primary(
            Span::new(file, at, at + len),
            format!("expected {expected}"),
        )
        .help(help)
}

/// `region cn-hangzhou` followed by a line that is not `{`: pest read a block header, but the
/// writer meant an attribute and forgot `=`. Say so, at the gap between the two words.
fn missing_equals(file: FileId, text: &str, chunk_start: usize, at: usize) -> Option<Diagnostic> {
    let before = text.get(..at)?.trim_end();
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &before[line_start..];
    let mut words = line.split_whitespace();
    let (key, value) = (words.next()?, words.next()?);
    let is_word = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'))
    };
    if words.next().is_some()
        || !is_word(key)
        || !is_word(value)
        || !key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    {
        return None;
    }
    let key_start = line_start + (line.len() - line.trim_start().len());
    if key_start <= chunk_start {
        return None; // the block's own header: `{` really is what is missing
    }
    let gap = key_start + key.len();
    Some(
        Diagnostic::new(Code::SYNTAX, format!("expected `=` after `{key}`"))
            .primary(Span::new(file, gap, gap + 1), "`=` missing here")
            .help(format!(
                "write `{key} = {value}`; a nested block would be `{key} {value} {{ ... }}`"
            )),
    )
}
