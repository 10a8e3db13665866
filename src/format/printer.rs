//! The layout: a walk over the pest parse tree that prints every token in canonical form, with
//! the comments found in the gaps between tokens put back where they were.
//!
//! Every piece of text in a file that parses is either a token the tree knows (kind, label,
//! brace, key, `=`, value atom, `,`, `:`, bracket) or lies in the gap between two such tokens,
//! where the grammar allows only whitespace and comments. The printer keeps a cursor into the
//! source; before each token it scans the gap up to it, and each comment found there is printed
//! either on its own line (when a newline precedes it in the source, or it opens the file) or
//! at the end of the line being printed (a trailing comment). Comments never change order
//! relative to tokens, so nothing can move in or out of a block.

use crate::syntax::{NetlinkParser, Rule};
use pest::iterators::Pair;
use pest::Parser;

/// One level of indentation.
const INDENT: &str = "  ";

/// Print a file that is known to parse; `Err` explains an internal inconsistency (the text did
/// not parse as a whole, or a gap held something other than whitespace and comments).
pub(super) fn print(src: &str) -> Result<String, String> {
    let mut pairs = NetlinkParser::parse(Rule::file, src)
        .map_err(|e| format!("the file does not parse as a whole: {e}"))?;
    let root = pairs
        .next()
        .ok_or_else(|| "the parser returned nothing".to_string())?;
    let mut p = Printer::new(src);
    for pair in root.into_inner() {
        if pair.as_rule() == Rule::block {
            p.block(pair, 0);
        }
    }
    p.gap(src.len(), false);
    p.end_line();
    if let Some(e) = p.error {
        return Err(e);
    }
    Ok(finish(&p.out))
}

/// Trailing whitespace off every line; exactly one final newline (none for an empty file).
fn finish(out: &str) -> String {
    let mut s = String::with_capacity(out.len());
    for line in out.lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
    let keep = s.trim_end_matches('\n').len();
    s.truncate(keep);
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

struct Printer<'s> {
    src: &'s str,
    /// Finished lines.
    out: String,
    /// The line being built, without its indentation.
    line: String,
    /// The indentation level of `line`, fixed when its first text was put.
    line_indent: usize,
    /// The current nesting level.
    indent: usize,
    /// Source offset up to which everything has been printed.
    pos: usize,
    /// Newlines seen in the current gap since the last token or comment.
    nl: usize,
    /// Print a blank line before the next line that starts.
    want_blank: bool,
    /// The last thing put was an opening `{` (no blank line may follow it).
    after_open: bool,
    /// The last thing on the line is an inline block comment: the next token needs a space.
    force_space: bool,
    /// The first internal inconsistency found.
    error: Option<String>,
}

impl<'s> Printer<'s> {
    fn new(src: &'s str) -> Self {
        Printer {
            src,
            out: String::with_capacity(src.len() + src.len() / 8),
            line: String::new(),
            line_indent: 0,
            indent: 0,
            pos: 0,
            nl: 0,
            want_blank: false,
            after_open: false,
            force_space: false,
            error: None,
        }
    }

    // ---- lines -------------------------------------------------------------------------------

    /// Append text to the current line (starting the line if it is empty).
    fn put(&mut self, text: &str, space: bool) {
        if self.line.is_empty() {
            if self.want_blank && !self.out.is_empty() && !self.after_open {
                self.out.push('\n');
            }
            self.want_blank = false;
            self.line_indent = self.indent;
        } else if space || self.force_space {
            self.line.push(' ');
        }
        self.line.push_str(text);
        self.force_space = false;
        self.after_open = false;
    }

    /// Finish the current line, if it has anything on it.
    fn end_line(&mut self) {
        if !self.line.is_empty() {
            for _ in 0..self.line_indent {
                self.out.push_str(INDENT);
            }
            self.out.push_str(&self.line);
            self.out.push('\n');
            self.line.clear();
        }
        self.force_space = false;
    }

