//! Fuzz regressions: every input the fuzzers (`fuzz/`, see docs/fuzzing.md) ever found, run
//! through the same code path as the target that found it, plus every seed of the fuzz corpora
//! through both paths (a smoke test that the seeds themselves never panic).
//!
//! A finding lives in `tests/fuzz_regressions/<target>-<short-name>.bin`, where `<target>` is
//! `parse_check` or `build_artifacts`; the file holds the minimised bytes exactly as libFuzzer
//! wrote them. Each input runs on its own thread with a time limit, so an input that once hung
//! the compiler fails here instead of hanging the test run.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The fuzz target `parse_check`: bytes → project → compile → every diagnostic rendered.
fn parse_check(data: &[u8]) {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, "f.netlink".into(), data.to_vec());
    let compiled = netlink::compile(&project.sources);
    for d in project.diagnostics.iter().chain(compiled.diagnostics.iter()) {
        let _ = netlink::diagnostics::render_human(d, &project.sources, Default::default());
        let _ = netlink::diagnostics::render_json(d, &project.sources);
    }
}

/// The fuzz target `build_artifacts`: bytes → compile → with a plan, every output.
fn build_artifacts(data: &[u8]) {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, "f.netlink".into(), data.to_vec());
    let compiled = netlink::compile(&project.sources);
    if let (Some(model), Some(plan)) = (&compiled.model, &compiled.plan) {
        let _ = netlink::emit::artifacts(model, plan, &project.sources);
        let _ = netlink::emit::plan_markdown(model, plan, &compiled.proofs);
        let _ = netlink::emit::steps_dot(model, plan);
        let _ = netlink::emit::topology_dot(model);
        for proof in &compiled.proofs {
            let _ = netlink::verify::trace_text(model, proof);
        }
    }
}

/// The fuzzers give up on an input after 10 s of a release build; a test build is slower.
const LIMIT: Duration = Duration::from_secs(60);

/// Run `target` over the bytes of `path` on a thread; `Err` says why it failed.
fn run(target: fn(&[u8]), path: &Path) -> Result<(), String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(path.display().to_string())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| target(&data));
            let _ = tx.send(outcome.is_ok());
        })
        .map_err(|e| format!("cannot spawn: {e}"))?;
    match rx.recv_timeout(LIMIT) {
        Ok(true) => Ok(()),
        Ok(false) => Err("panicked (message above)".into()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("still running after {LIMIT:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("thread died".into()),
    }
}

fn files(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && keep(p))
        .collect();
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run every path through `target`; fail naming every path that failed.
fn run_all(what: &str, target: fn(&[u8]), paths: &[PathBuf]) {
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| run(target, p).err().map(|why| format!("  {}: {why}", p.display())))
        .collect();
    assert!(
        failures.is_empty(),
        "{what}: {} of {} inputs failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// The findings saved for one target: `tests/fuzz_regressions/<target>-*.bin`.
fn findings(target: &str) -> Vec<PathBuf> {
    let prefix = format!("{target}-");
    files(&root().join("tests/fuzz_regressions"), |p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with(&prefix) && name.ends_with(".bin")
    })
}

/// Every seed of both fuzz corpora.
fn seeds() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for target in ["parse_check", "build_artifacts"] {
        all.extend(files(&root().join("fuzz/seeds").join(target), |_| true));
    }
    assert!(!all.is_empty(), "the fuzz seed corpora are empty");
    all
}

#[test]
fn every_finding_file_names_a_target() {
    let strays = files(&root().join("tests/fuzz_regressions"), |p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with(".bin")
            && !name.starts_with("parse_check-")
            && !name.starts_with("build_artifacts-")
    });
    assert!(strays.is_empty(), "findings with no target prefix: {strays:?}");
}

#[test]
fn parse_check_findings() {
    run_all("parse_check findings", parse_check, &findings("parse_check"));
}

#[test]
fn build_artifacts_findings() {
    // A finding of the build target goes through the parse path too: both must hold.
    let found = findings("build_artifacts");
    run_all("build_artifacts findings", build_artifacts, &found);
    run_all("build_artifacts findings (parse path)", parse_check, &found);
}

#[test]
fn seeds_through_parse_check() {
    run_all("seeds through parse_check", parse_check, &seeds());
}

#[test]
fn seeds_through_build_artifacts() {
    run_all("seeds through build_artifacts", build_artifacts, &seeds());
}
