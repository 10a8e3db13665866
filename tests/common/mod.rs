//! Helpers shared by the integration tests. Each test binary declares `mod common;` and uses
//! the few it needs, hence `dead_code` is allowed here: no binary uses every helper.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The crate's root (the manifest's directory), which holds `examples/`, `docs/` and `tests/`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `netlink` binary, run from the crate's root so that paths such as `examples/…` resolve.
/// Give it another `current_dir` to run it elsewhere.
pub fn netlink() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("netlink").unwrap();
    c.current_dir(root());
    c
}

/// Run `netlink <args>` from the crate's root and wait: what it wrote and how it exited.
pub fn run(args: &[&str]) -> Output {
    netlink().args(args).output().unwrap()
}

/// Run `netlink <args>` in `dir` and wait: what it wrote and how it exited.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    netlink().current_dir(dir).args(args).output().unwrap()
}

/// A fresh, empty scratch directory for one test: `netlink-<test binary>-<process id>-<name>`
/// in the system's temporary directory, emptied first if it is there already. `name` tells
/// apart the tests of one binary; the binary's name and the process id tell apart test
/// binaries and runs.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "netlink-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` (the Terraform export's subdirectories too): its path relative to
/// `dir` and its bytes, sorted by path. Panics when `dir` (or an entry) cannot be read.
pub fn dir_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        {
            let e = e.unwrap();
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// What a run wrote to standard output, as text (invalid UTF-8 replaced).
pub fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a run wrote to standard error, as text (invalid UTF-8 replaced).
pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Assert that a run exited with `code`; otherwise panic showing what it wrote to standard
/// error and to standard output.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr:\n{}\nstdout:\n{}",
        stderr_of(out),
        stdout_of(out)
    );
}

/// A project of one file held in memory, `name` holding `bytes`, read as `netlink::project`
/// reads a file on disk: invalid UTF-8 and masked secrets become `project.diagnostics`.
pub fn project_of(name: &str, bytes: impl Into<Vec<u8>>) -> netlink::project::Project {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, name.to_string(), bytes.into());
    project
}

/// Compile `text` as a project of one file named `name`, and return the sources too (to render
/// or emit with). The loading's own diagnostics are dropped: use `project_of` where they count.
pub fn compile_text(name: &str, text: &str) -> (netlink::Compiled, netlink::source::SourceMap) {
    let project = project_of(name, text);
    (
        netlink::compile_with(&project.sources, &project.policy),
        project.sources,
    )
}

/// Compile one file held in memory and render every diagnostic, the loading's and the
/// compiler's, for a person and as JSON: the path of the fuzz target `parse_check`. Returns
/// whether there was a diagnostic.
pub fn compile_and_render(name: &str, bytes: impl Into<Vec<u8>>) -> bool {
    let project = project_of(name, bytes);
    let compiled = netlink::compile_with(&project.sources, &project.policy);
    for d in project
        .diagnostics
        .iter()
        .chain(compiled.diagnostics.iter())
    {
        let _ = netlink::diagnostics::render_human(d, &project.sources, Default::default());
        let _ = netlink::diagnostics::render_json(d, &project.sources);
    }
    !(project.diagnostics.is_empty() && compiled.diagnostics.is_empty())
}

/// Every diagnostic's message, for a failure to show.
pub fn messages(c: &netlink::Compiled) -> Vec<&str> {
    c.diagnostics.iter().map(|d| d.message.as_str()).collect()
}

/// The model and the plan of a compilation that must have planned; otherwise panic with
/// "`what` did not plan" and every diagnostic's message.
#[track_caller]
pub fn planned<'a>(
    c: &'a netlink::Compiled,
    what: &str,
) -> (&'a netlink::model::Model, &'a netlink::plan::Plan) {
    match (&c.model, &c.plan) {
        (Some(model), Some(plan)) => (model, plan),
        _ => panic!("{what} did not plan: {:?}", messages(c)),
    }
}
