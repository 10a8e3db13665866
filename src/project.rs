//! Loading a project: files and directories given on the command line → a [`SourceMap`].
//!
//! A directory contributes every `.netlink` file below it, sorted by path, so the order (and so
//! every output) is the same on any machine. Hidden and git-ignored paths are skipped and
//! symbolic links to directories are not followed.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, SourceMap, Span};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A problem reading the project (not a problem in its text): exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A path does not exist or cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// What the OS said.
        reason: String,
    },
    /// A directory holds no `.netlink` file.
    #[error("`{0}` contains no .netlink files")]
    Empty(String),
    /// More files than netlink reads in one project.
    #[error("the project has more than {max} .netlink files", max = crate::limits::MAX_FILES)]
    TooManyFiles,
}

/// The loaded project.
#[derive(Debug, Default)]
pub struct Project {
    /// Every file.
    pub sources: SourceMap,
    /// Files that could not become text (not UTF-8), one diagnostic each.
    pub diagnostics: Vec<Diagnostic>,
}

/// `/`-separated display name.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every `.netlink` file below `dir`, as `git` sees the tree: hidden files and directories
/// and paths that `.gitignore` (inside a git repository) or `.ignore` excludes are skipped, so
/// `netlink check` at a repository's root reads the project, not build output or fuzz seeds.
/// Symbolic links to directories are not followed (no loops, no walk out of the project).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let walk = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .parents(true)
        .follow_links(false)
        .build();
    for entry in walk {
        let entry = entry.map_err(|e| LoadError::Unreadable {
            path: display(dir),
            reason: e.to_string(),
        })?;
        let path = entry.path();
        let is_file = entry
            .file_type()
            .is_some_and(|t| t.is_file() || t.is_symlink())
            && !path.is_dir();
        if is_file && entry.depth() > 0 && path.extension().is_some_and(|e| e == "netlink") {
            out.push(path.to_path_buf());
        }
    }
    out.sort();
    Ok(())
}

fn unreadable(path: &Path, e: std::io::Error) -> LoadError {
    LoadError::Unreadable {
        path: display(path),
        reason: e.to_string(),
    }
}

/// Load files and directories into one project.
pub fn load(paths: &[PathBuf]) -> Result<Project, LoadError> {
    let cwd = std::env::current_dir().ok();
    let mut files = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| unreadable(path, e))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            collect(path, &mut found)?;
            if found.is_empty() {
                return Err(LoadError::Empty(display(path)));
            }
        } else {
            found.push(path.clone());
        }
        files.extend(found.into_iter().map(|f| {
            let name = relative_name(path, &f, cwd.as_deref());
            (f, name)
        }));
    }
    if files.len() > crate::limits::MAX_FILES {
        return Err(LoadError::TooManyFiles);
    }
    // The same file named twice (`a.netlink ./a.netlink`) is read once.
    let mut seen = BTreeSet::new();
    let mut files: Vec<(PathBuf, PathBuf, String)> = files
        .into_iter()
        .filter_map(|(path, name)| {
            let key = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            seen.insert(key.clone()).then_some((path, key, name))
        })
        .collect();
    distinct_names(&mut files);
    let mut project = Project::default();
    for (path, _, name) in files {
        let size = fs::metadata(&path).map_err(|e| unreadable(&path, e))?.len();
        if size > crate::limits::MAX_FILE_BYTES {
            let id = project
                .sources
                .add(SourceFile::new(name.clone(), String::new()));
            project.diagnostics.push(
                Diagnostic::new(
                    Code::FILE_TOO_LARGE,
                    format!(
                        "`{}` is {size} bytes, over the {} MiB limit",
                        crate::text::term(&name),
                        crate::limits::MAX_FILE_BYTES / 1048576
                    ),
                )
                .primary(
                    Span::new(id, 0, 0),
                    format!(
                        "netlink reads files of at most {} MiB",
                        crate::limits::MAX_FILE_BYTES / 1048576
                    ),
                )
                .help("split the project into several files (names are global across them)"),
            );
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| unreadable(&path, e))?;
        add_bytes(&mut project, name, bytes);
    }
    Ok(project)
}

