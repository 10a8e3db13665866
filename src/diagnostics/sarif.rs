//! SARIF 2.1.0, so code scanning annotates the `.netlink` lines of a pull request.

use super::{Allowed, AllowedBy, Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
struct Text {
    text: String,
}

/// A rule's help: plain text and the Markdown of its `docs/diagnostics.md` section (GitHub shows
/// the Markdown).
#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Config,
}

#[derive(Serialize)]
struct Config {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

/// A machine-applicable suggestion as a SARIF fix: one replacement in one file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
}

#[derive(Serialize)]
struct Fingerprints {
    /// See [`fingerprint`].
    #[serde(rename = "netlinkHash/v1")]
    hash: String,
}

#[derive(Serialize)]
struct BaseDescription {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: std::collections::BTreeMap<&'static str, BaseDescription>,
    results: Vec<ResultOut>,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

/// The base every relative URI is resolved against: the directory netlink ran in (the
/// repository's root in a workflow). Its absolute path is left out so the log is the same on
/// every machine; code scanning resolves relative URIs against the checkout.
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// RFC 3986 percent-encoding of a path: unreserved characters and `/` stay, every other byte
/// of the UTF-8 becomes `%XX` (`my file#1 100%.netlink` → `my%20file%231%20100%25.netlink`).
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file's name as a SARIF artifact location: relative names against `%SRCROOT%`, names
/// outside it (absolute, or leading up with `..`) as absolute `file://` URIs.
fn artifact(name: &str) -> ArtifactLocation {
    let path = std::path::Path::new(name);
    let outside = path.is_absolute() || name.starts_with("../") || name == "..";
    if !outside {
        return ArtifactLocation {
            uri: percent_encode(name),
            uri_base_id: Some(SRCROOT),
        };
    }
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    ArtifactLocation {
        uri: format!("file://{}", percent_encode(&text)),
        uri_base_id: None,
    }
}

/// A suggestion as a fix: the region it replaces exactly (an empty one inserts).
fn fix(sources: &SourceMap, s: &super::Suggestion) -> Fix {
    let (name, (sl, sc), (el, ec)) = match sources.get(s.span.file) {
        Some(f) => (
            f.name.as_str(),
            f.line_col(s.span.start),
            f.line_col(s.span.end),
        ),
        None => ("", (1, 1), (1, 1)),
    };
    Fix {
        description: Text {
            text: s.message.clone(),
        },
        artifact_changes: vec![ArtifactChange {
            artifact_location: artifact(name),
            replacements: vec![Replacement {
                deleted_region: Region {
                    start_line: sl,
                    start_column: sc,
                    end_line: el,
                    end_column: ec,
                },
                inserted_content: Text {
                    text: s.replacement.clone(),
                },
            }],
        }],
    }
}

fn location(sources: &SourceMap, span: Span, message: Option<String>) -> Location {
    let (name, (sl, sc), (el, ec)) = match sources.get(span.file) {
        Some(f) => (
            f.name.as_str(),
            f.line_col(span.start),
            f.line_col(span.end),
        ),
        None => ("", (1, 1), (1, 1)),
    };
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact(name),
            region: Region {
                start_line: sl,
                start_column: sc,
                end_line: el,
                end_column: ec.max(if el == sl { sc + 1 } else { 1 }),
            },
        },
        message: message.filter(|m| !m.is_empty()).map(|text| Text { text }),
    }
}

/// FNV-1a, 64 bits: small, fixed on every platform (the fingerprint must not change between
/// netlink builds or machines).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// A result's identity across runs: its code, file, message and the text it points at, plus
/// its rank among results alike in all four. No line or column goes in, so lines inserted
/// above leave it unchanged and code scanning keeps tracking (and dismissing) the same alert.
fn fingerprint(d: &Diagnostic, sources: &SourceMap, rank: usize) -> String {
    let span = d.primary_span();
    let (name, pointed) = match sources.get(span.file) {
        Some(f) => (f.name.as_str(), f.slice(span)),
        None => ("", ""),
    };
    let rank = rank.to_string();
    format!(
        "{:016x}",
        fnv1a(&[d.code.as_str(), name, &d.message, pointed, &rank])
    )
}

/// The plain-text form of a docs section: fences and heading marks dropped.
fn plain_help(markdown: &str) -> String {
    let mut out = String::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            continue;
        }
        out.push_str(line.trim_start_matches('#').trim_start_matches(' '));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// The whole run as one SARIF 2.1.0 log: the diagnostics shown, and those acknowledged as
/// suppressed results. Only the rules that occur are listed; `explain` gives each rule's docs
/// section (Markdown).
pub fn render_sarif(
    diags: &[Diagnostic],
    allowed: &[Allowed],
    sources: &SourceMap,
    explain: impl Fn(super::Code) -> Option<String>,
) -> String {
    let mut all: Vec<(&Diagnostic, Option<&Allowed>)> = diags
        .iter()
        .map(|d| (d, None))
        .chain(allowed.iter().map(|a| (&a.diagnostic, Some(a))))
        .collect();
    all.sort_by_key(|(d, _)| {
        let s = d.primary_span();
        (s.file, s.start, s.end, d.code)
    });
    let codes: BTreeSet<super::Code> = all.iter().map(|(d, _)| d.code).collect();
    let rules: Vec<Rule> = codes
        .iter()
        .map(|&code| {
            let c = code.info();
            let markdown = explain(code).unwrap_or_else(|| c.summary.to_string());
            Rule {
                id: c.code.as_str(),
                name: c.name,
                short_description: Text {
                    text: c.summary.to_string(),
                },
                full_description: Text {
                    text: c.summary.to_string(),
                },
                help: Help {
                    text: plain_help(&markdown),
                    markdown,
                },
                default_configuration: Config {
                    level: level(c.severity),
                },
            }
        })
        .collect();
    let mut ranks: FxHashMap<(super::Code, FileId, &str, &str), usize> = FxHashMap::default();
    let results = all
        .iter()
        .map(|&(d, allowed)| {
            let span = d.primary_span();
            let pointed = sources.get(span.file).map_or("", |f| f.slice(span));
            let rank = ranks
                .entry((d.code, span.file, d.message.as_str(), pointed))
                .or_insert(0);
            let this_rank = *rank;
            *rank += 1;
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            ResultOut {
                rule_id: d.code.as_str(),
                rule_index: codes.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text { text: message },
                locations: vec![location(sources, span, None)],
                related_locations: d
                    .labels
                    .iter()
                    .filter(|l| !l.primary)
                    .map(|l| location(sources, l.span, Some(l.message.clone())))
                    .collect(),
                partial_fingerprints: Fingerprints {
                    hash: fingerprint(d, sources, this_rank),
                },
                suppressions: allowed
                    .map(|a| Suppression {
                        kind: match a.by {
                            AllowedBy::Comment => "inSource",
                            AllowedBy::Config => "external",
                        },
                        status: "accepted",
                        justification: a.reason.clone(),
                    })
                    .into_iter()
                    .collect(),
                fixes: d.suggestions.iter().map(|s| fix(sources, s)).collect(),
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "netlink",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            original_uri_base_ids: [(
                SRCROOT,
                BaseDescription {
                    description: Text {
                        text: "the directory netlink ran in (the repository's root in CI)"
                            .to_string(),
                    },
                },
            )]
            .into_iter()
            .collect(),
            results,
        }],
    };
    // Plain strings and numbers: serialising cannot fail.
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}
