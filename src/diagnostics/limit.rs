//! At most [`MAX_PER_FILE`] diagnostics per file: a file of a million stray braces gives the first
//! thousand and one NL0011 saying how many more there were (as severe as the worst of them), so
//! no output format grows without bound and no error is lost from the exit status.

use super::{Code, Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span};
use rustc_hash::FxHashMap;

/// Diagnostics shown per file.
pub const MAX_PER_FILE: usize = 1000;

/// Counts diagnostics per file across stages and drops those past the limit.
#[derive(Debug, Default)]
pub struct Limiter {
    files: FxHashMap<FileId, Count>,
}

#[derive(Debug, Default)]
struct Count {
    kept: usize,
    dropped: usize,
    worst: Option<Severity>,
}

fn worse(a: Option<Severity>, b: Severity) -> Severity {
    let rank = |s: Severity| match s {
        Severity::Error => 2,
        Severity::Warning => 1,
        Severity::Note => 0,
    };
    match a {
        Some(a) if rank(a) >= rank(b) => a,
        _ => b,
    }
}

impl Limiter {
    /// Keep, in order, the diagnostics of each file up to the limit; count the rest.
    pub fn keep(&mut self, diags: &mut Vec<Diagnostic>) {
        diags.retain(|d| {
            let c = self.files.entry(d.primary_span().file).or_default();
            if c.kept < MAX_PER_FILE {
                c.kept += 1;
                true
            } else {
                c.dropped += 1;
                c.worst = Some(worse(c.worst, d.severity));
                false
            }
        });
    }

    /// Count `n` errors of `file` that a stage did not build (past the limit already).
    pub fn count_unbuilt(&mut self, file: FileId, n: usize) {
        if n > 0 {
            let c = self.files.entry(file).or_default();
            c.dropped += n;
            c.worst = Some(worse(c.worst, Severity::Error));
        }
    }

    /// Whether an error was dropped (a project with one must not be planned).
    pub fn dropped_errors(&self) -> bool {
        self.files
            .values()
            .any(|c| c.dropped > 0 && c.worst == Some(Severity::Error))
    }

    /// One NL0011 per file that had more than the limit, as severe as the worst it stands for,
    /// at the end of the file (after everything shown).
    pub fn summaries(&self, sources: &SourceMap) -> Vec<Diagnostic> {
        let mut files: Vec<(&FileId, &Count)> =
            self.files.iter().filter(|(_, c)| c.dropped > 0).collect();
        files.sort_by_key(|(f, _)| **f);
        files
            .into_iter()
            .map(|(&file, c)| {
                let end = sources.get(file).map_or(0, |f| f.text.len());
                let mut d = Diagnostic::new(
                    Code::TOO_MANY_DIAGNOSTICS,
                    format!("{} more diagnostics in this file are not shown", c.dropped),
                )
                .primary(
                    Span::new(file, end, end),
                    format!("netlink shows the first {MAX_PER_FILE} diagnostics of a file"),
                )
                .help("fix the ones shown and run again");
                d.severity = c.worst.unwrap_or(Severity::Note);
                d
            })
            .collect()
    }
}
