//! Credentials never belong in a `.netlink` file. [`find`] looks for them anywhere in the text
//! (strings, comments, bare words, glued to other characters), [`mask`] hides all but their
//! first four characters in place, before any stage sees the text, so no output (diagnostic
//! excerpts, artifacts, `diff`, `fmt --diff`) can show one.
//!
//! Two kinds are found:
//! - **AccessKey ids**: `LTAI` followed by at least 12 letters or digits, and STS ids (`STS.`
//!   followed by at least 16), wherever they stand: `AKLTAI5tQ8...` and `id=LTAI...` too.
//! - **Values after a key word** (`password`, `passwd`, `pwd`, `secret`, `token`,
//!   `access_key`, `AccessKeySecret`, `api_key`, `credential`, in any case and inside longer
//!   names such as `db_password` or `access_key_secret`), separated by `=`, `:` or a line break
//!   (with spaces, quotes and comment marks around), whose value has at least 8 characters with
//!   both a letter and a digit: `password = "Zk8p..."`, `"secret=abc123..."`, `# token: ...`,
//!   `password =` with the string on the next line.
//!
//! Everything is found in one pass per key word with a bounded look-ahead, so the cost is
//! linear in the text.

/// One credential found: where, and what it is (`an AccessKey id` or `a secret`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secret {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// What it is, for the message.
    pub what: &'static str,
}

/// Key words whose value is a credential (lowercase; matched in any case).
const KEY_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "access_key",
    "accesskey",
    "api_key",
    "apikey",
    "credential",
];

