//! Acknowledging diagnostics, as clippy and tflint users expect: `# netlink:allow NL3103 reason`
//! above a block or at the end of an attribute's line, and `netlink.toml`'s `[diagnostics]` table
//! (`allow`, `warn`, `deny`). Errors are never silenced or softened; an allow comment that
//! silences nothing is itself a warning (NL6006), as rustc's unused-lint warning.
//!
//! The syntax stage finds the comments ([`InlineAllow`]); the project loader reads the table
//! ([`Policy`]); [`Acknowledger`] applies both to every stage's diagnostics as `compile` collects
//! them, moving the silenced ones aside ([`Allowed`]) so that SARIF can still report them as
//! suppressions while nothing else counts them.

use super::{Code, Diagnostic, Severity};
use crate::source::{FileId, Span, Spanned};
use rustc_hash::FxHashMap;

/// One `# netlink:allow CODE[, CODE...] reason` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineAllow {
    /// The codes as written, each with its span (checked against the registry here).
    pub codes: Vec<Spanned<String>>,
    /// The reason (what follows the codes), if any.
    pub reason: Option<String>,
    /// The whole comment.
    pub span: Span,
    /// The block or attribute it silences: the next one on the lines below the comment, or the
    /// one on the comment's own line when code comes before it. `None` when there is none.
    pub scope: Option<Span>,
}

/// Where an acknowledgement was made (SARIF's `suppression.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowedBy {
    /// An allow comment in the source.
    Comment,
    /// `netlink.toml`.
    Config,
}

/// A diagnostic that an allow comment or `netlink.toml` silenced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed {
    /// The diagnostic as it would have been shown.
    pub diagnostic: Diagnostic,
    /// Comment or configuration.
    pub by: AllowedBy,
    /// Why (the comment's reason, or `allowed in netlink.toml`).
    pub reason: String,
}

/// What `netlink.toml`'s `[diagnostics]` table says, each code with the span of its string in
/// the configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Codes silenced everywhere.
    pub allow: Vec<Spanned<Code>>,
    /// Codes shown as warnings (notes made warnings).
    pub warn: Vec<Spanned<Code>>,
    /// Codes shown as errors (warnings and notes made errors).
    pub deny: Vec<Spanned<Code>>,
}

/// What to do with one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Allow,
    Warn,
    Deny,
}

/// Whether a code is documented as an error (never allowed or softened).
fn is_error_code(code: Code) -> bool {
    code.info().severity == Severity::Error
}

/// The diagnostics a policy itself causes: softening an error (NL6004), one code in two lists
/// (NL6007). Unknown codes and bad syntax are reported while the file is read.
pub fn check_policy(policy: &Policy) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: FxHashMap<Code, (&'static str, Span)> = FxHashMap::default();
    let lists = [
        ("allow", &policy.allow),
        ("warn", &policy.warn),
        ("deny", &policy.deny),
    ];
    for (list, codes) in lists {
        for code in codes.iter() {
            if list != "deny" && is_error_code(code.node) {
                out.push(
                    Diagnostic::new(
                        Code::ERROR_NOT_ALLOWABLE,
                        format!("`{}` is an error and cannot be in `{list}`", code.node),
                    )
                    .primary(code.span, "errors are never silenced or softened")
                    .help("fix what the error reports, or remove the code from the list"),
                );
            }
            if let Some((first, at)) = seen.get(&code.node) {
                if *first != list {
                    out.push(
                        Diagnostic::new(
                            Code::CONFIG_CONFLICT,
                            format!("`{}` is in both `{first}` and `{list}`", code.node),
                        )
                        .primary(code.span, format!("also in `{list}`"))
                        .secondary(*at, format!("in `{first}` here"))
                        .help("keep the code in one list"),
                    );
                }
            } else {
                seen.insert(code.node, (list, code.span));
            }
        }
    }
    out
}

/// An inline allow's state while diagnostics pass.
struct Inline {
    codes: Vec<Code>,
    reason: String,
    file: FileId,
    scope: Span,
    used: Vec<bool>,
}

/// Applies a policy and the inline allows to diagnostics as the stages hand them over.
pub struct Acknowledger {
    levels: FxHashMap<Code, Level>,
    inline: Vec<Inline>,
    /// (file, code) → indexes into `inline`.
    by_code: FxHashMap<(FileId, Code), Vec<usize>>,
    allowed: Vec<Allowed>,
    /// Diagnostics about the allow comments themselves.
    own: Vec<Diagnostic>,
    /// Spans of the codes of each inline allow, for NL6006.
    code_spans: Vec<Vec<Span>>,
}

impl Acknowledger {
    /// Ready to acknowledge with `policy` and the allow comments found in the sources.
    pub fn new(policy: &Policy, allows: Vec<InlineAllow>) -> Acknowledger {
        let mut levels = FxHashMap::default();
        for (level, codes) in [
            (Level::Allow, &policy.allow),
            (Level::Warn, &policy.warn),
            (Level::Deny, &policy.deny),
        ] {
            for c in codes {
                // Softening an error is refused (NL6004); denying one changes nothing.
                if level == Level::Deny || !is_error_code(c.node) {
                    levels.entry(c.node).or_insert(level);
                }
            }
        }
        let mut ack = Acknowledger {
            levels,
            inline: Vec::new(),
            by_code: FxHashMap::default(),
            allowed: Vec::new(),
            own: Vec::new(),
            code_spans: Vec::new(),
        };
        for allow in allows {
            ack.add_inline(allow);
        }
        ack
    }

