//! `# netlink:allow CODE[, CODE...] reason` comments and what each one covers.
//!
//! Comments are not part of the tree (the grammar skips them), so one linear scan over the text
//! finds them, stepping over strings and block comments; a file without the word
//! `netlink:allow` is not scanned at all. What a comment covers comes from the tree's spans:
//! a comment on its own line covers the block or attribute that follows it (with only blank
//! lines and comments between); a comment after code on its line covers the outermost block or
//! attribute that starts on that line, or else the one that ends there.

use super::ast;
use crate::diagnostics::InlineAllow;
use crate::source::{Span, Spanned};

/// The marker that starts a directive, right after the comment's `#` or `//` and spaces.
pub const ALLOW: &str = "netlink:allow";

/// Every allow comment of one parsed file, with its scope.
pub fn allows(file: &ast::File, text: &str) -> Vec<InlineAllow> {
    if memchr::memmem::find(text.as_bytes(), ALLOW.as_bytes()).is_none() {
        return Vec::new();
    }
    let comments = line_comments(text);
    let mut found = Vec::new();
    let mut items: Option<Items> = None;
    for (start, body_at, end) in comments {
        let body = &text[body_at..end];
        let trimmed = body.trim_start();
        let Some(rest) = trimmed.strip_prefix(ALLOW) else {
            continue;
        };
        // `netlink:allowed` or `netlink:allow-x` is some other word.
        if rest.chars().next().is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let rest_at = end - rest.len();
        let (codes, reason) = codes_and_reason(file.id, rest, rest_at);
        let items = items.get_or_insert_with(|| Items::of(file));
        let span = Span::new(file.id, start, end);
        let scope = items
            .scope(text, start, end)
            .map(|(s, e)| Span::new(file.id, s, e));
        found.push(InlineAllow {
            codes,
            reason,
            span,
            scope,
        });
    }
    found
}

/// `NL3103, NL3104 the reason` → the codes with their spans, and the reason.
fn codes_and_reason(
    file: crate::source::FileId,
    rest: &str,
    at: usize,
) -> (Vec<Spanned<String>>, Option<String>) {
    let mut codes = Vec::new();
    let mut offset = 0;
    let bytes = rest.as_bytes();
    loop {
        while offset < bytes.len() && (bytes[offset].is_ascii_whitespace() || bytes[offset] == b',')
        {
            offset += 1;
        }
        let word_end = rest[offset..]
            .find(|c: char| c.is_whitespace() || c == ',')
            .map_or(rest.len(), |n| offset + n);
        let word = &rest[offset..word_end];
        if !looks_like_code(word) {
            break;
        }
        codes.push(Spanned::new(
            word.to_string(),
            Span::new(file, at + offset, at + word_end),
        ));
        offset = word_end;
    }
    let reason = rest[offset..].trim();
    // A separator some people write between the codes and the reason.
    let reason = reason
        .strip_prefix("--")
        .or_else(|| reason.strip_prefix(':'))
        .unwrap_or(reason)
        .trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    (codes, reason)
}

/// `NL` and four letters or digits: a code, known or not (unknown ones get NL6003).
fn looks_like_code(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 6
        && b[..2].eq_ignore_ascii_case(b"NL")
        && b[2..].iter().all(u8::is_ascii_alphanumeric)
}

