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
//!
//! The printer builds [`Line`]s, each knowing where its `=` (a single-line attribute) and its
//! trailing line comment start; [`align`] then lines them up the way `terraform fmt` (hclwrite's
//! `formatCells`) does: the `=` of consecutive single-line attribute lines at the longest key + 1
//! space, then the trailing comments of consecutive lines that have one at the longest line + 1.
//! Widths are counted in characters (hclwrite counts grapheme clusters; keys are ASCII, so the
//! two can differ only before a trailing comment, after a string with combining marks).

use crate::syntax::{NetlinkParser, Rule};
use pest::iterators::Pair;
use pest::Parser;

/// One level of indentation.
const INDENT: &str = "  ";

/// The widest a block written on one line may be (with its indentation) and stay on one line.
pub(super) const ONE_LINE_MAX: usize = 100;

/// One printed line: its text without indentation, where the `=` of a single-line attribute is
/// (`eq`, a byte offset into `text`, which has no space before it), and where a trailing `#` or
/// `//` comment starts (`comment`). A blank line has empty text.
#[derive(Debug, Default)]
struct Line {
    indent: usize,
    text: String,
    eq: Option<usize>,
    comment: Option<usize>,
}

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
    Ok(finish(&align(&p.lines)))
}

/// Width in columns as the alignment counts it: characters.
fn width(s: &str) -> usize {
    s.chars().count()
}

/// Render the lines with hclwrite's two alignment passes (see the module's doc). A run ("chain")
/// is a maximal sequence of consecutive lines that all have the cell; a blank line, a
/// comment-only line, a block header or `}` line, a one-line block, and the first line of a
/// value spread over several lines have no `=` cell, so each of them ends a run of `=`. A line
/// holding a newline (a multi-line `/* */` comment) takes part in neither pass.
fn align(lines: &[Line]) -> String {
    // Each line's code (no trailing spaces) and trailing line comment.
    let mut cells: Vec<(String, Option<&str>, Option<usize>)> = lines
        .iter()
        .map(|l| {
            if l.text.contains('\n') {
                return (l.text.clone(), None, None);
            }
            let (code, comment) = match l.comment {
                Some(c) if !l.text[..c].trim_end().is_empty() => {
                    (l.text[..c].trim_end(), Some(&l.text[c..]))
                }
                _ => (l.text.as_str(), None),
            };
            let eq = l.eq.filter(|&e| e > 0 && e <= code.len());
            (code.to_string(), comment, eq)
        })
        .collect();
    let lead = |l: &Line, code: &str, eq: usize| l.indent * INDENT.len() + width(&code[..eq]);
    // Pass 1: `=` at the longest lead + 1.
    let mut i = 0;
    while i < cells.len() {
        let end = (i..cells.len())
            .find(|&j| cells[j].2.is_none())
            .unwrap_or(cells.len());
        if end == i {
            i += 1;
            continue;
        }
        let max = (i..end)
            .map(|j| lead(&lines[j], &cells[j].0, cells[j].2.unwrap_or(0)))
            .max()
            .unwrap_or(0);
        for j in i..end {
            let eq = cells[j].2.unwrap_or(0);
            let pad = max - lead(&lines[j], &cells[j].0, eq) + 1;
            let code = &mut cells[j].0;
            let rest = code[eq..].trim_start().to_string();
            code.truncate(eq);
            code.extend(std::iter::repeat_n(' ', pad));
            code.push_str(&rest);
        }
        i = end;
    }
    // Pass 2: trailing comments at the longest line + 1.
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 8).sum());
    let col = |j: usize, cells: &[(String, Option<&str>, Option<usize>)]| {
        lines[j].indent * INDENT.len() + width(&cells[j].0)
    };
    let mut i = 0;
    while i < cells.len() {
        let end = (i..cells.len())
            .find(|&j| cells[j].1.is_none())
            .unwrap_or(cells.len());
        if end == i {
            push_line(&mut out, lines[i].indent, &cells[i].0, None, 0);
            i += 1;
            continue;
        }
        let max = (i..end).map(|j| col(j, &cells)).max().unwrap_or(0);
        for j in i..end {
            let pad = max - col(j, &cells) + 1;
            push_line(&mut out, lines[j].indent, &cells[j].0, cells[j].1, pad);
        }
        i = end;
    }
    out
}

