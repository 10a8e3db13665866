//! `netlink.toml`, the project's settings, at the project's root:
//!
//! ```toml
//! [diagnostics]
//! allow = ["NL3103"]   # silenced everywhere (never an error's code)
//! warn  = ["NL3205"]   # notes shown as warnings
//! deny  = ["NL5003"]   # warnings and notes shown as errors
//! ```
//!
//! Read with `toml_edit`, which keeps spans, so every problem in the file is a diagnostic on the
//! exact key or string (NL6001 syntax, NL6002 unknown key or wrong type, NL6003 unknown code,
//! NL6004 an error's code in `allow` or `warn`, NL6007 one code in two lists).

use crate::diagnostics::{check_policy, Code, Diagnostic, Policy};
use crate::source::{FileId, Span, Spanned};

/// The file's name.
pub const FILE_NAME: &str = "netlink.toml";

/// The policy a `netlink.toml` text sets, and every problem in it.
pub fn parse(file: FileId, text: &str) -> (Policy, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut policy = Policy::default();
    let span = |r: Option<std::ops::Range<usize>>| {
        let r = r.unwrap_or(0..0);
        Span::new(file, r.start, r.end)
    };
    let doc = match toml_edit::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let message = e.message().trim().to_string();
            diags.push(
                Diagnostic::new(
                    Code::CONFIG_SYNTAX,
                    format!(
                        "`{FILE_NAME}` is not valid TOML: {}",
                        crate::text::term(&message)
                    ),
                )
                .primary(span(e.span()), "here")
                .help("fix the TOML; netlink reads only the `[diagnostics]` table"),
            );
            return (policy, diags);
        }
    };
    for (key, item) in doc.iter() {
        let key_span = span(doc.key(key).and_then(|k| k.span()));
        if key != "diagnostics" {
            diags.push(unknown_key(key, key_span, "`[diagnostics]`"));
            continue;
        }
        let Some(table) = item.as_table_like() else {
            diags.push(wrong_type("diagnostics", key_span, "a table"));
            continue;
        };
        for (k, v) in table.iter() {
            let k_span = span(table.key(k).and_then(|k| k.span()));
            let list = match k {
                "allow" => &mut policy.allow,
                "warn" => &mut policy.warn,
                "deny" => &mut policy.deny,
                other => {
                    diags.push(unknown_key(other, k_span, "`allow`, `warn` and `deny`"));
                    continue;
                }
            };
            let Some(array) = v.as_array() else {
                diags.push(wrong_type(k, k_span, "a list of codes"));
                continue;
            };
            for value in array.iter() {
                let at = span(value.span());
                let Some(code) = value.as_str() else {
                    diags.push(wrong_type(
                        k,
                        at,
                        "a list of codes (strings such as \"NL3103\")",
                    ));
                    continue;
                };
                match Code::parse(code) {
                    Some(c) => list.push(Spanned::new(c, at)),
                    None => diags.push(
                        Diagnostic::new(
                            Code::UNKNOWN_CODE,
                            format!(
                                "`{}` is not a netlink diagnostic code",
                                crate::text::term(code)
                            ),
                        )
                        .primary(at, "no such code")
                        .help("write a code as `netlink check` prints it, e.g. `NL3103`; `netlink explain CODE` describes one"),
                    ),
                }
            }
        }
    }
    diags.extend(check_policy(&policy));
    (policy, diags)
}

fn unknown_key(key: &str, at: Span, known: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CONFIG_KEY,
        format!("`{}` is not a netlink setting", crate::text::term(key)),
    )
    .primary(at, "unknown key")
    .help(format!(
        "netlink reads {known} here; remove or rename the key"
    ))
}

fn wrong_type(key: &str, at: Span, wanted: &str) -> Diagnostic {
    Diagnostic::new(Code::CONFIG_KEY, format!("`{key}` must be {wanted}"))
        .primary(at, "not of that type")
        .help(format!("write `{key}` as {wanted}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        parse(FileId(0), text)
            .1
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn a_policy_reads() {
        let (p, d) = parse(
            FileId(0),
            "[diagnostics]\nallow = [\"NL3103\"]\nwarn = [\"nl3205\"]\ndeny = [\"NL5003\"]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.allow[0].node, Code::SYNC_OVER_INTERNET);
        assert_eq!(p.warn[0].node, Code::PEERING_ACCEPT);
        assert_eq!(p.deny[0].node, Code::UNUSED_ROUTE);
    }

    #[test]
    fn every_mistake_has_its_code() {
        assert_eq!(codes("[diagnostics\n"), ["NL6001"]);
        assert_eq!(codes("[lints]\n"), ["NL6002"]);
        assert_eq!(codes("[diagnostics]\nignore = []\n"), ["NL6002"]);
        assert_eq!(codes("[diagnostics]\nallow = \"NL3103\"\n"), ["NL6002"]);
        assert_eq!(codes("[diagnostics]\nallow = [\"NL9999\"]\n"), ["NL6003"]);
        assert_eq!(codes("[diagnostics]\nallow = [\"NL2002\"]\n"), ["NL6004"]);
        assert_eq!(
            codes("[diagnostics]\nallow = [\"NL3103\"]\ndeny = [\"NL3103\"]\n"),
            ["NL6007"]
        );
    }
}