    /// A structural line break: what follows starts a line. A blank line in the source just
    /// before it is kept (as one) when `blank_ok`.
    fn newline(&mut self, blank_ok: bool) {
        self.end_line();
        if blank_ok && self.nl >= 2 {
            self.want_blank = true;
        }
    }

    // ---- gaps and comments -------------------------------------------------------------------

    /// Print the comments between the cursor and `to`; returns whether there were any. In an
    /// `inline` gap (inside an attribute, a header or a list) blank lines are not kept.
    fn gap(&mut self, to: usize, inline: bool) -> bool {
        let src = self.src;
        let to = to.max(self.pos);
        let text = &src[self.pos..to];
        let bytes = text.as_bytes();
        let mut seen = false;
        let mut i = 0;
        self.nl = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    self.nl += 1;
                    i += 1;
                }
                b' ' | b'\t' | b'\r' => i += 1,
                b'#' => {
                    let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                    self.comment(text[i..end].trim_end(), true, inline);
                    seen = true;
                    i = end;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                    self.comment(text[i..end].trim_end(), true, inline);
                    seen = true;
                    i = end;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    let end = text[i + 2..]
                        .find("*/")
                        .map_or(text.len(), |e| i + 2 + e + 2);
                    self.comment(&text[i..end], false, inline);
                    seen = true;
                    i = end;
                }
                _ => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    if c != '\u{FEFF}' && self.error.is_none() {
                        self.error = Some(format!(
                            "unexpected text {:?} between tokens at byte {}",
                            c,
                            self.pos + i
                        ));
                    }
                    i += c.len_utf8();
                }
            }
        }
        self.pos = to;
        seen
    }

    /// Print one comment: on its own line if it stood on its own line, else at the end of the
    /// current line (a line comment then ends that line).
    fn comment(&mut self, text: &str, line_comment: bool, inline: bool) {
        let own_line = self.nl > 0 || self.line.is_empty();
        if own_line {
            self.end_line();
            if self.nl >= 2 && !inline {
                self.want_blank = true;
            }
            self.put(text, false);
            self.end_line();
        } else if line_comment {
            self.line.push_str("  ");
            self.line.push_str(text);
            self.end_line();
        } else {
            self.line.push(' ');
            self.line.push_str(text);
            self.force_space = true;
        }
        self.nl = 0;
    }

    // ---- tokens ------------------------------------------------------------------------------

    /// A token inside a line.
    fn inline_tok(&mut self, start: usize, end: usize, text: &str, space: bool) {
        self.gap(start, true);
        self.put(text, space);
        self.pos = end;
    }

    /// A token that starts a line (a block's kind, an attribute's key).
    fn line_tok(&mut self, start: usize, end: usize, text: &str) {
        self.gap(start, false);
        self.newline(true);
        self.put(text, false);
        self.pos = end;
    }

    fn pair_tok(&mut self, pair: &Pair<'_, Rule>, space: bool) {
        let s = pair.as_span();
        self.inline_tok(s.start(), s.end(), s.as_str(), space);
    }

    // ---- structure ---------------------------------------------------------------------------

    fn block(&mut self, pair: Pair<'_, Rule>, depth: usize) {
        let mut has_items = false;
        for inner in pair.into_inner() {
            let s = inner.as_span();
            match inner.as_rule() {
                Rule::kind => self.line_tok(s.start(), s.end(), s.as_str()),
                Rule::label => self.pair_tok(&inner, true),
                Rule::open_brace => {
                    self.inline_tok(s.start(), s.end(), "{", true);
                    self.indent += 1;
                    self.after_open = true;
                }
                Rule::attribute => {
                    has_items = true;
                    self.attribute(inner);
                }
                Rule::block => {
                    has_items = true;
                    self.block(inner, depth + 1);
                }
                Rule::close_brace => {
                    let commented = self.gap(s.start(), false);
                    self.indent = self.indent.saturating_sub(1);
                    if has_items || commented {
                        self.want_blank = false;
                        self.end_line();
                    }
                    self.put("}", false);
                    self.pos = s.end();
                    if depth == 0 {
                        // Exactly one blank line between top-level blocks.
                        self.want_blank = true;
                    }
                }
                _ => {}
            }
        }
    }

    fn attribute(&mut self, pair: Pair<'_, Rule>) {
        for inner in pair.into_inner() {
            let s = inner.as_span();
            match inner.as_rule() {
                Rule::key => self.line_tok(s.start(), s.end(), s.as_str()),
                Rule::eq => self.inline_tok(s.start(), s.end(), "=", true),
                Rule::value => {
                    if let Some(v) = inner.into_inner().next() {
                        self.value(v, true);
                    }
                }
                _ => {}
            }
        }
    }

    /// A value (list or scalar); `space` before it.
    fn value(&mut self, pair: Pair<'_, Rule>, space: bool) {
        match pair.as_rule() {
            Rule::list | Rule::port_list => self.list(pair, space),
            Rule::string => {
                let s = pair.as_span();
                let raw = pair
                    .into_inner()
                    .next()
                    .map(|p| p.as_str())
                    .unwrap_or_default();
                self.inline_tok(s.start(), s.end(), &canonical_string(raw), space);
            }
            Rule::endpoint => {
                for inner in pair.into_inner() {
                    match inner.as_rule() {
                        Rule::path => self.pair_tok(&inner, space),
                        Rule::colon => {
                            let s = inner.as_span();
                            self.inline_tok(s.start(), s.end(), ":", false);
                        }
                        _ => self.value(inner, false),
                    }
                }
            }
            // cidr, ipv4, port_range, number, path: as written.
            _ => self.pair_tok(&pair, space),
        }
    }

    /// `[a, b, c]` on one line; a list holding a comment is written one element per line, each
    /// followed by a comma, so the comments keep their places.
    fn list(&mut self, pair: Pair<'_, Rule>, space: bool) {
        let span = pair.as_span();
        let multi = has_comment(span.as_str());
        self.inline_tok(span.start(), span.start() + 1, "[", space);
        if multi {
            self.indent += 1;
        }
        let mut first = true;
        for inner in pair.into_inner() {
            let s = inner.as_span();
            match inner.as_rule() {
                Rule::comma => {
                    self.gap(s.start(), true);
                    self.pos = s.end();
                }
                Rule::rbracket => {
                    self.gap(s.start(), true);
                    if multi {
                        self.indent = self.indent.saturating_sub(1);
                        self.end_line();
                    }
                    self.put("]", false);
                    self.pos = s.end();
                }
                _ if multi => {
                    self.gap(s.start(), true);
                    self.end_line();
                    self.value(inner, false);
                    self.put(",", false);
                }
                _ => {
                    if !first {
                        self.put(",", false);
                    }
                    self.value(inner, !first);
                    first = false;
                }
            }
        }
    }
}

/// A string literal in canonical form from the text between its quotes: escapes are kept as
/// written (so an unknown one keeps its diagnostic), a raw tab becomes `\t`.
fn canonical_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a piece of source (outside strings) holds a comment.
fn has_comment(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'#' => return true,
            b'/' if matches!(b.get(i + 1), Some(b'/' | b'*')) => return true,
            _ => i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_canonical() {
        assert_eq!(canonical_string("a\tb"), "\"a\\tb\"");
        assert_eq!(canonical_string(r#"a\"b\\c\n"#), r#""a\"b\\c\n""#);
        assert_eq!(canonical_string(r"a\qb"), r#""a\qb""#);
    }

    #[test]
    fn comments_are_found_outside_strings_only() {
        assert!(!has_comment(r##"["#", "//", 10.0.0.0/8]"##));
        assert!(has_comment("[a, # x\n b]"));
        assert!(has_comment("[a /* x */]"));
        assert!(has_comment("[a, // x\n]"));
    }
}
