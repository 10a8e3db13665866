//! Fuzz regressions: every input the fuzzers (`fuzz/`, see docs/fuzzing.md) ever found, run
//! through the same code path as the target that found it, plus every seed of the fuzz corpora
//! through both paths (a smoke test that the seeds themselves never panic).
//!
//! A finding lives in `tests/fuzz_regressions/<target>-<short-name>.bin`, where `<target>` is
//! `parse_check`, `build_artifacts`, `fmt_roundtrip` or `hostile_strings`; the file holds the minimised input's bytes as they are.
//! docs/fuzzing.md says what each one found. Each input runs on its own thread with a time
//! limit, so an input that once hung the compiler fails here instead of hanging the test run,
//! on a stack as large as the main thread's under libFuzzer (8 MiB).
//!
//! Stack-depth findings depend on frame sizes, so they reproduce in an optimised build: run
//! `cargo test --release --test fuzz_regressions` as well. (pest 2.7 has no stack guard of its
//! own: netlink's brace-depth check, `MAX_DEPTH`, is what stops deep input before pest runs;
//! `column0_nesting_past_max_depth_is_an_error` checks it in any build.)

mod common;

use common::{compile_and_render, project_of, root};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The fuzz target `parse_check`: bytes → project → compile → every diagnostic rendered.
/// Returns whether there was a diagnostic.
fn parse_check(data: &[u8]) -> bool {
    compile_and_render("f.netlink", data)
}

/// The fuzz target `build_artifacts`: bytes → compile → with a plan, every output.
/// Returns whether there was a plan (the emitters ran).
fn build_artifacts(data: &[u8]) -> bool {
    let project = project_of("f.netlink", data);
    let compiled = netlink::compile(&project.sources);
    if let (Some(model), Some(plan)) = (&compiled.model, &compiled.plan) {
        let _ = netlink::emit::artifacts(model, plan, &compiled.proofs, &project.sources);
        let _ = netlink::emit::plan_markdown(model, plan, &compiled.proofs);
        let _ = netlink::emit::steps_dot(model, plan);
        let _ = netlink::emit::topology_dot(model);
        for proof in &compiled.proofs {
            let _ = netlink::verify::trace_text(model, proof);
        }
        true
    } else {
        false
    }
}

/// The fuzzers give up on an input after 10 s (an instrumented release build). A test build is
/// slower, but every seed takes milliseconds and a fixed finding well under a second, so 20 s
/// still tells a hang (finding `parse_check-one-line-stray-braces` takes minutes) from slowness.
const LIMIT: Duration = Duration::from_secs(20);

/// The main thread's stack under libFuzzer (the default `ulimit -s`).
const STACK: usize = 8 * 1024 * 1024;

/// Run `target` over the bytes of `path` on a thread; `Ok` holds what the target returned,
/// `Err` says why it failed.
fn run(target: fn(&[u8]) -> bool, path: &Path) -> Result<bool, String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(path.display().to_string())
        .stack_size(STACK)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| target(&data));
            let _ = tx.send(outcome.ok());
        })
        .map_err(|e| format!("cannot spawn: {e}"))?;
    match rx.recv_timeout(LIMIT) {
        Ok(Some(reached)) => Ok(reached),
        Ok(None) => Err("panicked (message above)".into()),
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

/// Run every path through `target`; fail naming every path that failed. Returns how many
/// inputs the target reported as reaching its last stage.
fn run_all(what: &str, target: fn(&[u8]) -> bool, paths: &[PathBuf]) -> usize {
    let mut reached = 0;
    let mut failures = Vec::new();
    for p in paths {
        match run(target, p) {
            Ok(r) => reached += usize::from(r),
            Err(why) => failures.push(format!("  {}: {why}", p.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of {} inputs failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
    reached
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
            && !name.starts_with("fmt_roundtrip-")
            && !name.starts_with("hostile_strings-")
    });
    assert!(
        strays.is_empty(),
        "findings with no target prefix: {strays:?}"
    );
}

#[test]
fn parse_check_findings() {
    run_all(
        "parse_check findings",
        parse_check,
        &findings("parse_check"),
    );
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
    let seeds = seeds();
    let with_diagnostics = run_all("seeds through parse_check", parse_check, &seeds);
    // The corpus's `fail/` seeds must reach the renderers, or this test renders nothing.
    assert!(with_diagnostics > 0, "no seed produced a diagnostic");
}

#[test]
fn seeds_through_build_artifacts() {
    let seeds = seeds();
    let planned = run_all("seeds through build_artifacts", build_artifacts, &seeds);
    // Every seed of `fuzz/seeds/build_artifacts` was chosen for having a plan; if none has one
    // now, the emitters go untested here (and the seeds need renewing: docs/fuzzing.md).
    assert!(
        planned > 0,
        "no seed produced a plan: the emitters ran on nothing"
    );
    eprintln!("{planned} of {} seeds reached the emitters", seeds.len());
}

/// Finding `parse_check-column0-nesting` (fixed in 5d68dad): blocks nested deeper than
/// `syntax::MAX_DEPTH` with every header at column 0 were cut apart by the recovery heuristic,
/// each piece looked one deep, the depth guard (NL0004) passed, the whole file went to pest, and
/// `syntax::lower::block` recursed once per level: thousands of levels overflowed the stack (in
/// an optimised build; see the module doc). Even 40 levels passed the parse stage with no
/// diagnostic. Nesting past the limit must be an error of the parse stage, as when indented.
#[test]
fn column0_nesting_past_max_depth_is_an_error() {
    let depth = netlink::syntax::MAX_DEPTH + 8;
    for text in [
        format!("{}{}", "a{\n".repeat(depth), "}".repeat(depth)),
        format!("{}{}", "vpc v {\n".repeat(depth), "}\n".repeat(depth)),
    ] {
        let project = project_of("f.netlink", text.as_str());
        let (_, diags) = netlink::parse(&project.sources);
        assert!(
            diags.iter().any(netlink::diagnostics::Diagnostic::is_error),
            "{depth} levels of column-0 nesting passed the parse stage with no error: {:?}",
            &text[..24]
        );
    }
}

/// The fuzz targets `fmt_roundtrip` and `hostile_strings` over their findings, and
/// `hostile_strings` over the strings of issue 10 (each once made markup of a PR comment).
#[test]
fn fmt_and_writer_findings() {
    let fmt = findings("fmt_roundtrip");
    run_all("fmt_roundtrip findings", wrap_fmt, &fmt);
    run_all("fmt_roundtrip on the seeds", wrap_fmt, &seeds());
    run_all(
        "hostile_strings findings",
        wrap_hostile,
        &findings("hostile_strings"),
    );
    for s in [
        "AliyunDataWorksAccessingRdsRole\n\n<!--",
        "x\n```\n## account evil\n| a | b |\n+  99. Delete ALL data",
        "<img src=x onerror=alert(1)> @octocat </details>",
        "\u{1b}[2K\u{1b}[1A\u{202e}erased ~~~",
        "````` ` `` \\\" \r\n- [ ] * > #",
    ] {
        assert!(
            netlink::fuzzing::hostile_strings(s.as_bytes()),
            "{s:?} did not reach the writers"
        );
    }
}

fn wrap_fmt(data: &[u8]) -> bool {
    netlink::fuzzing::fmt_roundtrip(data)
}

fn wrap_hostile(data: &[u8]) -> bool {
    netlink::fuzzing::hostile_strings(data)
}