/// Every line comment: (start of `#` or `//`, start of its text, end of line), in order.
fn line_comments(text: &str) -> Vec<(usize, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(n) = memchr::memchr3(b'"', b'#', b'/', &b[i..]) {
        i += n;
        match b[i] {
            b'"' => {
                // A string ends at its closing quote or, unclosed, at the end of the line.
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'#' | b'/' if b[i] == b'#' || b.get(i + 1) == Some(&b'/') => {
                let text_at = i + if b[i] == b'#' { 1 } else { 2 };
                let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                out.push((i, text_at, end));
                i = end;
            }
            _ => i += 1,
        }
        if i >= b.len() {
            break;
        }
    }
    out
}

/// The blocks and attributes of a file as (start, end) byte ranges, in source order (so sorted
/// by start, an enclosing block before what it holds), and the same sorted by end.
struct Items {
    by_start: Vec<(usize, usize)>,
    by_end: Vec<(usize, usize)>,
}

impl Items {
    fn of(file: &ast::File) -> Items {
        fn walk(b: &ast::Block, out: &mut Vec<(usize, usize)>) {
            out.push((b.span.start as usize, b.span.end as usize));
            for item in &b.items {
                match item {
                    ast::Item::Attribute(a) => {
                        let s = a.span();
                        out.push((s.start as usize, s.end as usize));
                    }
                    ast::Item::Block(inner) => walk(inner, out),
                }
            }
        }
        let mut by_start = Vec::new();
        for b in &file.blocks {
            walk(b, &mut by_start);
        }
        // Recovered chunks are in order already; sorting keeps the search sound regardless.
        by_start.sort_unstable();
        let mut by_end: Vec<(usize, usize)> = by_start.iter().map(|&(s, e)| (e, s)).collect();
        by_end.sort_unstable();
        Items { by_start, by_end }
    }

    /// What a comment from `start` to `end` covers.
    fn scope(&self, text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let code_before = !text[line_start..start].trim().is_empty();
        if !code_before {
            let i = self.by_start.partition_point(|&(s, _)| s < end);
            let &(s, e) = self.by_start.get(i)?;
            return only_comments(&text[end..s]).then_some((s, e));
        }
        let i = self.by_start.partition_point(|&(s, _)| s < line_start);
        if let Some(&(s, e)) = self.by_start.get(i) {
            if s < start {
                return Some((s, e));
            }
        }
        let i = self.by_end.partition_point(|&(e, _)| e <= start);
        let &(e, s) = self.by_end.get(i.checked_sub(1)?)?;
        (e >= line_start).then_some((s, e))
    }
}

/// Whether a gap between a comment and the next item holds only whitespace and comments.
fn only_comments(gap: &str) -> bool {
    let b = gap.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_whitespace() => i += 1,
            b'#' => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match memchr::memmem::find(&b[i + 2..], b"*/") {
                Some(n) => i += 2 + n + 2,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn scopes(text: &str) -> Vec<(Vec<String>, Option<String>, Option<String>)> {
        let (file, _) = super::super::parse_file(FileId(0), text);
        allows(&file, text)
            .into_iter()
            .map(|a| {
                (
                    a.codes.into_iter().map(|c| c.node).collect(),
                    a.reason,
                    a.scope
                        .map(|s| text[s.start as usize..s.end as usize].to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn a_comment_above_covers_the_next_block() {
        let text = "# netlink:allow NL3103 partner has no private link\nflow f {\n  a = 1\n}\n";
        assert_eq!(
            scopes(text),
            vec![(
                vec!["NL3103".to_string()],
                Some("partner has no private link".to_string()),
                Some("flow f {\n  a = 1\n}".to_string())
            )]
        );
    }

    #[test]
    fn a_comment_after_an_attribute_covers_that_attribute() {
        let text = "flow f {\n  a = 1 # netlink:allow NL3103, NL5003 -- why\n  b = 2\n}\n";
        assert_eq!(
            scopes(text),
            vec![(
                vec!["NL3103".to_string(), "NL5003".to_string()],
                Some("why".to_string()),
                Some("a = 1".to_string())
            )]
        );
    }

    #[test]
    fn strings_and_other_words_are_not_directives() {
        let text = "flow f { s = \"# netlink:allow NL3103 x\" }\n# netlink:allowed NL3103 x\n";
        assert!(scopes(text).is_empty());
    }

    #[test]
    fn a_comment_before_a_closing_brace_covers_nothing() {
        let text = "flow f {\n  a = 1\n  # netlink:allow NL3103 why\n}\n";
        assert_eq!(scopes(text)[0].2, None);
    }
}
