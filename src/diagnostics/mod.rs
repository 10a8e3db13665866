//! Diagnostics: stable codes, severities, labels, and their rendering for people and programs.
//!
//! Every stage returns a `Vec<Diagnostic>`; nothing stops at the first problem. A diagnostic has a
//! stable [`Code`] (documented in `docs/diagnostics.md`), a primary label on the exact span, and a
//! help line that says how to fix it.

mod allow;
mod codes;
mod limit;
mod render;
mod sarif;

pub use allow::{check_policy, Acknowledger, Allowed, AllowedBy, InlineAllow, Policy};
pub use codes::{Code, CodeInfo, ALL_CODES};
pub use limit::{Limiter, MAX_PER_FILE};
pub use render::{render_github, render_human, render_json, summary_line, RenderOptions, Summary};
pub use sarif::render_sarif;

use crate::source::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The project cannot work as written; `netlink check` exits 1.
    Error,
    /// Probably a mistake or a risk; fails only under `--deny-warnings`.
    Warning,
    /// Something the user must know or do by hand (a ticket, a deadline); never fails a check.
    Note,
}

impl Severity {
    /// The word used in rendered output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A labelled span inside a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
    /// The primary label marks the problem itself; secondary ones give context.
    pub primary: bool,
}

/// A machine-applicable fix: replace the text under `span` by `replacement` (rustc's
/// `MachineApplicable` suggestions; editors offer them as code actions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The text to replace (empty to insert).
    pub span: Span,
    /// What to put there.
    pub replacement: String,
    /// What the edit does, for a menu: "write `192.168.6.0/24`".
    pub message: String,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `NL2002`.
    pub code: Code,
    /// Error, warning or note.
    pub severity: Severity,
    /// One lowercase line without a final period; user input in backticks.
    pub message: String,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further facts (deadlines, lead times, why the rule exists).
    pub notes: Vec<String>,
    /// Edits that fix it, when the fix is one concrete edit.
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic with the severity the code is documented with.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.info().severity,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    /// Add the primary label.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.insert(
            0,
            Label {
                span,
                message: message.into(),
                primary: true,
            },
        );
        self
    }

    /// Add a secondary label.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Set the help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Add a machine-applicable fix: `replacement` for the text under `span`.
    pub fn suggest(
        mut self,
        span: Span,
        replacement: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.suggestions.push(Suggestion {
            span,
            replacement: replacement.into(),
            message: message.into(),
        });
        self
    }

    /// Add a fix replacing `span` by `candidate`, when there is one (a did-you-mean name).
    pub fn suggest_name(self, span: Span, candidate: Option<&str>) -> Diagnostic {
        match candidate {
            Some(c) => {
                let message = format!("write `{c}`");
                self.suggest(span, c, message)
            }
            None => self,
        }
    }

    /// Add a note.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// The span of the primary label (a default span if there is none).
    pub fn primary_span(&self) -> Span {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| l.span)
            .unwrap_or_default()
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sort diagnostics by file, position, then code, so output never depends on pass order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let (sa, sb) = (a.primary_span(), b.primary_span());
        (sa.file, sa.start, sa.end, a.code.as_str(), &a.message).cmp(&(
            sb.file,
            sb.start,
            sb.end,
            b.code.as_str(),
            &b.message,
        ))
    });
}

/// Counts of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
}

impl Counts {
    /// Count a list.
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }
}
