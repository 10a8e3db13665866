//! SARIF 2.1.0, so code scanning annotates the `.netlink` lines of a pull request.

use super::{Diagnostic, Severity, ALL_CODES};
use crate::source::{SourceMap, Span};
use serde::Serialize;

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
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
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<ResultOut>,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn location(sources: &SourceMap, span: Span, message: Option<String>) -> Location {
    let (uri, (sl, sc), (el, ec)) = match sources.get(span.file) {
        Some(f) => (f.name.clone(), f.line_col(span.start), f.line_col(span.end)),
        None => (String::new(), (1, 1), (1, 1)),
    };
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
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

/// The whole run as one SARIF 2.1.0 log; `explain` gives each rule's help text.
pub fn render_sarif(
    diags: &[Diagnostic],
    sources: &SourceMap,
    explain: impl Fn(super::Code) -> Option<String>,
) -> String {
    let rules: Vec<Rule> = ALL_CODES
        .iter()
        .map(|c| Rule {
            id: c.code.as_str(),
            name: c.name,
            short_description: Text {
                text: c.summary.to_string(),
            },
            full_description: Text {
                text: c.summary.to_string(),
            },
            help: Text {
                text: explain(c.code).unwrap_or_else(|| c.summary.to_string()),
            },
            default_configuration: Config {
                level: level(c.severity),
            },
        })
        .collect();
    let results = diags
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            ResultOut {
                rule_id: d.code.as_str(),
                rule_index: ALL_CODES.iter().position(|c| c.code == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text { text: message },
                locations: vec![location(sources, d.primary_span(), None)],
                related_locations: d
                    .labels
                    .iter()
                    .filter(|l| !l.primary)
                    .map(|l| location(sources, l.span, Some(l.message.clone())))
                    .collect(),
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
            results,
        }],
    };
    // Plain strings and numbers: serialising cannot fail.
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}
