//! Writing artifacts atomically. Everything goes to a fresh directory with an unpredictable name
//! in `--out`'s parent (made by `tempfile`, mode 0700, so nothing can be planted in it), each
//! file created new inside it; then the directory takes `--out`'s place in one step. On Linux the
//! old and new directories are swapped with `renameat2(RENAME_EXCHANGE)`, so at every instant
//! `--out` holds the old build or the new one; elsewhere (or on a file system without it) the old
//! directory is moved aside first and there is a moment with no `--out`. Builds into one parent
//! directory take turns through a lock on that directory (Unix). netlink never writes outside
//! `--out` and its temporary directory, never follows a symbolic link at `--out`, and never
//! deletes a file it did not create.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The files netlink writes; a directory holding anything else is not netlink's to replace.
pub const ARTIFACTS: &[&str] = &[
    "plan.json",
    "console.md",
    "routes.json",
    "whitelists.json",
    "security-groups.json",
    "jobs.json",
];

/// The directory under `--out` that holds the Terraform export (its files are named by the
/// export: `terraform/<account>.tf.json`, `terraform/phase-2/...`).
pub const TERRAFORM_DIR: &str = "terraform";

/// Why artifacts could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An I/O error.
    #[error("cannot write `{path}`: {reason}")]
    Io {
        /// Where.
        path: String,
        /// What the OS said.
        reason: String,
    },
    /// `--out` holds files netlink did not write.
    #[error("`{0}` holds files netlink did not write ({1}); choose an empty directory or one netlink wrote")]
    Foreign(String, String),
    /// `--out` is not a path netlink can replace as a whole.
    #[error("`{0}` cannot be the output directory: {1}")]
    BadOut(String, &'static str),
}

fn shown(path: &Path) -> String {
    crate::text::term(&path.display().to_string()).into_owned()
}

fn io(path: &Path, e: std::io::Error) -> WriteError {
    WriteError::Io {
        path: shown(path),
        reason: e.to_string(),
    }
}

/// `--out`'s parent and file name, or why it cannot be replaced whole.
fn place(out: &Path) -> Result<(PathBuf, String), WriteError> {
    let bad = |why| WriteError::BadOut(shown(out), why);
    let Some(Component::Normal(name)) = out.components().next_back() else {
        return Err(bad(
            "it must end in a directory's name (not `.`, `..` or `/`), since the whole directory is replaced",
        ));
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            return Err(bad(
                "it is a symbolic link; netlink replaces the directory itself and never follows a link there (give the link's target)",
            ));
        }
        if !meta.is_dir() {
            return Err(bad("it exists and is not a directory"));
        }
    }
    Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
}

/// Write `files` (name, contents) as the whole content of `out`.
pub fn write_atomically(out: &Path, files: &[(&str, String)]) -> Result<(), WriteError> {
    write_each(
        out,
        files.iter().map(|(n, _)| *n).collect::<Vec<_>>().as_slice(),
        |name, w| match files.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => w.write_all(text.as_bytes()),
            None => Ok(()),
        },
    )
}