fn push_line(out: &mut String, indent: usize, code: &str, comment: Option<&str>, pad: usize) {
    if !code.is_empty() || comment.is_some() {
        for _ in 0..indent {
            out.push_str(INDENT);
        }
    }
    out.push_str(code);
    if let Some(c) = comment {
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str(c);
    }
    out.push('\n');
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
    lines: Vec<Line>,
    /// Where the `=` of the current line's single-line attribute is (see [`Line`]).
    cur_eq: Option<usize>,
    /// Where the current line's trailing line comment starts.
    cur_comment: Option<usize>,
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
            lines: Vec::with_capacity(src.len() / 24),
            cur_eq: None,
            cur_comment: None,
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
        self.put_sep(text, if space { " " } else { "" });
    }

    /// Append text to the current line after `sep` (nothing when the line is empty).
    fn put_sep(&mut self, text: &str, sep: &str) {
        if self.line.is_empty() {
            if self.want_blank && !self.lines.is_empty() && !self.after_open {
                self.lines.push(Line::default());
            }
            self.want_blank = false;
            self.line_indent = self.indent;
        } else if !sep.is_empty() {
            self.line.push_str(sep);
        } else if self.force_space {
            self.line.push(' ');
        }
        self.line.push_str(text);
        self.force_space = false;
        self.after_open = false;
    }

    /// Finish the current line, if it has anything on it.
    fn end_line(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(Line {
                indent: self.line_indent,
                text: std::mem::take(&mut self.line),
                eq: self.cur_eq.take(),
                comment: self.cur_comment.take(),
            });
        }
        self.cur_eq = None;
        self.cur_comment = None;
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
            self.line.push(' ');
            self.cur_comment = Some(self.line.len());
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
        if one_line(&pair) {
            let mut trial = Printer::new(self.src);
            trial.pos = pair.as_span().start();
            trial.one_line_block(pair.clone(), 1);
            if self.indent * INDENT.len() + width(&trial.line) <= ONE_LINE_MAX {
                self.one_line_block(pair, depth);
                return;
            }
        }
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

    /// An attribute on a line of its own. Its line is marked for the `=` alignment when the key,
    /// the `=` and the whole value end up on that one line.
    fn attribute(&mut self, pair: Pair<'_, Rule>) {
        let mut key_line = None;
        let mut marked = false;
        for inner in pair.into_inner() {
            let s = inner.as_span();
            match inner.as_rule() {
                Rule::key => {
                    self.line_tok(s.start(), s.end(), s.as_str());
                    key_line = Some(self.lines.len());
                }
                Rule::eq => {
                    self.gap(s.start(), true);
                    if key_line == Some(self.lines.len()) && !self.line.is_empty() {
                        self.cur_eq = Some(self.line.len());
                        marked = true;
                    }
                    self.put("=", true);
                    self.pos = s.end();
                }
                Rule::value => {
                    if let Some(v) = inner.into_inner().next() {
                        self.value(v, true);
                    }
                }
                _ => {}
            }
        }
        // The value went on over more lines (a list holding a comment, a comment before the
        // value): like hclwrite, that attribute's first line takes no part in the alignment.
        if let Some(k) = key_line.filter(|&k| marked && k != self.lines.len()) {
            if let Some(l) = self.lines.get_mut(k) {
                l.eq = None;
            }
        }
    }

    /// A block printed on one line: `kind label { a = 1  b = 2 }` (see [`one_line`]).
    fn one_line_block(&mut self, pair: Pair<'_, Rule>, depth: usize) {
        let mut first = true;
        for inner in pair.into_inner() {
            let s = inner.as_span();
            match inner.as_rule() {
                Rule::kind => self.line_tok(s.start(), s.end(), s.as_str()),
                Rule::label => self.pair_tok(&inner, true),
                Rule::open_brace => self.inline_tok(s.start(), s.end(), "{", true),
                Rule::attribute => {
                    for part in inner.into_inner() {
                        let s = part.as_span();
                        match part.as_rule() {
                            Rule::key => {
                                self.gap(s.start(), true);
                                self.put_sep(s.as_str(), if first { " " } else { "  " });
                                self.pos = s.end();
                                first = false;
                            }
                            Rule::eq => self.inline_tok(s.start(), s.end(), "=", true),
                            Rule::value => {
                                if let Some(v) = part.into_inner().next() {
                                    self.value(v, true);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::close_brace => {
                    self.inline_tok(s.start(), s.end(), "}", true);
                    if depth == 0 {
                        self.want_blank = true;
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

    /// `[a, b, c]` on one line when it was written on one line; a list written over several
    /// lines, or holding a comment, is written one element per line, each followed by a comma
    /// (so the comments keep their places), and `]` on a line of its own.
    fn list(&mut self, pair: Pair<'_, Rule>, space: bool) {
        let span = pair.as_span();
        let multi = has_comment(span.as_str()) || span.as_str().contains('\n');
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

/// Whether a block stays on one line (when it fits): it was written on one line, it has at least
/// one item and only attributes, and it holds no comment.
fn one_line(pair: &Pair<'_, Rule>) -> bool {
    let text = pair.as_str();
    !text.contains('\n')
        && !has_comment(text)
        && pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::attribute)
        && pair
            .clone()
            .into_inner()
            .all(|p| p.as_rule() != Rule::block)
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
