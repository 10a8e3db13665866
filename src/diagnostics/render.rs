//! Rendering: miette's graphical report for people, one JSON object per line for programs.

use super::{Counts, Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;
use std::fmt;

/// How human output looks.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
        }
    }
}

/// A source file seen through miette, without copying its text.
struct FileSource<'a>(&'a SourceFile);

impl SourceCode for FileSource<'_> {
    /// The lines around a span, found through the file's line index: no scan from the start of
    /// the file per diagnostic (miette's own `str` implementation scans, which is quadratic when
    /// a large file has many diagnostics).
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let f = self.0;
        let start = span.offset();
        let end = start + span.len();
        if end > f.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = f.line_index(start as u32);
        let last_line =
            f.line_index(end.saturating_sub(usize::from(!span.is_empty())).max(start) as u32);
        let to_line = (last_line + context_lines_after).min(f.line_count() - 1);
        // As miette's own reader: without lines before, the contents start at the span itself
        // (that is how the header's line:column is found); with them, at a line's start.
        let (from_line, from, column) = if context_lines_before == 0 {
            (first_line, start, start - f.line_start(first_line))
        } else {
            let l = first_line.saturating_sub(context_lines_before);
            (l, f.line_start(l), 0)
        };
        let to = if context_lines_after == 0 {
            end.max((start + 1).min(f.text.len()))
        } else {
            f.line_start(to_line + 1)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            crate::text::term(&f.name).into_owned(),
            &f.shown_text().as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            from_line,
            column,
            to_line + 1,
        )))
    }
}

/// One diagnostic (or a related part of it) in miette's terms.
struct Report<'a> {
    code: Option<&'static str>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

fn labeled(span: Span, message: &str, primary: bool) -> LabeledSpan {
    let text = (!message.is_empty()).then(|| crate::text::term(message).into_owned());
    let range = SourceSpan::new((span.start as usize).into(), span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, range)
    } else {
        LabeledSpan::new_with_span(text, range)
    }
}

/// Longest source line shown as a snippet: miette walks a whole line per label, so a file of
/// thousands of errors on one huge line would render in quadratic time.
const MAX_SNIPPET_LINE: usize = 1000;

/// Whether the excerpt of `span` (its lines and the one line of context either side that miette
/// shows) holds a line too long to show.
fn long_line(sources: &SourceMap, span: Span) -> bool {
    sources.get(span.file).is_some_and(|f| {
        let first = f.line_index(span.start).saturating_sub(1);
        let last = (f.line_index(span.end) + 1).min(f.line_count().saturating_sub(1));
        (first..=last)
            .any(|l| f.line_start(l + 1).saturating_sub(f.line_start(l)) > MAX_SNIPPET_LINE)
    })
}

/// Help and notes as the lines under a report.
fn help_lines(diag: &Diagnostic) -> Option<String> {
    // Every text may quote user input: escaped so it can neither start a line nor drive the
    // terminal.
    let mut help = diag
        .help
        .as_deref()
        .map(|h| crate::text::term(h).into_owned());
    for note in &diag.notes {
        let line = format!("note: {}", crate::text::term(note));
        help = Some(match help {
            Some(h) => format!("{h}\n{line}"),
            None => line,
        });
    }
    help
}

