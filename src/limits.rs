//! Hard limits, each reported as a diagnostic (or, for the project's size, a load error), never a
//! crash; and credentials, which never belong in a `.netlink` file.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Largest source file read (bytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most `.netlink` files in one project.
pub const MAX_FILES: usize = 10_000;
/// Longest name (block kind, block name, attribute key, path segment), in bytes.
pub const MAX_NAME: usize = 256;
/// Longest string literal, in bytes.
pub const MAX_STRING: usize = 4096;

/// NL0007 for a name or string over its limit; `None` when within.
pub fn too_long(
    file: FileId,
    start: usize,
    len: usize,
    what: &str,
    max: usize,
) -> Option<Diagnostic> {
    (len > max).then(|| {
        Diagnostic::new(Code::TOO_LONG, format!("this {what} is {len} bytes long"))
            .primary(
                Span::new(file, start, start + len.min(64)),
                format!("a {what} may be at most {max} bytes"),
            )
            .help(format!("shorten the {what} to at most {max} bytes"))
    })
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Find AccessKey ids (`LTAI` + at least 12 letters and digits) and values written after a
/// key that names a secret (`secret`, `password`, `access_key`): mask all but their first four
/// characters in place (same length, so every offset stays), and return where they were.
pub fn mask_secrets(text: &mut String) -> Vec<(usize, usize, &'static str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    // AccessKey ids.
    let mut i = 0;
    while let Some(at) = text[i..].find("LTAI").map(|p| p + i) {
        let boundary = at == 0 || !is_key_char(bytes[at - 1]);
        let mut end = at + 4;
        while end < bytes.len() && is_key_char(bytes[end]) {
            end += 1;
        }
        if boundary && end - at >= 16 {
            found.push((at, end, "an AccessKey id"));
        }
        i = end.max(at + 4);
    }
    // Values of keys that name a secret: `<...secret...> = "value"`.
    let mut ranges: std::collections::BTreeMap<usize, usize> =
        found.iter().map(|&(s, e, _)| (s, e)).collect();
    let hay = text.as_bytes();
    for word in ["secret", "password", "access_key"] {
        let mut from = 0;
        while let Some(at) = find_ignoring_case(hay, from, word.as_bytes()) {
            from = at + word.len();
            let rest = &text[from..];
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let line = &rest[..line_end];
            let Some(eq) = line.find(['=', ':']) else {
                continue;
            };
            let after = &line[eq + 1..];
            let Some(q1) = after.find('"') else { continue };
            let Some(q2) = after[q1 + 1..].find('"') else {
                continue;
            };
            let start = from + eq + 1 + q1 + 1;
            let end = start + q2;
            // Skip a value already found (a key named by two words, `access_key_secret`); the
            // ranges are looked up in a map, not rescanned, so many secrets stay linear.
            let covered = ranges
                .range(..=start)
                .next_back()
                .is_some_and(|(_, &e)| end <= e);
            if end - start >= 8 && !covered {
                found.push((start, end, "a secret"));
                ranges.insert(start, end);
            }
        }
    }
    found.sort();
    found.dedup();
    // Mask: keep four characters so the user can tell which one it was.
    let mut masked: Vec<u8> = text.as_bytes().to_vec();
    for (s, e, _) in &found {
        let mut kept = 0;
        for b in masked[*s..*e].iter_mut() {
            // Only ASCII is masked, so the text stays valid UTF-8 and offsets stay.
            if b.is_ascii() && *b != b'"' {
                if kept < 4 {
                    kept += 1;
                } else {
                    *b = b'*';
                }
            }
        }
    }
    if !found.is_empty() {
        *text = String::from_utf8(masked)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
    found
}

/// NL0008 for a masked credential.
pub fn secret_diagnostic(file: FileId, start: usize, end: usize, what: &str) -> Diagnostic {
    Diagnostic::new(Code::SECRET, format!("{what} is written in this file"))
        .primary(Span::new(file, start, end), "credentials never belong in a `.netlink` file (shown masked)")
        .help("remove it and rotate the key; netlink needs no credentials, and cross-account access is granted with a RAM role (`ram_role`)")
}

/// The first place at or after `from` where `needle` (lowercase ASCII) occurs in `hay`, in any
/// case. (No lowercased copy of the file: that doubled the memory of loading a large one.)
fn find_ignoring_case(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let rest = hay.get(from..)?;
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), rest)
        .map(|i| from + i)
        .find(|&i| {
            hay.get(i..i + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_in_any_case() {
        let hay = b"db_PassWord = x; secret";
        assert_eq!(find_ignoring_case(hay, 0, b"password"), Some(3));
        assert_eq!(find_ignoring_case(hay, 4, b"password"), None);
        assert_eq!(find_ignoring_case(hay, 0, b"secret"), Some(17));
        assert_eq!(find_ignoring_case(hay, 0, b"secrets"), None);
        assert_eq!(find_ignoring_case(hay, 99, b"secret"), None);
    }

    #[test]
    fn masks_ids_and_secrets_keeping_offsets() {
        let mut t = "label = \"LTAI5tAbCdEfGhIjKlMn\"\naccess_key_secret = \"abcdefghijklmnopqrstuvwxyz1234\"\n".to_string();
        let len = t.len();
        let found = mask_secrets(&mut t);
        assert_eq!(t.len(), len);
        assert_eq!(found.len(), 2);
        assert!(t.contains("LTAI****************"), "{t}");
        assert!(t.contains("\"abcd**************************\""), "{t}");
        assert!(!t.contains("AbCdEf"));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let mut t = "vpc v { id = \"vpc-bp1234567890abcdef\" }\n# LTAI is a prefix\n".to_string();
        assert!(mask_secrets(&mut t).is_empty());
    }
}
