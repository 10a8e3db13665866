//! What a reviewer relies on: `diff` sees every change to what a flow does, `--base` reads any
//! file name git holds, documents and diagnostics never share a stream, exit codes as
//! documented, and a directory is walked as git sees it.

mod common;

use common::{assert_exit, root, run, run_in, scratch, stderr_of, stdout_of};
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args([
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
}

#[test]
fn a_port_moved_on_target_and_flow_is_a_change() {
    let dir = scratch("port-change");
    let old = example("dataworks_same_region.netlink");
    let new = old
        .replace(
            "  engine  = mysql\n}",
            "  engine  = mysql\n  port    = 3307\n}",
        )
        .replace("crm_db:3306", "crm_db:3307");
    assert_ne!(old, new);
    std::fs::write(dir.join("old.netlink"), &old).unwrap();
    std::fs::write(dir.join("new.netlink"), &new).unwrap();
    let out = run_in(&dir, &["diff", "old.netlink", "new.netlink"]);
    assert_exit(&out, 3);
    let text = stdout_of(&out);
    assert!(text.contains("~ flow sync_crm"), "{text}");
    assert!(text.contains(r#"ports: ["3306"] → ["3307"]"#), "{text}");
    // Layout only: no change.
    std::fs::write(dir.join("moved.netlink"), format!("# a comment\n\n{old}")).unwrap();
    let same = run_in(&dir, &["diff", "old.netlink", "moved.netlink"]);
    assert_exit(&same, 0);
}

#[test]
fn added_steps_show_account_console_and_values() {
    let dir = scratch("added-steps");
    std::fs::write(
        dir.join("one.netlink"),
        "account a { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    let out = run_in(
        &dir,
        &[
            "diff",
            "one.netlink",
            root()
                .join("examples/dataworks_cross_account_peering.netlink")
                .to_str()
                .unwrap(),
        ],
    );
    assert_exit(&out, 3);
    let text = stdout_of(&out);
    assert!(
        text.contains("+ step peering.hz_to_sh.accept  Accept peering `hz_to_sh` in `account_b_shanghai_vpc`'s account  [account `account_b`, VPC console, cn-shanghai]"),
        "{text}"
    );
    assert!(
        text.contains("        value `peering connection`: (known after peering.hz_to_sh.create)"),
        "{text}"
    );
    assert!(
        text.contains("+ flow sync_orders  `dw_rg` → `mysql_source` on 3306"),
        "{text}"
    );
}

#[test]
fn base_reads_names_git_would_quote() {
    let dir = scratch("git-quoted");
    let net = dir.join("network");
    std::fs::create_dir_all(&net).unwrap();
    std::fs::write(
        net.join("数据.netlink"),
        example("dataworks_cross_account_peering.netlink"),
    )
    .unwrap();
    std::fs::write(
        net.join("a\"q b.netlink"),
        example("maxcompute_internet.netlink"),
    )
    .unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "base"]);
    let same = run_in(&dir, &["diff", "--base", "HEAD", "network/"]);
    assert_exit(&same, 0);
    assert!(
        stdout_of(&same).contains("No changes"),
        "{}",
        stdout_of(&same)
    );
    git(
        &dir,
        &["rm", "-q", "network/数据.netlink", "network/a\"q b.netlink"],
    );
    std::fs::create_dir_all(&net).unwrap();
    std::fs::write(
        net.join("rest.netlink"),
        "account x { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    let gone = run_in(&dir, &["diff", "--base", "HEAD", "network/"]);
    assert_exit(&gone, 3);
    let text = stdout_of(&gone);
    assert!(text.contains("- step peering.hz_to_sh.accept"), "{text}");
    assert!(text.contains("- flow sync_orders"), "{text}");
    // `--detailed-exitcode`: 2 for changes, as `terraform plan -detailed-exitcode`.
    let detailed = run_in(
        &dir,
        &["diff", "--detailed-exitcode", "--base", "HEAD", "network/"],
    );
    assert_exit(&detailed, 2);
    // A revision is never an option of git's.
    let option = run_in(&dir, &["diff", "--base=--output=x", "network/"]);
    assert_exit(&option, 2);
    assert!(
        stderr_of(&option).contains("is not a git revision"),
        "{}",
        stderr_of(&option)
    );
    assert!(!dir.join("x").exists());
    let detailed = run_in(
        &dir,
        &[
            "diff",
            "--detailed-exitcode",
            "--base=--full-tree",
            "network/",
        ],
    );
    assert_exit(&detailed, 1);
}

#[test]
fn a_document_never_carries_diagnostics() {
    let path = "tests/corpus/fail/NL3103_sync_over_internet.netlink";
    for format in ["sarif", "json"] {
        let out = run(&[
            "plan",
            "--format",
            "markdown",
            "--error-format",
            format,
            path,
        ]);
        assert_exit(&out, 0);
        let md = stdout_of(&out);
        assert!(
            md.starts_with("<!-- netlink-plan -->\n"),
            "{format}: {md:.200}"
        );
        assert!(
            !md.contains("\"ruleId\"") && !md.contains("\"code\""),
            "{format}"
        );
        assert!(
            stderr_of(&out).contains("NL3103"),
            "{format}: diagnostics on stderr"
        );
    }
    let json = run(&["plan", "--format", "json", "--error-format", "json", path]);
    assert_exit(&json, 0);
    let plan: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("stdout is plan.json");
    assert_eq!(plan["format_version"], "1.0");
    // `check`'s document is its diagnostics.
    let check = run(&["check", "--error-format", "sarif", path]);
    let sarif: serde_json::Value = serde_json::from_slice(&check.stdout).expect("stdout is SARIF");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn plan_json_on_stdout_is_the_built_artifact() {
    let dir = scratch("plan-json");
    let path = "examples/dataworks_cross_account_peering.netlink";
    let out = run(&["plan", "--format", "json", path]);
    assert_exit(&out, 0);
    let build = run(&["build", path, "--out", dir.join("out").to_str().unwrap()]);
    assert_exit(&build, 0);
    assert_eq!(
        out.stdout,
        std::fs::read(dir.join("out/plan.json")).unwrap()
    );
}

#[test]
fn a_directory_is_walked_as_git_sees_it() {
    let dir = scratch("walk");
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::create_dir_all(dir.join("target")).unwrap();
    std::fs::write(
        dir.join("ok.netlink"),
        "account a { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    std::fs::write(dir.join(".hidden/broken.netlink"), "}}}").unwrap();
    std::fs::write(dir.join("target/broken.netlink"), "}}}").unwrap();
    std::fs::write(dir.join(".gitignore"), "target/\n").unwrap();
    git(&dir, &["init", "-q"]);
    // No path: the current directory.
    let out = run_in(&dir, &["check"]);
    assert_exit(&out, 0);
    assert!(
        stderr_of(&out).contains("checked 1 file"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let path = "examples/dataworks_cross_account_peering.netlink";
    let esc = |out: &std::process::Output| out.stdout.contains(&0x1b);
    let plain = run(&["plan", path]);
    assert!(!esc(&plain), "not a terminal: no colour");
    let always = run(&["--color", "always", "plan", path]);
    assert!(esc(&always));
    assert!(stdout_of(&always).contains("\u{1b}[32m  +   2. Create peering"));
    // `--color` is global: after the subcommand too, on every command.
    for args in [
        &["plan", path, "--color", "always"][..],
        &[
            "diff",
            path,
            "examples/dataworks_same_region.netlink",
            "--color",
            "always",
        ],
        &["trace", path, "sync_orders", "--color", "always"],
    ] {
        assert!(esc(&run(args)), "{args:?}");
    }
    let never = common::netlink()
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never", "plan", path])
        .output()
        .unwrap();
    assert!(!esc(&never));
    let forced = common::netlink()
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .args(["plan", path])
        .output()
        .unwrap();
    assert!(esc(&forced), "CLICOLOR_FORCE colours a pipe");
    for out in [&plain, &never] {
        assert_exit(out, 0);
    }
}

#[test]
fn diagnostics_wrap_at_the_terminal_width() {
    let narrow = common::netlink()
        .env("COLUMNS", "60")
        .args([
            "check",
            "tests/corpus/fail/NL3103_sync_over_internet.netlink",
        ])
        .output()
        .unwrap();
    let text = stderr_of(&narrow);
    assert!(text.contains("NL3103"), "{text}");
    for line in text.lines().filter(|l| l.trim_start().starts_with("help:")) {
        assert!(line.chars().count() <= 60, "wider than 60: {line:?}");
    }
    let wide = common::netlink()
        .env("COLUMNS", "200")
        .args([
            "check",
            "tests/corpus/fail/NL3103_sync_over_internet.netlink",
        ])
        .output()
        .unwrap();
    assert!(
        stderr_of(&wide).lines().count() < text.lines().count(),
        "a wide terminal wraps less"
    );
}
