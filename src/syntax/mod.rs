//! Stage 1, `syntax`: source text → [`ast::File`], with every syntax error in the file.
//!
//! The pest grammar (`grammar/netlink.pest`) parses the whole file first. When that fails, the
//! file is cut into top-level chunks ([`recover`]) and each chunk is parsed on its own, so one run
//! reports an error for every broken block instead of stopping at the first.

pub mod ast;
pub mod directives;
mod expected;
mod hidden;
mod lower;
mod recover;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::Parser;

/// The pest parser generated from the grammar file. It carries no semantics.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/netlink.pest"]
pub(crate) struct NetlinkParser;

/// Blocks may nest at most this deep (pest recurses per level; the language needs three).
pub const MAX_DEPTH: usize = 32;

/// The fast path for a well-formed file: parse each balanced top-level block on its own (the
/// parser's token queue stays the size of one block). `None` if anything is off, and the full
/// path with error recovery runs instead. (Parsing the blocks on several threads was tried: with
/// the tree then freed on another thread, it cost more memory and was no faster.)
fn parse_by_blocks<'s>(
    id: FileId,
    text: &'s str,
    cut: &recover::Cut,
) -> Option<(ast::File<'s>, Vec<Diagnostic>)> {
    if cut.open_comment.is_some()
        || cut
            .chunks
            .iter()
            .any(|c| c.unclosed || c.max_depth > MAX_DEPTH || c.open_brace.is_none())
    {
        return None;
    }
    let mut diags = Vec::new();
    let mut file = ast::File {
        id,
        blocks: Vec::with_capacity(cut.chunks.len()),
        broken: Vec::new(),
        unreported: 0,
    };
    for chunk in &cut.chunks {
        let mut pairs = NetlinkParser::parse(Rule::chunk, &text[chunk.start..chunk.end]).ok()?;
        if let Some(root) = pairs.next() {
            lower::file(id, chunk.start, root, &mut file.blocks, &mut diags);
        }
    }
    Some((file, diags))
}

/// Parse one file's text. Always returns a file (possibly with no blocks), every syntax error,
/// and a warning for every character that makes the text show differently from how it parses
/// (NL0012).
pub fn parse_file(id: FileId, text: &str) -> (ast::File<'_>, Vec<Diagnostic>) {
    let (file, mut diags) = parse_tree(id, text);
    diags.extend(hidden::warnings(id, text));
    (file, diags)
}

fn parse_tree(id: FileId, text: &str) -> (ast::File<'_>, Vec<Diagnostic>) {
    // Braces as they really nest (no guessing at unclosed blocks): the whole-file parse below
    // recurses once per level, so it runs only when no block is nested too deep.
    let balanced = recover::cut_balanced(text);
    if let Some(done) = parse_by_blocks(id, text, &balanced) {
        return done;
    }
    let nested_too_deep = balanced.chunks.iter().any(|c| c.max_depth > MAX_DEPTH);
    let mut diags = Vec::new();
    let cut = recover::cut(text);
    if let Some(at) = cut.open_comment {
        diags.push(
            Diagnostic::new(Code::SYNTAX, "this comment is never closed")
                .primary(Span::new(id, at, at + 2), "`/*` without a matching `*/`")
                .help("close the comment with `*/`; everything after `/*` is inside it"),
        );
    }
    // Nested too deep as the braces really go: report that (NL0004) on the real blocks, rather
    // than the recovery cut's guesses, which would see one shallow block per line.
    let chunks = if nested_too_deep {
        &balanced.chunks
    } else {
        &cut.chunks
    };
    let too_deep = nested_too_deep || chunks.iter().any(|c| c.max_depth > MAX_DEPTH);
    if !too_deep {
        if let Ok(mut pairs) = NetlinkParser::parse(Rule::file, text) {
            let mut file = ast::File {
                id,
                blocks: Vec::new(),
                broken: Vec::new(),
                unreported: 0,
            };
            if let Some(root) = pairs.next() {
                lower::file(id, 0, root, &mut file.blocks, &mut diags);
            }
            return (file, diags);
        }
    }
    let mut file = ast::File {
        id,
        blocks: Vec::new(),
        broken: Vec::new(),
        unreported: 0,
    };
    for chunk in chunks {
        let piece = &text[chunk.start..chunk.end];
        if chunk.max_depth > MAX_DEPTH {
            let at = chunk.start + chunk.deep_at;
            diags.push(
                Diagnostic::new(Code::TOO_DEEP, format!("blocks nested more than {MAX_DEPTH} deep"))
                    .primary(Span::new(id, at, at + 1), "this `{` is too deep")
                    .help("netlink blocks nest at most three deep (`vpc` > `security_group` > `rule`); close the blocks above"),
            );
            if let Some(b) = recover::header(id, text, chunk) {
                file.broken.push(b);
            }
            continue;
        }
        // Past the limit a run of stray `}` is only counted: it cannot be a block, and parsing
        // it for a diagnostic nobody sees is what made a line of a million `}` slow.
        let full = diags.len() >= crate::diagnostics::MAX_PER_FILE;
        if full && piece.bytes().all(|b| b == b'}' || b.is_ascii_whitespace()) {
            file.unreported += 1;
            continue;
        }
        match NetlinkParser::parse(Rule::chunk, piece) {
            Ok(mut pairs) => {
                if let Some(root) = pairs.next() {
                    lower::file(id, chunk.start, root, &mut file.blocks, &mut diags);
                }
            }
            Err(err) => {
                // A chunk cut short by an unclosed `/*` has that as its only problem.
                let swallowed = cut
                    .open_comment
                    .is_some_and(|at| at >= chunk.start && at <= chunk.end);
                match (swallowed, full) {
                    (true, _) => {}
                    (false, true) => file.unreported += 1,
                    (false, false) => diags.push(expected::diagnostic(id, text, chunk, &err)),
                }
                if let Some(b) = recover::header(id, text, chunk) {
                    file.broken.push(b);
                }
            }
        }
    }
    (file, diags)
}
