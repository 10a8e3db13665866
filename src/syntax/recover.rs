//! Error recovery: cut a file into top-level chunks, one block each, without the grammar.
//!
//! A linear scan over the bytes tracks strings, comments and brace depth. A chunk ends where its
//! braces balance again, or, when a block was never closed, where a line at column 0 starts the
//! next block header (`kind name {`).

use super::ast::{BrokenBlock, Ident};
use crate::source::{FileId, Span, Spanned};

/// One top-level piece of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// First byte (inclusive).
    pub start: usize,
    /// Last byte (exclusive).
    pub end: usize,
    /// Deepest brace nesting inside.
    pub max_depth: usize,
    /// Offset (from `start`) of the first brace that went past [`super::MAX_DEPTH`].
    pub deep_at: usize,
    /// The chunk was cut at the next header while a brace was still open.
    pub unclosed: bool,
    /// Offset (from `start`) of the chunk's first `{`, if any.
    pub open_brace: Option<usize>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Does a line starting at `at` look like a block header: `ident [ident] {`?
fn looks_like_header(bytes: &[u8], at: usize) -> bool {
    let mut i = at;
    let mut words = 0;
    loop {
        if i < bytes.len() && is_ident_start(bytes[i]) {
            while i < bytes.len() && is_ident_char(bytes[i]) {
                i += 1;
            }
            words += 1;
        } else {
            return false;
        }
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            return words <= 2;
        }
        if words == 2 {
            return false;
        }
    }
}

/// A file cut into chunks.
#[derive(Clone, Debug, Default)]
pub struct Cut {
    /// The top-level chunks.
    pub chunks: Vec<Chunk>,
    /// Offset of a `/*` that is never closed (it swallows the rest of the file).
    pub open_comment: Option<usize>,
}

/// Cut `text` into top-level chunks.
#[cfg(test)]
pub fn chunks(text: &str) -> Vec<Chunk> {
    cut(text).chunks
}

/// Cut `text` into top-level chunks, noting an unclosed block comment.
pub fn cut(text: &str) -> Cut {
    cut_with(text, true)
}

/// Cut only where braces balance (no guessing at unclosed blocks): the chunks of a well-formed
/// file, parsed one by one so the parser's memory stays small.
pub fn cut_balanced(text: &str) -> Cut {
    cut_with(text, false)
}

fn cut_with(text: &str, guess_unclosed: bool) -> Cut {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut open_comment = None;
    let mut i = 0;
    let mut current: Option<Chunk> = None;
    let mut depth = 0usize;
    let mut seen_brace = false;
    // Offsets of the braces still open, so an unclosed block is reported at its own `{`.
    let mut open: Vec<usize> = Vec::new();
    while i < bytes.len() {
        let b = bytes[i];
        // At the start of a line at column 0, a header ends an unfinished chunk.
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        if guess_unclosed && line_start && is_ident_start(b) {
            if let Some(mut c) = current.take() {
                if depth > 0 || !seen_brace {
                    if looks_like_header(bytes, i) {
                        c.end = trim_end(bytes, c.start, i);
                        c.unclosed = depth > 0;
                        if let Some(&b) = open.last() {
                            c.open_brace = Some(b - c.start);
                        }
                        open.clear();
                        out.push(c);
                        depth = 0;
                        seen_brace = false;
                    } else {
                        current = Some(c);
                    }
                } else {
                    current = Some(c);
                }
            }
        }
        match b {
            b'"' => {
                ensure(&mut current, i);
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            b'#' => {
                skip_line(bytes, &mut i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                skip_line(bytes, &mut i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                if i + 1 >= bytes.len() {
                    open_comment = Some(start);
                }
                i += 2;
                continue;
            }
            b'{' => {
                let c = ensure(&mut current, i);
                if c.open_brace.is_none() {
                    c.open_brace = Some(i - c.start);
                }
                depth += 1;
                open.push(i);
                seen_brace = true;
                if depth > c.max_depth {
                    c.max_depth = depth;
                    if depth == super::MAX_DEPTH + 1 {
                        c.deep_at = i - c.start;
                    }
                }
            }
            b'}' => {
                ensure(&mut current, i);
                open.pop();
                if depth <= 1 {
                    if let Some(mut c) = current.take() {
                        c.end = i + 1;
                        out.push(c);
                    }
                    depth = 0;
                    seen_brace = false;
                } else {
                    depth -= 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                ensure(&mut current, i);
            }
        }
        i += 1;
    }
    if let Some(mut c) = current.take() {
        c.end = trim_end(bytes, c.start, bytes.len());
        c.unclosed = depth > 0;
        if let Some(&b) = open.last() {
            c.open_brace = Some(b - c.start);
        }
        out.push(c);
    }
    // Strings and comments may run past the end of the text; keep every chunk inside it and on
    // character boundaries.
    for c in &mut out {
        c.end = c.end.min(text.len());
        while c.end > c.start && !text.is_char_boundary(c.end) {
            c.end -= 1;
        }
    }
    Cut {
        chunks: out,
        open_comment,
    }
}

fn ensure(current: &mut Option<Chunk>, at: usize) -> &mut Chunk {
    current.get_or_insert(Chunk {
        start: at,
        end: at,
        max_depth: 0,
        deep_at: 0,
        unclosed: false,
        open_brace: None,
    })
}

fn skip_line(bytes: &[u8], i: &mut usize) {
    while *i < bytes.len() && bytes[*i] != b'\n' {
        *i += 1;
    }
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// Read `kind [label]` at the start of a chunk, if it is there.
pub fn header<'s>(file: FileId, text: &'s str, chunk: &Chunk) -> Option<BrokenBlock<'s>> {
    let bytes = text.as_bytes();
    let mut words: Vec<Ident> = Vec::new();
    let mut i = chunk.start;
    while words.len() < 2 && i < chunk.end {
        if !is_ident_start(bytes[i]) {
            break;
        }
        let s = i;
        while i < chunk.end && is_ident_char(bytes[i]) {
            i += 1;
        }
        words.push(Spanned::new(&text[s..i], Span::new(file, s, i)));
        while i < chunk.end && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
    }
    if i >= chunk.end || bytes[i] != b'{' {
        return None;
    }
    let mut it = words.into_iter();
    let kind = it.next()?;
    Some(BrokenBlock {
        kind,
        label: it.next(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        chunks(text).iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn balanced_blocks_are_one_chunk_each() {
        assert_eq!(
            spans("a x { b = 1 }\n# c\nc y { d { } }\n"),
            vec!["a x { b = 1 }", "c y { d { } }"]
        );
    }

    #[test]
    fn unclosed_block_ends_at_next_header() {
        let cs = chunks("a x {\n  b = 1\nc y {\n}\n");
        assert_eq!(cs.len(), 2);
        assert!(cs[0].unclosed);
        assert!(!cs[1].unclosed);
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        assert_eq!(
            spans("a x { s = \"{\" # {\n}\nb y { }"),
            vec!["a x { s = \"{\" # {\n}", "b y { }"]
        );
    }

    #[test]
    fn attribute_at_column_zero_does_not_cut() {
        assert_eq!(spans("a x {\nb = 1\n}"), vec!["a x {\nb = 1\n}"]);
    }
}