/// A test build stops here when `NETLINK_FAULT_PAUSE` names `point`, so a test can kill the
/// process at that exact place; it writes `<point>` to the file `NETLINK_FAULT_READY` first.
/// Release builds have no such point.
fn fault_point(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("NETLINK_FAULT_PAUSE").is_ok_and(|p| p == point) {
        if let Some(ready) = std::env::var_os("NETLINK_FAULT_READY") {
            let _ = fs::write(ready, point);
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// Take the lock on `out`'s parent directory, waiting for another build there to finish. Locking
/// the directory itself leaves no lock file behind and gives nothing to plant a link at.
fn lock(parent: &Path) -> Result<Option<fs::File>, WriteError> {
    #[cfg(unix)]
    {
        let dir = fs::File::open(parent).map_err(|e| io(parent, e))?;
        dir.lock().map_err(|e| io(parent, e))?;
        Ok(Some(dir))
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        Ok(None)
    }
}

/// Swap two directories in one step (Linux), or say it could not.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let ca = std::ffi::CString::new(a.as_os_str().as_bytes())?;
        let cb = std::ffi::CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both paths are NUL-terminated C strings that live across the call;
        // renameat2 reads them and touches no other memory.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// Like [`write_atomically`], with each file written by `produce` straight to its (buffered)
/// file, so no artifact needs to be held in memory whole.
pub fn write_each(
    out: &Path,
    names: &[&str],
    produce: impl Fn(&str, &mut dyn Write) -> std::io::Result<()> + Sync,
) -> Result<(), WriteError> {
    let (parent, name) = place(out)?;
    fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let _lock = lock(&parent)?;
    // Checked again under the lock: another build may have made `out` meanwhile.
    place(out)?;
    remove_stale(&parent, &name);
    if out.exists() {
        let mut foreign: Vec<String> = fs::read_dir(out)
            .map_err(|e| io(out, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !ARTIFACTS.contains(&n.as_str()) && n != TERRAFORM_DIR)
            .map(|n| crate::text::term(&n).into_owned())
            .collect();
        foreign.sort();
        if !foreign.is_empty() {
            return Err(WriteError::Foreign(shown(out), foreign.join(", ")));
        }
    }
    // Removed with everything in it on any early return (it is ours alone: fresh, mode 0700).
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(|e| io(&parent, e))?;
    let write_one = |file: &&str| -> Result<(), WriteError> {
        // Names come from netlink (fixed artifacts, or export paths of sanitized names); a
        // component that could leave the directory is refused all the same.
        if Path::new(file)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(WriteError::Io {
                path: shown(&tmp.path().join(file)),
                reason: "not a plain relative artifact name".to_string(),
            });
        }
        let path = tmp.path().join(file);
        if let Some(dir) = path.parent().filter(|d| *d != tmp.path()) {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        produce(file, &mut w).map_err(|e| io(&path, e))?;
        // No fsync: the swap below makes a killed build harmless, and artifacts are derived
        // files a rerun rewrites (a sync per file cost seconds at scale).
        w.into_inner().map_err(|e| io(&path, e.into_error()))?;
        Ok(())
    };
    // The first file (the plan, by far the largest) is written on a second thread while the
    // others are written here: two writers, not one per file, to keep memory down.
    match names.split_first() {
        None => Ok(()),
        Some((first, rest)) => std::thread::scope(|scope| {
            let big = scope.spawn(|| write_one(first));
            let others = rest.iter().try_for_each(write_one);
            // A panicking writer is a bug; it is reported as an I/O failure, not passed on.
            let big = big.join().unwrap_or_else(|_| {
                Err(WriteError::Io {
                    path: shown(out),
                    reason: "an artifact writer stopped unexpectedly".to_string(),
                })
            });
            big.and(others)
        }),
    }?;
    // The directory is readable like one `mkdir` makes (tempfile makes it 0700 while writing).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755));
    }
    fault_point("before-replace");
    if !out.exists() {
        fs::rename(tmp.path(), out).map_err(|e| io(out, e))?;
        // The directory is `out` now; nothing is left to remove.
        let _ = tmp.keep();
        return Ok(());
    }
    match exchange(tmp.path(), out) {
        Ok(()) => {
            fault_point("after-exchange");
            // `tmp` now holds the previous build: remove its files one by one, and the directory
            // if nothing else is in it.
            let old = tmp.keep();
            remove_ours(&old);
            Ok(())
        }
        Err(_) => {
            // No atomic swap here: move the old build aside, then the new one in.
            let aside = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)
                .map_err(|e| io(&parent, e))?
                .keep();
            let old = aside.join("previous");
            fs::rename(out, &old).map_err(|e| io(out, e))?;
            fault_point("between-renames");
            if let Err(e) = fs::rename(tmp.path(), out) {
                // Put the previous artifacts back.
                let _ = fs::rename(&old, out);
                let _ = fs::remove_dir(&aside);
                return Err(io(out, e));
            }
            let _ = tmp.keep();
            remove_ours(&old);
            let _ = fs::remove_dir(&aside);
            Ok(())
        }
    }
}

/// Under the lock no other build is writing beside `out`, so a `.<name>.tmp-*` or `.<name>.old-*`
/// directory there was left by a build that was killed: its artifacts are removed, and the
/// directory if nothing else is in it.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        // `file_type` does not follow links: a planted link named like ours is left alone.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && file.starts_with(&tmp) {
            remove_ours(&entry.path());
        } else if is_dir && file.starts_with(&old) {
            // `previous` inside it may be a planted link to someone else's directory: only a
            // real directory is emptied.
            let previous = entry.path().join("previous");
            if fs::symlink_metadata(&previous).is_ok_and(|m| m.is_dir()) {
                remove_ours(&previous);
            } else {
                let _ = fs::remove_file(&previous);
            }
            let _ = fs::remove_dir(entry.path());
        }
    }
}

/// Remove a directory netlink made, file by known file; anything else stays.
fn remove_ours(dir: &Path) {
    for name in ARTIFACTS {
        let _ = fs::remove_file(dir.join(name));
    }
    remove_export(&dir.join(TERRAFORM_DIR), 0);
    let _ = fs::remove_dir(dir);
}

/// Remove the files a Terraform export is made of (`*.tf.json`, `README.md`, `phase-N/`), and
/// its directories once empty. Links are not followed.
fn remove_export(dir: &Path, depth: u8) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() && (name.ends_with(".tf.json") || name == "README.md") {
            let _ = fs::remove_file(entry.path());
        } else if kind.is_dir() && depth == 0 && name.starts_with("phase-") {
            remove_export(&entry.path(), 1);
        }
    }
    let _ = fs::remove_dir(dir);
}