/// Two different files shown under one name (`p.netlink` from `/a/x/` and `/b/x/`, both outside
/// the working directory) get longer names, one more parent directory at a time, until every name
/// is distinct: diagnostics and artifacts must say which file they mean.
fn distinct_names(files: &mut [(PathBuf, PathBuf, String)]) {
    // Invariant: each round lengthens every clashing name by one component, and canonical paths
    // are distinct and finite, so the loop ends; 64 rounds bound it regardless.
    for _ in 0..64 {
        let mut count: std::collections::BTreeMap<&str, usize> = Default::default();
        for (_, _, name) in files.iter() {
            *count.entry(name.as_str()).or_default() += 1;
        }
        let clashing: BTreeSet<String> = count
            .into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(name, _)| name.to_string())
            .collect();
        if clashing.is_empty() {
            return;
        }
        for (_, key, name) in files.iter_mut() {
            if clashing.contains(name.as_str()) {
                let parts: Vec<String> = key
                    .components()
                    .filter_map(|c| match c {
                        std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect();
                let have = name.split('/').count();
                let take = (have + 1).min(parts.len());
                *name = parts[parts.len() - take..].join("/");
            }
        }
    }
}

/// The name a file is shown (and written into artifacts) under: never absolute, so output does
/// not depend on where the project sits. An absolute argument is shown relative to the working
/// directory when it lies below it, else relative to the argument's parent directory.
fn relative_name(arg: &Path, file: &Path, cwd: Option<&Path>) -> String {
    if file.is_relative() {
        return display(file);
    }
    if let Some(rel) = cwd.and_then(|c| file.strip_prefix(c).ok()) {
        return display(rel);
    }
    let base = arg.parent().unwrap_or(Path::new("/"));
    match file.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => display(rel),
        _ => file
            .file_name()
            .map(|n| display(Path::new(n)))
            .unwrap_or_else(|| display(file)),
    }
}

/// Add one file's bytes (used by `load` and by tests that build projects in memory).
pub fn add_bytes(project: &mut Project, name: String, bytes: Vec<u8>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let secrets = crate::limits::mask_secrets(&mut text);
            let id = project.sources.add(SourceFile::new(name, text));
            for (s, e, what) in secrets {
                project
                    .diagnostics
                    .push(crate::limits::secret_diagnostic(id, s, e, what));
            }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            let first = bytes.get(at).copied().unwrap_or(0);
            // Each invalid byte becomes a space: offsets stay those of the file on disk, and the
            // rest of the file is still parsed (its names stay declared, nothing cascades).
            let mut text = blank_invalid(&mut bytes);
            let secrets = crate::limits::mask_secrets(&mut text);
            let id = project.sources.add(SourceFile::new(name.clone(), text));
            for (s, e, what) in secrets {
                project
                    .diagnostics
                    .push(crate::limits::secret_diagnostic(id, s, e, what));
            }
            project.diagnostics.push(
                Diagnostic::new(Code::INVALID_UTF8, format!("`{name}` is not valid UTF-8 at byte {at}"))
                    .primary(Span::new(id, at, at + 1), format!("invalid byte 0x{first:02x} at offset {at}"))
                    .help("save the file as UTF-8; netlink files are text (invalid bytes were read as spaces)"),
            );
        }
    }
}

/// Replace every byte that is not part of valid UTF-8 with a space, keeping offsets.
fn blank_invalid(bytes: &mut [u8]) -> String {
    let mut from = 0;
    while from < bytes.len() {
        match std::str::from_utf8(&bytes[from..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = from + e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - bad);
                for b in &mut bytes[bad..bad + len] {
                    *b = b' ';
                }
                from = bad + len;
            }
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two files called `p.netlink` in `a/x/` and `b/x/` outside the working directory: each is
    /// shown by as much of its path as tells them apart, never by an absolute path.
    #[test]
    fn same_file_names_outside_the_working_directory_stay_distinct() {
        let root = std::env::temp_dir().join(format!("netlink-names-{}", std::process::id()));
        let (a, b) = (root.join("a/x/p.netlink"), root.join("b/x/p.netlink"));
        for f in [&a, &b] {
            fs::create_dir_all(f.parent().unwrap()).unwrap();
            fs::write(f, "account acme { uid = \"1234567890123456\" }\n").unwrap();
        }
        let project = load(&[a, b]).unwrap();
        let names: Vec<&str> = project
            .sources
            .iter()
            .map(|(_, f)| f.name.as_str())
            .collect();
        let _ = fs::remove_dir_all(&root);
        assert_eq!(names, ["a/x/p.netlink", "b/x/p.netlink"]);
    }
}
