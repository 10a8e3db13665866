//! The GitHub Actions workflow in `docs/ci.md`, run on this repository's own examples: every
//! `run:` step of the first `yaml` block (the install step aside), with `network/` replaced by
//! `examples/` and the base branch by `HEAD`, in a git repository holding a copy of the
//! examples. Then what the sticky-comment action would post is checked. Skipped, and said so,
//! where `bash` or `git` is missing.

mod common;

use common::{root, scratch};
use std::path::Path;
use std::process::Command;

/// The `run:` commands of the first ```yaml block, in order.
fn run_steps(doc: &str) -> Vec<String> {
    let start = doc.find("```yaml\n").expect("docs/ci.md has a yaml block") + 8;
    let end = start + doc[start..].find("\n```").expect("the yaml block ends");
    let lines: Vec<&str> = doc[start..end].lines().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        i += 1;
        let Some(command) = trimmed.strip_prefix("run:") else {
            continue;
        };
        let command = command.trim();
        if command != "|" {
            steps.push(command.to_string());
            continue;
        }
        // The block is every following line indented deeper than the key, less the first
        // line's indentation.
        let indent = line.len() - trimmed.len();
        let indent_of = |l: &str| l.len() - l.trim_start().len();
        let mut block = String::new();
        let mut strip = None;
        while i < lines.len() {
            let l = lines[i];
            if !l.trim().is_empty() && indent_of(l) <= indent {
                break;
            }
            let cut = *strip.get_or_insert(indent_of(l));
            block.push_str(l.get(cut..).unwrap_or("").trim_end());
            block.push('\n');
            i += 1;
        }
        steps.push(block);
    }
    steps
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=ci", "-c", "user.email=ci@example.invalid"])
        .args(args)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn the_documented_workflow_passes_on_the_examples() {
    if !have("bash") || !have("git") {
        eprintln!("SKIPPED: the workflow test needs bash and git");
        return;
    }
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let steps = run_steps(&doc);
    assert!(steps.len() >= 4, "{steps:?}");
    let dir = scratch("workflow");
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("examples").join(path.file_name().unwrap())).unwrap();
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "examples"]);
    let bin = assert_cmd::cargo::cargo_bin("netlink");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for step in &steps {
        if step.starts_with("cargo install") {
            continue;
        }
        let script = step
            .replace("network/", "examples/")
            .replace("\"origin/${{ github.base_ref }}\"", "HEAD");
        assert!(!script.contains("${{"), "unreplaced expression: {script}");
        // As GitHub runs a `run:` step on Linux: `bash -e`.
        let out = Command::new("bash")
            .current_dir(&dir)
            .env("PATH", &path)
            .env_remove("NO_COLOR")
            .args(["--noprofile", "--norc", "-e", "-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "step failed: {script}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 4);
    // What the upload step would read.
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("netlink.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // What the sticky-comment step would post.
    let comment = std::fs::read_to_string(dir.join("comment.md")).unwrap();
    assert!(
        comment.starts_with("<!-- netlink-plan -->\n"),
        "{comment:.200}"
    );
    assert!(comment.contains("## netlink diff") && comment.contains("## netlink plan"));
    assert!(comment.chars().count() < 65_536, "{}", comment.len());
}

#[test]
fn the_steps_are_read_as_written() {
    let doc = "```yaml\nsteps:\n  - run: a b\n  - run: |\n      x\n      y\n  - name: z\n```\n";
    assert_eq!(
        run_steps(doc),
        vec!["a b".to_string(), "x\ny\n".to_string()]
    );
}
