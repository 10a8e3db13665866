//! `netlink fmt`: one canonical layout for `.netlink` files, comments kept.
//!
//! [`format_source`] formats one text: the file is parsed first (a file with a syntax error is
//! never formatted), [`printer`] walks the parse tree and prints every token in canonical form
//! with the comments put back between them, and the result is parsed again and compared with the
//! original, span for span aside: if the two differ in any name, value or order, nothing is
//! written. [`run`] is the command: files and directories (read as `netlink check` reads them)
//! or standard input in, `--check` / `--diff` / rewrite.
//!
//! The layout rules are in `docs/fmt.md`.

mod diff;
mod printer;
mod same;

use crate::diagnostics::{self, Diagnostic, RenderOptions};
use crate::project::{self, Project};
use crate::source::FileId;
use crate::style::{self, ColorWhen, Stream};
use crate::text::term;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a text was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The text does not parse: its syntax diagnostics (for file id 0).
    Syntax(Vec<Diagnostic>),
    /// The formatter could not keep the meaning (a bug; the text is left alone).
    Internal(String),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(d) => write!(f, "{} syntax error(s)", d.len()),
            FormatError::Internal(m) => write!(f, "internal formatter error: {m}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// Format one file's text in the canonical layout. The result parses to the same blocks,
/// attributes and values as `text` (checked before it is returned), and formatting it again
/// changes nothing.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let id = FileId(0);
    let (before, diags) = crate::syntax::parse_file(id, text);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Syntax(diags));
    }
    let out = printer::print(text).map_err(FormatError::Internal)?;
    let (after, diags) = crate::syntax::parse_file(id, &out);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Internal(
            "the formatted text does not parse".into(),
        ));
    }
    if same::shape(&before) != same::shape(&after) {
        return Err(FormatError::Internal(
            "the formatted text would mean something else".into(),
        ));
    }
    Ok(out)
}

/// A unified diff (`--- a/name`, `+++ b/name`, hunks with three lines of context) of `old` →
/// `new`; empty when they are equal.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    diff::unified(name, old, new, 3)
}

/// The name standard input is shown under (`netlink fmt -`).
pub const STDIN_NAME: &str = "<stdin>";

