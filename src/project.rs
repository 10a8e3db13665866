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
    /// Files that could not become text (not UTF-8), one diagnostic each, and the problems of
    /// `netlink.toml`.
    pub diagnostics: Vec<Diagnostic>,
    /// What `netlink.toml`'s `[diagnostics]` table says (empty without one).
    pub policy: crate::diagnostics::Policy,
}

/// `/`-separated display name.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every `.netlink` file below `dir`, as `git` sees the tree: hidden files and directories
/// and paths that `.gitignore` (inside a git repository) or `.ignore` excludes are skipped, so
/// `netlink check` at a repository's root reads the project, not build output or fuzz seeds.
/// Symbolic links to directories are not followed (no loops, no walk out of the project), and a
/// link to a file outside `dir` goes to `outside` instead of `out`.
fn collect(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    outside: &mut Vec<PathBuf>,
) -> Result<(), LoadError> {
    let root = fs::canonicalize(dir).map_err(|e| unreadable(dir, e))?;
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
        // Anything but a directory: FIFOs, devices and sockets are listed so that reading them
        // can refuse them by name (NL0009) instead of their vanishing from the project.
        let is_file = entry.file_type().is_some_and(|t| !t.is_dir()) && !path.is_dir();
        if is_file && entry.depth() > 0 && path.extension().is_some_and(|e| e == "netlink") {
            let leaves = entry.path_is_symlink()
                && !fs::canonicalize(path).is_ok_and(|target| target.starts_with(&root));
            if leaves {
                outside.push(path.to_path_buf());
            } else {
                out.push(path.to_path_buf());
            }
        }
    }
    out.sort();
    outside.sort();
    Ok(())
}

fn unreadable(path: &Path, e: std::io::Error) -> LoadError {
    LoadError::Unreadable {
        // Printed to a terminal: a hostile file name cannot drive it.
        path: crate::text::term(&display(path)).into_owned(),
        reason: e.to_string(),
    }
}

/// The files that the arguments stand for, as every command reads them: a file named directly,
/// and every `.netlink` file below a directory (see [`collect`]), each once, with the name it is
/// shown under. Any path that cannot be read is an error before anything is read.
#[derive(Debug, Default)]
pub struct Listing {
    /// Each file to read: its path and its name.
    pub files: Vec<(PathBuf, String)>,
    /// The names of links in a project directory that lead outside it: never read.
    pub outside: Vec<String>,
}

/// List the files of these arguments (see [`Listing`]).
pub fn list(paths: &[PathBuf]) -> Result<Listing, LoadError> {
    let cwd = std::env::current_dir().ok();
    let mut files = Vec::new();
    // Links in a project directory that lead outside it: named, never read.
    let mut leaving: Vec<PathBuf> = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| unreadable(path, e))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            collect(path, &mut found, &mut leaving)?;
            if found.is_empty() {
                return Err(LoadError::Empty(
                    crate::text::term(&display(path)).into_owned(),
                ));
            }
        } else {
            found.push(path.clone());
        }
        outside.extend(
            leaving
                .drain(..)
                .map(|f| relative_name(path, &f, cwd.as_deref())),
        );
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
    Ok(Listing {
        files: files
            .into_iter()
            .map(|(path, _, name)| (path, name))
            .collect(),
        outside,
    })
}

/// Load files and directories into one project.
pub fn load(paths: &[PathBuf]) -> Result<Project, LoadError> {
    let Listing { files, outside } = list(paths)?;
    let mut project = Project::default();
    for name in outside {
        let id = project
            .sources
            .add(SourceFile::new(name.clone(), String::new()));
        project.diagnostics.push(
            Diagnostic::new(
                Code::LINK_OUTSIDE,
                format!(
                    "`{}` is a symbolic link that leads outside the project",
                    crate::text::term(&name)
                ),
            )
            .primary(
                Span::new(id, 0, 0),
                "not read: its target is outside the directory given",
            )
            .help(
                "copy the file into the project, or name the file it points at on the command line",
            ),
        );
    }
    for (path, name) in files {
        match read_bounded(&path).map_err(|e| unreadable(&path, e))? {
            Read::Bytes(bytes) => add_bytes(&mut project, name.clone(), bytes),
            other => refuse(&mut project, &name, &other),
        }
    }
    if let Some(first) = paths.first() {
        load_config(&mut project, first)?;
    }
    Ok(project)
}

