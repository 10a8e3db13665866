//! `netlink diff OLD NEW` and `netlink diff --base REV PATH...`.

use crate::cli::DiffFormat;
use crate::project::{self, Project};
use std::path::PathBuf;
use std::process::Command;

fn usage(msg: impl std::fmt::Display) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// Run git; its stdout, or what it said on stderr.
fn git(args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// The commit a revision names. `--end-of-options` keeps a revision such as `--output=x` from
/// being read as an option.
fn commit_of(rev: &str) -> Result<String, String> {
    let spec = format!("{rev}^{{commit}}");
    let out = git(&[
        "rev-parse".as_ref(),
        "--verify".as_ref(),
        "--quiet".as_ref(),
        "--end-of-options".as_ref(),
        spec.as_ref(),
    ])
    .map_err(|_| format!("`{}` is not a git revision here", crate::text::term(rev)))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The project at a git revision: every `.netlink` file under `paths` there, listed with
/// `git ls-tree -z` (NUL-separated, so names with quotes, spaces or non-ASCII characters come
/// through unquoted) and read by blob id (no checkout, no path parsing).
fn at_revision(rev: &str, paths: &[PathBuf]) -> Result<Project, String> {
    let commit = commit_of(rev)?;
    let mut blobs: Vec<(String, String, u64)> = Vec::new();
    for p in paths {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "ls-tree".as_ref(),
            "-r".as_ref(),
            "-z".as_ref(),
            // With each blob's size, so one over the limit is refused unread.
            "-l".as_ref(),
            commit.as_ref(),
            "--".as_ref(),
        ];
        args.push(p.as_os_str());
        let listing = git(&args).map_err(|e| {
            format!(
                "git cannot list `{}` at `{}`: {e}",
                crate::text::term(&p.display().to_string()),
                crate::text::term(rev)
            )
        })?;
        // Each record: `<mode> SP <type> SP <object> SP+ <size> TAB <path>` NUL.
        for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let meta = String::from_utf8_lossy(&record[..tab]);
            let mut words = meta.split_whitespace();
            let (Some(mode), Some(kind), Some(object), Some(size)) =
                (words.next(), words.next(), words.next(), words.next())
            else {
                continue;
            };
            let name = String::from_utf8_lossy(&record[tab + 1..]).into_owned();
            // As a directory is walked: hidden paths skipped, and a symbolic link (mode 120000,
            // whose blob is its target's path) not read.
            let hidden = name.split('/').any(|c| c.starts_with('.'));
            if kind == "blob" && mode != "120000" && !hidden && name.ends_with(".netlink") {
                blobs.push((name, object.to_string(), size.parse().unwrap_or(u64::MAX)));
            }
        }
    }
    blobs.sort();
    blobs.dedup();
    let mut project = Project::default();
    for (name, object, size) in blobs {
        if size > crate::limits::MAX_FILE_BYTES {
            let too_large = project::Read::TooLarge { size, exact: true };
            project::refuse(&mut project, &name, &too_large);
            continue;
        }
        let text = git(&["cat-file".as_ref(), "blob".as_ref(), object.as_ref()]).map_err(|e| {
            format!(
                "git cannot read `{}` at `{}`: {e}",
                crate::text::term(&name),
                crate::text::term(rev)
            )
        })?;
        project::add_bytes(&mut project, name, text);
    }
    Ok(project)
}

/// Compile a project to its artifacts, or print its errors.
fn artifacts(label: &str, project: &Project) -> Result<Vec<(String, String)>, ()> {
    let compiled = crate::compile_with(&project.sources, &project.policy);
    match (&compiled.model, &compiled.plan) {
        (Some(m), Some(plan)) if project.diagnostics.iter().all(|d| !d.is_error()) => {
            let mut files: Vec<(String, String)> =
                crate::emit::artifacts(m, plan, &compiled.proofs, &project.sources)
                    .into_iter()
                    .map(|(n, t)| (n.to_string(), t))
                    .collect();
            files.extend(crate::emit::terraform_files(m, plan));
            Ok(files)
        }
        _ => {
            crate::cli::print_errors(
                project,
                &compiled.diagnostics,
                &format!("the {label} project"),
            );
            Err(())
        }
    }
}

/// Run `netlink diff`; exit 0 no change, 1 errors, 2 usage, 3 changes.
pub fn run(
    paths: Vec<PathBuf>,
    base: Option<String>,
    format: DiffFormat,
    color: crate::cli::Color,
) -> i32 {
    let (old, new) = match &base {
        Some(rev) => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths
            };
            let old = match at_revision(rev, &paths) {
                Ok(p) => p,
                Err(e) => return usage(e),
            };
            let new = match project::load(&paths) {
                Ok(p) => p,
                Err(e) => return usage(e),
            };
            (old, new)
        }
        None => {
            let [a, b] = paths.as_slice() else {
                return usage(
                    "give two project paths (OLD NEW), or `--base REV` and the project's paths",
                );
            };
            match (
                project::load(std::slice::from_ref(a)),
                project::load(std::slice::from_ref(b)),
            ) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => return usage(e),
            }
        }
    };
    let (Ok(old_files), Ok(new_files)) = (artifacts("old", &old), artifacts("new", &new)) else {
        return 1;
    };
    let d = crate::diff::diff(&old_files, &new_files);
    let text = match format {
        DiffFormat::Text => crate::style::paint_listing(
            &d.text(),
            crate::style::enabled(color, crate::style::Stream::Stdout),
        ),
        DiffFormat::Markdown => d.markdown(),
        DiffFormat::Json => d.json(),
    };
    crate::cli::out_then(&text, if d.changes.is_empty() { 0 } else { 3 })
}