/// How far past a key word its separator and value may start (spaces, quotes, a line break and
/// a comment mark), and how long a value is read at most.
const LOOK_AHEAD: usize = 64;
const MAX_VALUE: usize = 256;

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Every AccessKey id and every secret-like value in `text`, sorted, without overlaps.
pub fn find(text: &str) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (prefix, min) in [("LTAI", 12), ("STS.", 16)] {
        for at in memchr::memmem::find_iter(bytes, prefix.as_bytes()) {
            let mut end = at + prefix.len();
            while end < bytes.len() && is_word_byte(bytes[end]) {
                end += 1;
            }
            if end - at - prefix.len() >= min {
                found.push(Secret {
                    start: at,
                    end,
                    what: "an AccessKey id",
                });
            }
        }
    }
    for word in KEY_WORDS {
        let mut from = 0;
        while let Some(at) = find_ignoring_case(bytes, from, word.as_bytes()) {
            from = at + word.len();
            if let Some((start, end)) = value_after(bytes, from) {
                from = from.max(end);
                found.push(Secret {
                    start,
                    end,
                    what: "a secret",
                });
            }
        }
    }
    found.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    // Keep the outermost of overlapping finds (`access_key_secret` is found as two words).
    let mut out: Vec<Secret> = Vec::with_capacity(found.len());
    for s in found {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The value a key word ending at `from` introduces, if it looks like a credential.
fn value_after(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    // The rest of a longer name: `password_db`, `secret-key`, `AccessKeySecret`.
    while i < b.len() && (is_word_byte(b[i]) || b[i] == b'_' || b[i] == b'-') && i - from < 32 {
        i += 1;
    }
    let limit = (i + LOOK_AHEAD).min(b.len());
    let mut separated = false;
    while i < limit {
        match b[i] {
            b'=' | b':' if !separated => separated = true,
            b'\n' => separated = true,
            // Spaces, quotes and comment marks around the separator.
            b' ' | b'\t' | b'\r' | b'"' | b'\'' | b'`' | b'#' | b'/' => {}
            _ => break,
        }
        i += 1;
    }
    if !separated || i >= b.len() {
        return None;
    }
    let start = i;
    let end_limit = (start + MAX_VALUE).min(b.len());
    let mut end = start;
    while end < end_limit
        && !matches!(
            b[end],
            b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'`' | b',' | b';' | b'}' | b']' | b')'
        )
    {
        end += 1;
    }
    let value = &b[start..end];
    let letters = value.iter().any(u8::is_ascii_alphabetic);
    let digits = value.iter().any(u8::is_ascii_digit);
    if !(value.len() >= 8 && letters && digits && value.is_ascii()) {
        return None;
    }
    // Judged by its first bytes, masked to its end: a long token's tail must not show. The
    // caller goes on after it, so no byte is scanned twice.
    while end < b.len()
        && b[end].is_ascii()
        && !matches!(
            b[end],
            b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'`' | b',' | b';' | b'}' | b']' | b')'
        )
    {
        end += 1;
    }
    Some((start, end))
}

/// Mask every credential of `text` in place: all but its first four characters become `*`
/// (same length, so every offset stays). Returns what was masked.
pub fn mask(text: &mut String) -> Vec<Secret> {
    let found = find(text);
    if found.is_empty() {
        return found;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for s in &found {
        // `find` returns ASCII runs only (ids are letters and digits, values are checked to be
        // ASCII), so replacing bytes keeps the text valid UTF-8.
        for b in bytes[s.start..s.end].iter_mut().skip(4) {
            *b = b'*';
        }
    }
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    found
}

/// `text` with its credentials masked (borrowed when there are none).
pub fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    if find(text).is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut owned = text.to_string();
    mask(&mut owned);
    std::borrow::Cow::Owned(owned)
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

    /// Must be found: (text, the credential as written).
    const CAUGHT: &[(&str, &str)] = &[
        (
            "label = \"LTAI5tQ8mZxWvR3nB7kP2sYd\"",
            "LTAI5tQ8mZxWvR3nB7kP2sYd",
        ),
        (
            "label = \"AKLTAI5tQ8mZxWvR3nB7kP2sYd\"",
            "LTAI5tQ8mZxWvR3nB7kP2sYd",
        ),
        ("id=LTAI5tQ8mZxWvR3nB7kP", "LTAI5tQ8mZxWvR3nB7kP"),
        (
            "# old key LTAI5tQ8mZxWvR3nB7kP2sYd, rotated",
            "LTAI5tQ8mZxWvR3nB7kP2sYd",
        ),
        ("// LTAI5tQ8mZxWvR3nB7kP2sYd", "LTAI5tQ8mZxWvR3nB7kP2sYd"),
        ("x = LTAI5tQ8mZxWvR3nB7kP2sYd", "LTAI5tQ8mZxWvR3nB7kP2sYd"),
        (
            "/* STS.NUgYrLnoC37mZZCNnAbez2sJK */",
            "STS.NUgYrLnoC37mZZCNnAbez2sJK",
        ),
        (
            "label = \"password: Zk8pQ2vX9mN4bR7tY1wE5uI3oA6sD0\"",
            "Zk8pQ2vX9mN4bR7tY1wE5uI3oA6sD0",
        ),
        (
            "label = \"secret=ab12cd34ef56gh78ij90kl12mn34op\"",
            "ab12cd34ef56gh78ij90kl12mn34op",
        ),
        ("password = \"Summer2024orders\"", "Summer2024orders"),
        ("password =\n  \"Summer2024orders\"", "Summer2024orders"),
        ("password\n\"Summer2024orders\"", "Summer2024orders"),
        ("db_passwd = \"s3cr3tP4ssw0rd\"", "s3cr3tP4ssw0rd"),
        ("pwd: hunter2hunter2", "hunter2hunter2"),
        (
            "# token: ghp1234567890abcdefABCDEF",
            "ghp1234567890abcdefABCDEF",
        ),
        ("// api_key = 9f8e7d6c5b4a3210", "9f8e7d6c5b4a3210"),
        (
            "access_key_secret = \"abcdefghij1234567890ABCDEFGHIJ\"",
            "abcdefghij1234567890ABCDEFGHIJ",
        ),
        (
            "AccessKeySecret: \"abcdefghij1234567890ABCDEFGHIJ\"",
            "abcdefghij1234567890ABCDEFGHIJ",
        ),
        ("label = \"PASSWORD=Zk8pQ2vX9mN4\"", "Zk8pQ2vX9mN4"),
        ("credentials = 'user1:Pa55word99'", "user1:Pa55word99"),
        ("SECRET_KEY=\"k3y-9a8b7c6d5e4f\"", "k3y-9a8b7c6d5e4f"),
        (
            "token=eyJhbGciOiJIUzI1NiJ9.e30.abc123",
            "eyJhbGciOiJIUzI1NiJ9.e30.abc123",
        ),
    ];

    /// Must not be found.
    const LOOK_ALIKES: &[&str] = &[
        "vswitch = hz_vpc.hz_h  # vsw-bp1234567890abcdefg",
        "cluster_id = \"C-0123456789abcdef0123456789abcdef\"",
        "emr = \"c-9f8e7d6c5b4a39281706f5e4d3c2b1a0\"",
        "account acme { uid = \"1234567890123456\" }",
        "ram_role = \"AliyunDataWorksAccessingRdsRole\"",
        "# the password is rotated by the vault",
        "secret_name = \"orders-db-credentials\"",
        "token_ttl = 3600",
        "# LTAI is the prefix of an AccessKey id",
        "label = \"SALTAIR harbour\"",
        "password_policy = strict",
        "id = \"rm-bp1a2b3c4d5e6f7g8\"",
    ];

    #[test]
    fn every_credential_is_found() {
        assert!(CAUGHT.len() >= 20);
        for (text, secret) in CAUGHT {
            let found = find(text);
            let start = text.find(secret).unwrap();
            assert_eq!(
                found.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>(),
                vec![(start, start + secret.len())],
                "{text:?}"
            );
        }
    }

    #[test]
    fn look_alikes_are_left_alone() {
        assert!(LOOK_ALIKES.len() >= 10);
        for text in LOOK_ALIKES {
            assert_eq!(find(text), vec![], "{text:?}");
        }
    }

    #[test]
    fn masking_keeps_offsets_and_four_characters() {
        let mut t = "label = \"LTAI5tAbCdEfGhIjKlMn\"\naccess_key_secret = \"abcdefghijklmnopqrstuvwxyz1234\"\n".to_string();
        let len = t.len();
        let found = mask(&mut t);
        assert_eq!(t.len(), len);
        assert_eq!(found.len(), 2);
        assert!(t.contains("\"LTAI****************\""), "{t}");
        assert!(t.contains("\"abcd**************************\""), "{t}");
    }

    #[test]
    fn a_long_value_is_masked_to_its_end() {
        let mut t = format!("token = \"ab12{}\"\n", "x".repeat(1000));
        mask(&mut t);
        assert!(!t.contains("xxxx"), "{t}");
    }

    #[test]
    fn linear_on_many_key_words() {
        let text = "password ".repeat(200_000);
        assert!(find(&text).is_empty());
    }
}