fn build<'a>(diag: &Diagnostic, sources: &'a SourceMap) -> Report<'a> {
    let primary_file = diag.primary_span().file;
    let too_long = diag.labels.iter().any(|l| long_line(sources, l.span));
    if too_long {
        // No snippet: name the place instead.
        let why = "; the line is too long to show";
        let at = sources
            .get(primary_file)
            .map(|f| {
                let (l, c) = f.line_col(diag.primary_span().start);
                format!(" (at {}:{l}:{c}{why})", crate::text::term(&f.name))
            })
            .unwrap_or_default();
        let help = diag
            .help
            .as_deref()
            .map(|h| crate::text::term(h).into_owned());
        return Report {
            code: None,
            severity: miette_severity(diag.severity),
            message: format!(
                "{}[{}]: {}{at}",
                diag.severity.as_str(),
                diag.code,
                crate::text::term(&diag.message)
            ),
            help,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
    }
    let help = help_lines(diag);
    let mut report = Report {
        // The code is already in the message (`error[NL2002]: ...`), rustc-style.
        code: None,
        severity: miette_severity(diag.severity),
        message: format!(
            "{}[{}]: {}",
            diag.severity.as_str(),
            diag.code,
            crate::text::term(&diag.message)
        ),
        help,
        source: sources.get(primary_file).map(FileSource),
        labels: Vec::new(),
        related: Vec::new(),
    };
    for label in &diag.labels {
        if label.span.file == primary_file {
            report
                .labels
                .push(labeled(label.span, &label.message, label.primary));
        } else {
            // miette shows one source per report: labels in other files become related parts.
            report.related.push(Report {
                code: None,
                severity: miette::Severity::Advice,
                message: if label.message.is_empty() {
                    "see also".to_string()
                } else {
                    crate::text::term(&label.message).into_owned()
                },
                help: None,
                source: sources.get(label.span.file).map(FileSource),
                labels: vec![labeled(label.span, &label.message, true)],
                related: Vec::new(),
            });
        }
    }
    report
}

/// Words of `text` in lines of at most `width` columns, each line after the first starting
/// with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut column = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if column > 0 && column + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            column = indent.len();
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
    out
}

/// A note in three short lines, rustc's `-->` style, without an excerpt: a note is a reminder
/// that comes back on every run (a ticket, a deadline) and must not bury errors and warnings.
/// `netlink explain CODE` has the full story.
fn render_note(diag: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let (bold, cyan, reset) = if opts.color {
        ("\u{1b}[1m", "\u{1b}[36m", "\u{1b}[0m")
    } else {
        ("", "", "")
    };
    let mut out = format!(
        "{cyan}{bold}note[{}]{reset}{bold}: {}{reset}\n",
        diag.code,
        wrap(&crate::text::term(&diag.message), opts.width, "  ")
    );
    let span = diag.primary_span();
    if let Some(f) = sources.get(span.file) {
        let (l, c) = f.line_col(span.start);
        out.push_str(&format!(
            "  {cyan}-->{reset} {}:{l}:{c}\n",
            crate::text::term(&f.name)
        ));
    }
    let width = opts.width.saturating_sub(8).max(20);
    if let Some(h) = &diag.help {
        out.push_str(&format!(
            "  {cyan}help{reset}: {}\n",
            wrap(&crate::text::term(h), width, "        ")
        ));
    }
    for n in &diag.notes {
        out.push_str(&format!(
            "  {cyan}note{reset}: {}\n",
            wrap(&crate::text::term(n), width, "        ")
        ));
    }
    out
}

/// Render one diagnostic the way a person reads it in a terminal.
pub fn render_human(diag: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    if diag.severity == Severity::Note {
        return render_note(diag, sources, opts);
    }
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .without_syntax_highlighting();
    let report = build(diag, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String only fails if a span does not fit its file; fall back to a line.
        out = format!("{}\n", report.message);
    }
    out
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    byte_start: u32,
    byte_end: u32,
    message: &'a str,
    primary: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: u32,
    byte_end: u32,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
    /// Machine-applicable fixes (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<JsonSuggestion<'a>>,
}

/// A fix as JSON: where (file, 1-based line and column, byte offsets) and what to write.
#[derive(Serialize)]
struct JsonSuggestion<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: u32,
    byte_end: u32,
    replacement: &'a str,
    message: &'a str,
    applicability: &'static str,
}

fn position(sources: &SourceMap, span: Span) -> (&str, (usize, usize), (usize, usize)) {
    match sources.get(span.file) {
        Some(f) => (
            f.name.as_str(),
            f.line_col(span.start),
            f.line_col(span.end),
        ),
        None => ("", (1, 1), (1, 1)),
    }
}

