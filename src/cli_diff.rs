//! `netlink diff OLD NEW` and `netlink diff --base REV PATH...`.

use crate::cli::DiffFormat;
use crate::project::{self, Project};
use std::path::PathBuf;
use std::process::Command;

fn usage(msg: impl std::fmt::Display) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// The project at a git revision: every `.netlink` file under `paths` there, read with
/// `git show` (no checkout).
fn at_revision(rev: &str, paths: &[PathBuf]) -> Result<Project, String> {
    let mut project = Project::default();
    let mut names = Vec::new();
    for p in paths {
        let out = Command::new("git")
            .args(["ls-tree", "-r", "--name-only", rev, "--"])
            .arg(p)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git cannot list `{}` at `{rev}`: {}",
                p.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        names.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.ends_with(".netlink"))
                .map(str::to_string),
        );
    }
    names.sort();
    names.dedup();
    for name in names {
        let out = Command::new("git")
            .args(["show", &format!("{rev}:./{name}")])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git cannot show `{name}` at `{rev}`: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        project::add_bytes(&mut project, name, out.stdout);
    }
    Ok(project)
}

/// Compile a project to its artifacts, or print its errors.
fn artifacts(label: &str, project: &Project) -> Result<Vec<(&'static str, String)>, ()> {
    let compiled = crate::compile(&project.sources);
    match (&compiled.model, &compiled.plan) {
        (Some(m), Some(plan)) if project.diagnostics.iter().all(|d| !d.is_error()) => {
            Ok(crate::emit::artifacts(m, plan, &project.sources))
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
pub fn run(paths: Vec<PathBuf>, base: Option<String>, format: DiffFormat) -> i32 {
    let (old, new) = match &base {
        Some(rev) => {
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
        DiffFormat::Text => d.text(),
        DiffFormat::Markdown => d.markdown(),
        DiffFormat::Json => d.json(),
    };
    crate::cli::out(&text);
    if d.changes.is_empty() {
        0
    } else {
        3
    }
}
