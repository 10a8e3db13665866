//! `netlink fmt`: one canonical layout for `.netlink` files, comments kept.
//!
//! [`format_source`] formats one text: the file is parsed first (a file with a syntax error is
//! never formatted), [`printer`] walks the parse tree and prints every token in canonical form
//! with the comments put back between them, and the result is parsed again and compared with the
//! original, span for span aside: if the two differ in any name, value or order, nothing is
//! written. [`run`] is the command: files and directories in, `--check` / `--diff` / rewrite.
//!
//! The layout rules are in `docs/fmt.md`.

mod diff;
mod printer;
mod same;

use crate::diagnostics::{self, Diagnostic, RenderOptions};
use crate::project::{self, Project};
use crate::source::FileId;
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::{IsTerminal, Write};
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

/// Run `netlink fmt`; returns the exit status: 0 done (or nothing to change), 1 a file would
/// change under `--check`/`--diff` or has syntax errors, 2 an I/O or usage problem.
pub fn run(paths: &[PathBuf], check: bool, diff: bool) -> i32 {
    let files = match collect(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let stderr = std::io::stderr();
    let opts = RenderOptions {
        color: stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
    };
    let mut out = std::io::stdout().lock();
    let mut err = stderr.lock();
    let mut status = 0;
    for (path, name) in files {
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "error: cannot read `{name}`: {e}");
                status = status.max(2);
                continue;
            }
        };
        let mut loaded = Project::default();
        project::add_bytes(&mut loaded, name.clone(), bytes);
        if !loaded.diagnostics.is_empty() {
            for d in &loaded.diagnostics {
                let _ = writeln!(
                    err,
                    "{}",
                    diagnostics::render_human(d, &loaded.sources, opts)
                );
            }
            let _ = writeln!(err, "error: `{name}` is not valid UTF-8; not formatted");
            status = status.max(1);
            continue;
        }
        let Some(text) = loaded.sources.get(FileId(0)).map(|f| f.text.as_str()) else {
            continue;
        };
        let formatted = match format_source(text) {
            Ok(f) => f,
            Err(FormatError::Syntax(mut diags)) => {
                diagnostics::sort(&mut diags);
                for d in &diags {
                    let _ = writeln!(
                        err,
                        "{}",
                        diagnostics::render_human(d, &loaded.sources, opts)
                    );
                }
                let _ = writeln!(err, "error: `{name}` has syntax errors; not formatted");
                status = status.max(1);
                continue;
            }
            Err(FormatError::Internal(m)) => {
                let _ = writeln!(
                    err,
                    "error: cannot format `{name}`: {m} (a bug in `netlink fmt`; the file is left unchanged)"
                );
                status = status.max(1);
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check || diff {
            if check {
                let _ = writeln!(out, "would reformat {name}");
            }
            if diff {
                let _ = write!(out, "{}", unified_diff(&name, text, &formatted));
            }
            status = status.max(1);
            continue;
        }
        match write_atomically(&path, &formatted) {
            Ok(()) => {
                let _ = writeln!(out, "formatted {name}");
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot write `{name}`: {e}");
                status = status.max(2);
            }
        }
    }
    status
}

/// `/`-separated display name.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The files named by the arguments (a directory: every `.netlink` file below it, sorted), each
/// once, with its display name. Any missing path is an error before anything is formatted.
fn collect(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, String> {
    let mut found = Vec::new();
    for path in paths {
        let meta =
            fs::metadata(path).map_err(|e| format!("cannot read `{}`: {e}", display(path)))?;
        if meta.is_dir() {
            let before = found.len();
            walk(path, &mut found, &mut BTreeSet::new())?;
            if found.len() == before {
                return Err(format!("`{}` contains no .netlink files", display(path)));
            }
        } else {
            found.push(path.clone());
        }
    }
    let cwd = std::env::current_dir().ok();
    let mut seen = BTreeSet::new();
    Ok(found
        .into_iter()
        .filter(|p| seen.insert(fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .map(|p| {
            // An absolute path below the working directory is shown relative to it.
            let shown = cwd
                .as_deref()
                .filter(|_| p.is_absolute())
                .and_then(|c| p.strip_prefix(c).ok())
                .filter(|r| !r.as_os_str().is_empty())
                .unwrap_or(&p);
            let name = display(shown);
            (p, name)
        })
        .collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    let unreadable = |e: std::io::Error| format!("cannot read `{}`: {e}", display(dir));
    let canon = fs::canonicalize(dir).map_err(unreadable)?;
    if !seen.insert(canon) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out, seen)?;
        } else if path.extension().is_some_and(|e| e == "netlink") {
            out.push(path);
        }
    }
    Ok(())
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
    let tmp = dir.join(format!(".{base}.fmt-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        if let Ok(meta) = fs::metadata(&real) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, &real)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