/// Render one diagnostic as a single line of JSON (stable field order).
pub fn render_json(diag: &Diagnostic, sources: &SourceMap) -> String {
    let span = diag.primary_span();
    let (file, (line, column), (end_line, end_column)) = position(sources, span);
    let labels = diag
        .labels
        .iter()
        .map(|l| {
            let (file, (line, column), _) = position(sources, l.span);
            JsonLabel {
                file,
                line,
                column,
                byte_start: l.span.start,
                byte_end: l.span.end,
                message: &l.message,
                primary: l.primary,
            }
        })
        .collect();
    let json = JsonDiagnostic {
        code: diag.code.as_str(),
        severity: diag.severity,
        message: &diag.message,
        file,
        line,
        column,
        end_line,
        end_column,
        byte_start: span.start,
        byte_end: span.end,
        labels,
        help: diag.help.as_deref(),
        notes: &diag.notes,
        suggestions: diag
            .suggestions
            .iter()
            .map(|s| {
                let (file, (line, column), (end_line, end_column)) = position(sources, s.span);
                JsonSuggestion {
                    file,
                    line,
                    column,
                    end_line,
                    end_column,
                    byte_start: s.span.start,
                    byte_end: s.span.end,
                    replacement: &s.replacement,
                    message: &s.message,
                    applicability: "machine-applicable",
                }
            })
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string(&json).unwrap_or_default()
}

/// GitHub's workflow-command escaping of a message (`%`, CR and LF).
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a property value: as a message, and `:` and `,`.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Render one diagnostic as a GitHub Actions workflow command
/// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=NL…::message`), so a workflow
/// annotates the pull request's lines without code scanning. Notes become `::notice`.
pub fn render_github(diag: &Diagnostic, sources: &SourceMap) -> String {
    let command = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let (file, (line, col), (end_line, end_col)) = position(sources, diag.primary_span());
    let mut message = crate::text::term(&diag.message).into_owned();
    if let Some(help) = &diag.help {
        message.push_str(&format!("\nhelp: {}", crate::text::term(help)));
    }
    for note in &diag.notes {
        message.push_str(&format!("\nnote: {}", crate::text::term(note)));
    }
    let mut props = Vec::new();
    if !file.is_empty() {
        props.push(format!(
            "file={}",
            github_property(&crate::text::term(file))
        ));
        props.push(format!(
            "line={line},col={col},endLine={end_line},endColumn={end_col}"
        ));
    }
    props.push(format!(
        "title={}",
        github_property(&format!("{} {}", diag.code, diag.code.info().name))
    ));
    format!("::{command} {}::{}", props.join(","), github_data(&message))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What a check's closing line says besides the diagnostics shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    /// `.netlink` files read.
    pub files: usize,
    /// Top-level blocks read.
    pub blocks: usize,
    /// Diagnostics silenced by allow comments or `netlink.toml`.
    pub allowed: usize,
    /// `--deny-warnings`: a warning fails the check.
    pub deny_warnings: bool,
}

/// The closing line of a check: what was checked, what was found, what was allowed, and whether
/// that fails (errors, or warnings under `--deny-warnings`).
pub fn summary_line(diags: &[Diagnostic], s: &Summary) -> String {
    let c = Counts::of(diags);
    let checked = format!(
        "{} with {}",
        plural(s.files, "file"),
        plural(s.blocks, "block")
    );
    let allowed = if s.allowed > 0 {
        format!(", {} allowed", s.allowed)
    } else {
        String::new()
    };
    if c.errors == 0 && c.warnings == 0 && c.notes == 0 {
        return format!("ok: checked {checked}, no problems{allowed}");
    }
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(plural(c.errors, "error"));
    }
    if c.warnings > 0 {
        let denied = if s.deny_warnings {
            " (denied by --deny-warnings)"
        } else {
            ""
        };
        parts.push(format!("{}{denied}", plural(c.warnings, "warning")));
    }
    if c.notes > 0 {
        parts.push(plural(c.notes, "note"));
    }
    let failed = c.errors > 0 || (s.deny_warnings && c.warnings > 0);
    let verdict = if failed { "failed" } else { "ok" };
    format!(
        "{verdict}: checked {checked}: {}{allowed}",
        parts.join(", ")
    )
}