    fn add_inline(&mut self, allow: InlineAllow) {
        let mut codes = Vec::new();
        let mut spans = Vec::new();
        for written in &allow.codes {
            match Code::parse(&written.node) {
                None => self.own.push(
                    Diagnostic::new(
                        Code::UNKNOWN_CODE,
                        format!(
                            "`{}` is not a netlink diagnostic code",
                            crate::text::term(&written.node)
                        ),
                    )
                    .primary(written.span, "no such code")
                    .help("write a code as `netlink check` prints it, e.g. `NL3103`; `netlink explain CODE` describes one"),
                ),
                Some(code) if is_error_code(code) => self.own.push(
                    Diagnostic::new(
                        Code::ERROR_NOT_ALLOWABLE,
                        format!("`{code}` is an error and cannot be allowed"),
                    )
                    .primary(written.span, "errors are never silenced")
                    .help("fix what the error reports and remove the comment"),
                ),
                Some(code) => {
                    codes.push(code);
                    spans.push(written.span);
                }
            }
        }
        let reason = allow.reason.filter(|r| !r.trim().is_empty());
        let Some(reason) = reason else {
            if !allow.codes.is_empty() {
                self.own.push(
                    Diagnostic::new(Code::ALLOW_WITHOUT_REASON, "this allow gives no reason")
                        .primary(allow.span, "nothing is silenced without a reason")
                        .help("say why after the codes: `# netlink:allow NL3103 the partner offers no private link`"),
                );
            } else {
                self.own.push(
                    Diagnostic::new(Code::UNKNOWN_CODE, "this allow names no code")
                        .primary(allow.span, "no code after `netlink:allow`")
                        .help("write the codes to allow, then the reason: `# netlink:allow NL3103 reason`"),
                );
            }
            return;
        };
        if codes.is_empty() {
            return;
        }
        let Some(scope) = allow.scope else {
            for span in spans {
                self.own.push(unused(span, true));
            }
            return;
        };
        let index = self.inline.len();
        for &code in &codes {
            self.by_code
                .entry((scope.file, code))
                .or_default()
                .push(index);
        }
        self.inline.push(Inline {
            used: vec![false; codes.len()],
            codes,
            reason,
            file: scope.file,
            scope,
        });
        self.code_spans.push(spans);
    }

    /// Apply the policy and the allows: severities raised or lowered as configured, silenced
    /// diagnostics moved out of `diags` (kept for SARIF).
    pub fn take(&mut self, diags: &mut Vec<Diagnostic>) {
        let mut kept = Vec::with_capacity(diags.len());
        for d in diags.drain(..) {
            if let Some(d) = self.one(d) {
                kept.push(d);
            }
        }
        *diags = kept;
    }

    fn one(&mut self, mut d: Diagnostic) -> Option<Diagnostic> {
        let level = self.levels.get(&d.code).copied();
        match level {
            Some(Level::Deny) => d.severity = Severity::Error,
            Some(Level::Warn) if d.severity == Severity::Note => d.severity = Severity::Warning,
            _ => {}
        }
        if is_error_code(d.code) {
            return Some(d);
        }
        let span = d.primary_span();
        if let Some(indexes) = self.by_code.get(&(span.file, d.code)) {
            for &i in indexes {
                let a = &mut self.inline[i];
                if a.file == span.file && a.scope.start <= span.start && span.end <= a.scope.end {
                    if let Some(k) = a.codes.iter().position(|c| *c == d.code) {
                        a.used[k] = true;
                    }
                    self.allowed.push(Allowed {
                        diagnostic: d,
                        by: AllowedBy::Comment,
                        reason: a.reason.clone(),
                    });
                    return None;
                }
            }
        }
        if level == Some(Level::Allow) {
            self.allowed.push(Allowed {
                diagnostic: d,
                by: AllowedBy::Config,
                reason: "allowed in netlink.toml".to_string(),
            });
            return None;
        }
        Some(d)
    }

    /// The diagnostics about the allows themselves (unknown codes, errors named, no reason,
    /// allows that silenced nothing), passed through the policy too, and every silenced one.
    /// `complete`: every stage ran (an allow silences nothing only if its diagnostic could have
    /// been found; a project with errors stops before the later stages).
    pub fn finish(mut self, complete: bool) -> (Vec<Diagnostic>, Vec<Allowed>) {
        let mut own = std::mem::take(&mut self.own);
        let unused_known = if complete { self.inline.len() } else { 0 };
        for (a, spans) in self.inline.iter().zip(&self.code_spans).take(unused_known) {
            for (used, span) in a.used.iter().zip(spans) {
                if !used {
                    own.push(unused(*span, false));
                }
            }
        }
        self.take(&mut own);
        super::sort(&mut own);
        (own, self.allowed)
    }
}

fn unused(span: Span, nothing_below: bool) -> Diagnostic {
    let label = if nothing_below {
        "no block or attribute follows this comment"
    } else {
        "nothing here has this diagnostic"
    };
    Diagnostic::new(Code::UNUSED_ALLOW, "this allow silences nothing")
        .primary(span, label)
        .help("remove the code from the comment, or put the comment on the line above the block (or at the end of the attribute's line) that has the diagnostic")
}
