//! Text that leaves netlink. Every string from a `.netlink` file is hostile: it may hold
//! newlines, terminal escape sequences, Markdown or HTML. This module escapes it for each place
//! it lands (terminal, Markdown, HTML, DOT, Mermaid); JSON is escaped by serde.
//!
//! Step titles mix netlink's own words with user strings. A title is a [`String`] in which each
//! user string was wrapped by [`code`]: its control characters are already shown escaped, and it
//! sits between two markers (`\u{1}` … `\u{2}`) that no escaped string can contain. Each output
//! renders the markers its own way: [`plain`] as backticks, [`title_markdown`] as code spans.

use std::borrow::Cow;
use std::fmt::Write;

/// Opens a user string inside a title.
const OPEN: char = '\u{1}';
/// Closes a user string inside a title.
const CLOSE: char = '\u{2}';

/// Characters that must never reach a terminal or a document as they are: C0 and C1 controls
/// (newline and tab included: a user string is one line), bidirectional overrides ("Trojan
/// source"), line and paragraph separators, and the byte-order mark.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
        )
}

/// A user string for a terminal or any line-based text: every unsafe character shown as an
/// escape (`\n`, `\t`, `\r`, `\\u{1b}`), so it can neither move the cursor nor start a new line.
pub fn term(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Wrap a user string for a step title (see the module's doc).
pub fn code(s: &str) -> String {
    let shown = term(s);
    let mut out = String::with_capacity(shown.len() + 2);
    out.push(OPEN);
    out.push_str(&shown);
    out.push(CLOSE);
    out
}

/// Longest piece of user input a message quotes, in characters.
pub const MAX_QUOTED: usize = 64;

/// User input as a message quotes it: cut to [`MAX_QUOTED`] characters with `…`, control and
/// bidi characters escaped (a 900 KB token is not repeated in full, nor can it drive a terminal).
pub fn quote(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED) {
        Some((at, _)) => format!("{}…", term(&s[..at])),
        None => term(s).into_owned(),
    }
}

/// A title as plain text: user strings between backticks (terminal, JSON, diff).
pub fn plain(title: &str) -> Cow<'_, str> {
    if !title.contains([OPEN, CLOSE]) {
        return Cow::Borrowed(title);
    }
    Cow::Owned(title.replace([OPEN, CLOSE], "`"))
}

/// A title's parts: `(is_user_string, text)`.
fn parts(title: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = title;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix(OPEN) {
            let end = after.find(CLOSE).unwrap_or(after.len());
            let part = &after[..end];
            rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
            Some((true, part))
        } else {
            let end = rest.find(OPEN).unwrap_or(rest.len());
            let part = &rest[..end];
            rest = &rest[end..];
            Some((false, part.trim_end_matches(CLOSE)))
        }
    })
}

/// A title as Markdown inline text: netlink's words escaped, user strings as code spans.
pub fn title_markdown(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    for (user, part) in parts(title) {
        if user {
            out.push_str(&md_code(part));
        } else {
            out.push_str(&md_text(part));
        }
    }
    out
}

/// A title as HTML text (for `<summary>`): user strings in `<code>`.
pub fn title_html(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    for (user, part) in parts(title) {
        if user {
            let _ = write!(out, "<code>{}</code>", html(part));
        } else {
            out.push_str(&html(part));
        }
    }
    out
}

/// A title without quoting, for pictures (DOT and Mermaid labels escape it further).
pub fn title_bare(title: &str) -> String {
    title.replace([OPEN, CLOSE], "").replace('`', "")
}

/// A user string as a Markdown code span: a backtick fence longer than any run of backticks
/// inside it, padded with a space where it starts or ends with a backtick or a space, every
/// unsafe character shown escaped. Inside a code span `<`, `&` and `*` are literal, so nothing
/// of the string can become HTML, a link, a heading or a list.
pub fn md_code(s: &str) -> String {
    let shown = term(s);
    if shown.is_empty() {
        return "` `".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = shown.is_empty()
        || shown.starts_with(['`', ' '])
        || shown.ends_with(['`', ' '])
        || shown.chars().all(|c| c == ' ');
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{shown}{space}{fence}")
}

/// A user string as a code span inside a GFM table cell: `|` escaped too (GFM splits cells on
/// `|` even inside code spans; the backslash is removed before the span is read).
pub fn md_cell_code(s: &str) -> String {
    md_code(s).replace('|', "\\|")
}

/// Plain text for Markdown: ASCII punctuation that Markdown reads is backslash-escaped, `<`, `>`
/// and `&` become entities, unsafe characters are shown escaped. The result is one line of
/// literal text wherever it is placed (paragraph, heading, table cell).
pub fn md_text(s: &str) -> String {
    let shown = term(s);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // `@` starts a mention on GitHub; an entity keeps it literal text.
            '@' => out.push_str("&#64;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' | '+' | '=' | '{' | '}'
            | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for HTML (element content or a quoted attribute).
pub fn html(s: &str) -> String {
    let shown = term(s);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => out.push_str("&#64;"),
            c => out.push(c),
        }
    }
    out
}

/// A DOT quoted id or label: `"` and `\` escaped, unsafe characters shown escaped (a DOT
/// `\n` in a label is a line break, so a user's newline is shown as `\\n`).
pub fn dot(s: &str) -> String {
    dot_lines(&[s])
}

/// A DOT quoted label of several lines, each escaped as [`dot`] escapes, joined by DOT's `\n`.
pub fn dot_lines(lines: &[&str]) -> String {
    let mut out = String::from("\"");
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.push_str("\\n");
        }
        for c in term(line).chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// A Mermaid label between `"…"`: Mermaid reads `#name;` entity codes, so every character
/// outside a small safe set is written as one (`#35;` for `#`, `#quot;` for `"`); markdown
/// strings, HTML and `%%` comments are thereby impossible.
pub fn mermaid(s: &str) -> String {
    let shown = term(s);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '/' | ',' | ':' | '(' | ')') {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes() {
        assert_eq!(term("a\nb\u{1b}[2K\u{202e}"), "a\\nb\\u{1b}[2K\\u{202e}");
        assert!(matches!(term("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn code_spans_outrun_backticks() {
        assert_eq!(md_code("a``b"), "```a``b```");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code(""), "` `");
    }

    #[test]
    fn titles_render_per_output() {
        let t = format!("Authorize RAM role {} in {}", code("r\n`x`"), code("acct"));
        assert_eq!(plain(&t), "Authorize RAM role `r\\n`x`` in `acct`");
        assert_eq!(
            title_markdown(&t),
            "Authorize RAM role `` r\\n`x` `` in `acct`"
        );
        assert_eq!(
            title_html(&t),
            "Authorize RAM role <code>r\\n`x`</code> in <code>acct</code>"
        );
    }
}
