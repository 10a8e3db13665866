//! Writing artifacts atomically: everything goes to a temporary directory beside `--out`, which
//! replaces `--out` only once every file is written. netlink never writes outside `--out` and
//! never deletes files it did not create.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files netlink writes; a directory holding anything else is not netlink's to replace.
pub const ARTIFACTS: &[&str] = &[
    "plan.json",
    "console.md",
    "routes.json",
    "whitelists.json",
    "security-groups.json",
    "jobs.json",
];

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
}

fn io(path: &Path, e: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
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

/// Like [`write_atomically`], with each file written by `produce` straight to its (buffered)
/// file, so no artifact needs to be held in memory whole.
pub fn write_each(
    out: &Path,
    names: &[&str],
    produce: impl Fn(&str, &mut dyn Write) -> std::io::Result<()> + Sync,
) -> Result<(), WriteError> {
    if out.exists() {
        let mut foreign: Vec<String> = fs::read_dir(out)
            .map_err(|e| io(out, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !ARTIFACTS.contains(&n.as_str()))
            .collect();
        foreign.sort();
        if !foreign.is_empty() {
            return Err(WriteError::Foreign(
                out.display().to_string(),
                foreign.join(", "),
            ));
        }
    }
    let tmp = sibling(out, "tmp");
    fs::create_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
    let write_one = |name: &&str| -> Result<(), WriteError> {
        let path = tmp.join(name);
        let f = fs::File::create(&path).map_err(|e| io(&path, e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        produce(name, &mut w).map_err(|e| io(&path, e))?;
        // No fsync: the rename below makes a killed build harmless, and artifacts are derived
        // files a rerun rewrites (a sync per file cost seconds at scale).
        w.into_inner().map_err(|e| io(&path, e.into_error()))?;
        Ok(())
    };
    // The first file (the plan, by far the largest) is written on a second thread while the
    // others are written here: two writers, not one per file, to keep memory down.
    let result = match names.split_first() {
        None => Ok(()),
        Some((first, rest)) => std::thread::scope(|scope| {
            let big = scope.spawn(|| write_one(first));
            let others = rest.iter().try_for_each(write_one);
            // A panicking writer is a bug; it is reported as an I/O failure, not passed on.
            let big = big.join().unwrap_or_else(|_| {
                Err(WriteError::Io {
                    path: out.display().to_string(),
                    reason: "an artifact writer stopped unexpectedly".to_string(),
                })
            });
            big.and(others)
        }),
    };
    if let Err(e) = result {
        remove_ours(&tmp);
        return Err(e);
    }
    if out.exists() {
        let old = sibling(out, "old");
        fs::rename(out, &old).map_err(|e| io(out, e))?;
        if let Err(e) = fs::rename(&tmp, out) {
            // Put the previous artifacts back.
            let _ = fs::rename(&old, out);
            remove_ours(&tmp);
            return Err(io(out, e));
        }
        remove_ours(&old);
    } else {
        fs::rename(&tmp, out).map_err(|e| io(out, e))?;
    }
    Ok(())
}

/// Remove a directory netlink made, file by known file; anything else stays.
fn remove_ours(dir: &Path) {
    for name in ARTIFACTS {
        let _ = fs::remove_file(dir.join(name));
    }
    let _ = fs::remove_dir(dir);
}
