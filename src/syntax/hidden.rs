//! Characters that make a file show differently from how it parses (NL0012), as rustc's
//! `text_direction_codepoint_in_comment` and `text_direction_codepoint_in_literal` lints warn:
//! bidirectional controls (`U+202A`–`U+202E`, `U+2066`–`U+2069`, `U+200E`, `U+200F`), which
//! reorder what a terminal or a review page shows, and a carriage return not followed by a line
//! feed, which sends the cursor back so `code # \r# comment` shows as only a comment under
//! `cat`. One scan of the bytes, linear in the file.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The name of a bidirectional control, if `c` is one.
fn bidi_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        _ => return None,
    })
}

/// A warning for every hidden character of `text`.
pub fn warnings(file: FileId, text: &str) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Every bidi control is encoded `E2 80 ..` or `E2 81 ..`; a lone CR is `0D`.
    for at in memchr::memchr2_iter(b'\r', 0xE2, bytes) {
        if bytes[at] == b'\r' {
            if bytes.get(at + 1) != Some(&b'\n') {
                out.push(
                    Diagnostic::new(
                        Code::HIDDEN_TEXT,
                        "a carriage return without a line feed hides the text before it",
                    )
                    .primary(
                        Span::new(file, at, at + 1),
                        "a terminal returns to the line's start here and overwrites what was shown",
                    )
                    .help("remove the carriage return, or end the line with a line feed"),
                );
            }
            continue;
        }
        let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
            continue;
        };
        if let Some(name) = bidi_name(c) {
            out.push(
                Diagnostic::new(
                    Code::HIDDEN_TEXT,
                    format!(
                        "the bidirectional control `U+{:04X}` ({name}) makes this line show differently from how it reads",
                        c as u32
                    ),
                )
                .primary(
                    Span::new(file, at, at + c.len_utf8()),
                    "reorders the text after it when shown",
                )
                .help("remove the character; netlink files need no text direction controls"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bidi_controls_and_lone_carriage_returns() {
        let text = "a = 1 # \u{202E}x\r\nb = 2 # \r# c\n";
        let found = warnings(FileId(0), text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].message.contains("U+202E"));
        assert!(found[1].message.contains("carriage return"));
        assert!(warnings(FileId(0), "a = \"数据\"\r\n€").is_empty());
    }
}