/// The project's root: the directory given first, or the first file's directory.
fn root_of(first: &Path) -> PathBuf {
    if first.is_dir() {
        return first.to_path_buf();
    }
    match first.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Read `netlink.toml` at the project's root, if there is one.
fn load_config(project: &mut Project, first: &Path) -> Result<(), LoadError> {
    let path = root_of(first).join(crate::config::FILE_NAME);
    match fs::symlink_metadata(&path) {
        Err(_) => return Ok(()),
        // A link could lead anywhere (`netlink.toml -> ~/.config/gh/hosts.yml`), and the file is
        // quoted in diagnostics: only a file in the project is read.
        Ok(m) if m.file_type().is_symlink() => {
            return Err(LoadError::Unreadable {
                path: crate::text::term(&display(&path)).into_owned(),
                reason: "a symbolic link; netlink.toml must be a file in the project".to_string(),
            })
        }
        Ok(_) => {}
    }
    let name = display(&path);
    let name = name.strip_prefix("./").unwrap_or(&name).to_string();
    let text = match read_bounded(&path).map_err(|e| unreadable(&path, e))? {
        Read::Bytes(bytes) => String::from_utf8(bytes).map_err(|_| LoadError::Unreadable {
            path: name.clone(),
            reason: "not UTF-8".to_string(),
        })?,
        Read::TooLarge { .. } => {
            return Err(LoadError::Unreadable {
                path: name,
                reason: format!(
                    "larger than {} MiB",
                    crate::limits::MAX_FILE_BYTES / 1048576
                ),
            })
        }
        Read::NotRegular(what) => {
            return Err(LoadError::Unreadable {
                path: name,
                reason: format!("{what}, not a file"),
            })
        }
    };
    let mut text = text;
    crate::secrets::mask(&mut text);
    let id = project.sources.add(SourceFile::config(name, text.clone()));
    let (policy, mut diags) = crate::config::parse(id, &text);
    project.policy = policy;
    project.diagnostics.append(&mut diags);
    Ok(())
}

/// The diagnostic for a file that was not read (NL0006 too large, NL0009 not a file), added to
/// the project with an empty text under the file's name. Nothing for [`Read::Bytes`].
pub fn refuse(project: &mut Project, name: &str, read: &Read) {
    let mut note = |code: Code, message: String, label: &str, help: &str| {
        let id = project
            .sources
            .add(SourceFile::new(name.to_string(), String::new()));
        project.diagnostics.push(
            Diagnostic::new(code, message)
                .primary(Span::new(id, 0, 0), label.to_string())
                .help(help.to_string()),
        );
    };
    match *read {
        Read::Bytes(_) => {}
        Read::TooLarge { size, exact } => note(
            Code::FILE_TOO_LARGE,
            format!(
                "`{}` is {}{size} bytes, over the {} MiB limit",
                crate::text::term(name),
                if exact { "" } else { "at least " },
                crate::limits::MAX_FILE_BYTES / 1048576
            ),
            &format!(
                "netlink reads files of at most {} MiB",
                crate::limits::MAX_FILE_BYTES / 1048576
            ),
            "split the project into several files (names are global across them)",
        ),
        Read::NotRegular(what) => note(
            Code::NOT_A_FILE,
            format!("`{}` is {what}, not a file", crate::text::term(name)),
            "not read",
            "netlink reads regular files only; remove it from the project or give the file it stands for",
        ),
    }
}

/// What reading one project file gave.
#[derive(Debug)]
pub enum Read {
    /// Its bytes (at most the limit).
    Bytes(Vec<u8>),
    /// Over the limit: the size the metadata gives (`exact`), or the limit + 1 when reading
    /// found more than the metadata said (a `/proc` file reports 0).
    TooLarge {
        /// Bytes.
        size: u64,
        /// `size` is the file's size, not a lower bound.
        exact: bool,
    },
    /// Not a regular file: what it is (`a FIFO`, `a device`, `a socket`, `a directory`).
    NotRegular(&'static str),
}

/// Read one file the way netlink reads every input: only a regular file (opened without
/// blocking, so a FIFO cannot hang the command), and at most [`crate::limits::MAX_FILE_BYTES`]
/// + 1 bytes whatever its metadata says.
pub fn read_bounded(path: &Path) -> std::io::Result<Read> {
    use std::io::Read as _;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Read::NotRegular(kind_of(&meta)));
    }
    let limit = crate::limits::MAX_FILE_BYTES;
    if meta.len() > limit {
        return Ok(Read::TooLarge {
            size: meta.len(),
            exact: true,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Read::TooLarge {
            size: limit + 1,
            exact: false,
        });
    }
    Ok(Read::Bytes(bytes))
}

/// What a file that is not a regular file is.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
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

/// NL0008 for each credential, at most [`crate::diagnostics::MAX_PER_FILE`] per file, then one
/// NL0011 counting the rest (as the compiler's diagnostics are limited).
fn push_secrets(
    project: &mut Project,
    id: crate::source::FileId,
    secrets: &[crate::secrets::Secret],
) {
    let mut limiter = crate::diagnostics::Limiter::default();
    let mut diags: Vec<Diagnostic> = secrets
        .iter()
        .map(|s| crate::limits::secret_diagnostic(id, s.start, s.end, s.what))
        .collect();
    limiter.keep(&mut diags);
    diags.extend(limiter.summaries(&project.sources));
    project.diagnostics.append(&mut diags);
}

/// Add one file's bytes (used by `load` and by tests that build projects in memory).
pub fn add_bytes(project: &mut Project, name: String, bytes: Vec<u8>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let secrets = crate::secrets::mask(&mut text);
            let id = project.sources.add(SourceFile::new(name, text));
            push_secrets(project, id, &secrets);
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            let first = bytes.get(at).copied().unwrap_or(0);
            // Each invalid byte becomes a space: offsets stay those of the file on disk, and the
            // rest of the file is still parsed (its names stay declared, nothing cascades).
            let mut text = blank_invalid(&mut bytes);
            let secrets = crate::secrets::mask(&mut text);
            let id = project.sources.add(SourceFile::new(name.clone(), text));
            push_secrets(project, id, &secrets);
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