/// Run `netlink fmt`; returns the exit status: 0 done (or nothing to change), 1 a file would
/// change under `--check`/`--diff` or has syntax errors, 2 an I/O or usage problem. `-` as the
/// only path reads standard input and writes the formatted text to standard output.
pub fn run(paths: &[PathBuf], check: bool, diff: bool, color: ColorWhen) -> i32 {
    let ui = Ui::new(color);
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            eprintln!("error: `-` (standard input) cannot be given with other paths");
            return 2;
        }
        return run_stdin(&ui, check, diff);
    }
    let listing = match project::list(paths) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {}", term(&e.to_string()));
            return 2;
        }
    };
    let mut err = std::io::stderr().lock();
    for name in &listing.outside {
        let _ = writeln!(
            err,
            "warning: `{}` is a symbolic link that leads outside the directory given; not formatted",
            term(name)
        );
    }
    let mut status = 0;
    for (path, name) in listing.files {
        let shown = term(&name).into_owned();
        let bytes = match project::read_bounded(&path) {
            Ok(project::Read::Bytes(b)) => b,
            Ok(other) => {
                let mut p = Project::default();
                project::refuse(&mut p, &name, &other);
                ui.diagnostics(&mut err, &p.diagnostics, &p);
                let _ = writeln!(err, "error: `{shown}` was not read; not formatted");
                status = status.max(2);
                continue;
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot read `{shown}`: {e}");
                status = status.max(2);
                continue;
            }
        };
        let (text, formatted) = match format_bytes(&ui, &mut err, &name, bytes) {
            Ok(t) => t,
            Err(code) => {
                status = status.max(code);
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check || diff {
            let mut shown_out = String::new();
            if check {
                shown_out.push_str(&format!("would reformat {shown}\n"));
            }
            if diff {
                shown_out.push_str(&ui.diff(&name, &text, &formatted));
            }
            if !crate::cli::out(&shown_out) {
                return 2;
            }
            status = status.max(1);
            continue;
        }
        match write_atomically(&path, &formatted) {
            Ok(()) => {
                if !crate::cli::out(&format!("formatted {shown}\n")) {
                    return 2;
                }
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot write `{shown}`: {e}");
                status = status.max(2);
            }
        }
    }
    status
}

/// `netlink fmt -`: standard input (at most the file limit) to standard output.
fn run_stdin(ui: &Ui, check: bool, diff: bool) -> i32 {
    use std::io::Read as _;
    let limit = crate::limits::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
    {
        eprintln!("error: cannot read standard input: {e}");
        return 2;
    }
    if bytes.len() as u64 > limit {
        eprintln!(
            "error: standard input is over the {} MiB limit; not formatted",
            limit / 1048576
        );
        return 2;
    }
    let mut err = std::io::stderr().lock();
    let (text, formatted) = match format_bytes(ui, &mut err, STDIN_NAME, bytes) {
        Ok(t) => t,
        Err(code) => return code,
    };
    drop(err);
    let changed = formatted != text;
    let shown = if check || diff {
        if diff {
            ui.diff(STDIN_NAME, &text, &formatted)
        } else {
            String::new()
        }
    } else {
        formatted
    };
    if !crate::cli::out(&shown) {
        return 2;
    }
    i32::from(changed && (check || diff))
}

/// One file's bytes → its text and the formatted text; `Err(status)` when it is not formatted
/// (not UTF-8, syntax errors, an internal error), its diagnostics printed.
fn format_bytes(
    ui: &Ui,
    err: &mut impl Write,
    name: &str,
    bytes: Vec<u8>,
) -> Result<(String, String), i32> {
    let shown = term(name);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let mut p = Project::default();
            project::add_bytes(&mut p, name.to_string(), e.into_bytes());
            let diags: Vec<Diagnostic> = p
                .diagnostics
                .iter()
                .filter(|d| d.code == crate::diagnostics::Code::INVALID_UTF8)
                .cloned()
                .collect();
            ui.diagnostics(err, &diags, &p);
            let _ = writeln!(err, "error: `{shown}` is not valid UTF-8; not formatted");
            return Err(1);
        }
    };
    match format_source(&text) {
        Ok(f) => Ok((text, f)),
        Err(FormatError::Syntax(_)) => {
            // Shown as `netlink check` shows the file: found again in the masked text (same
            // offsets), so neither an excerpt nor a quoted token shows a credential.
            let mut p = Project::default();
            project::add_bytes(&mut p, name.to_string(), text.into_bytes());
            let masked = p.sources.get(FileId(0)).map_or("", |f| f.text.as_str());
            let mut diags = crate::syntax::parse_file(FileId(0), masked).1;
            diagnostics::sort(&mut diags);
            ui.diagnostics(err, &diags, &p);
            let _ = writeln!(err, "error: `{shown}` has syntax errors; not formatted");
            Err(1)
        }
        Err(FormatError::Internal(m)) => {
            let _ = writeln!(
                err,
                "error: cannot format `{shown}`: {m} (a bug in `netlink fmt`; the file is left unchanged)"
            );
            Err(1)
        }
    }
}

/// Colour and width, from the global `--color`.
struct Ui {
    diagnostics: RenderOptions,
    diff_color: bool,
}

impl Ui {
    fn new(color: ColorWhen) -> Self {
        Ui {
            diagnostics: RenderOptions {
                color: style::enabled(color, Stream::Stderr),
                width: style::width(Stream::Stderr),
            },
            diff_color: style::enabled(color, Stream::Stdout),
        }
    }

    fn diagnostics(&self, err: &mut impl Write, diags: &[Diagnostic], p: &Project) {
        for d in diags {
            let _ = writeln!(
                err,
                "{}",
                diagnostics::render_human(d, &p.sources, self.diagnostics)
            );
        }
    }

    /// The diff shown for `--diff`: credentials masked on both sides, as every other output
    /// shows them (the file itself is formatted with them, unmasked).
    fn diff(&self, name: &str, old: &str, new: &str) -> String {
        let (old, new) = (crate::secrets::masked(old), crate::secrets::masked(new));
        style::paint_unified(&unified_diff(name, &old, &new), self.diff_color)
    }
}

/// Replace a file's contents atomically: write a temporary file beside it (beside the link's
/// target, for a symbolic link), keep the permissions, rename it over the original.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let real = fs::canonicalize(path)?;
    let dir = real.parent().unwrap_or(Path::new("."));
    let base = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    // A fresh file of an unpredictable name, created new (never a planted path or link).
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{base}.fmt-"))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(&real) {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    // Dropped on any error before this: the temporary file is removed.
    tmp.persist(&real).map(|_| ()).map_err(|e| e.error)
}
