//! Every command reports what it could not read or write instead of going on without it.

mod common;

use common::{assert_exit, run, scratch, stderr_of};

/// Run `netlink <args>` from the crate's root with its stdout on `/dev/full`.
#[cfg(target_os = "linux")]
fn run_into_full_disk(args: &[&str]) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    std::process::Command::new(assert_cmd::cargo::cargo_bin("netlink"))
        .current_dir(common::root())
        .args(args)
        .stdout(full)
        .output()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_an_error() {
    let out = run_into_full_disk(&["plan", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&out, 2);
    assert!(
        stderr_of(&out).contains("cannot write to stdout"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn port_zero_is_no_port() {
    let out = run(&[
        "trace",
        "examples/dataworks_cross_account_peering.netlink",
        "--from",
        "dw_rg",
        "--to",
        "mysql_source:0",
    ]);
    assert_exit(&out, 2);
    assert!(stderr_of(&out).contains("is not a port (1-65535)"));
}

#[test]
fn trace_and_graph_refuse_a_project_with_unreadable_files() {
    let dir = scratch("unreadable");
    std::fs::copy(
        common::root().join("examples/dataworks_cross_account_peering.netlink"),
        dir.join("a.netlink"),
    )
    .unwrap();
    // Not UTF-8 (NL0003), and a stray brace that breaks no named block (NL0001).
    std::fs::write(dir.join("b.netlink"), b"# \xff\xfe\n").unwrap();
    for args in [
        &["trace", dir.to_str().unwrap(), "sync_orders"][..],
        &["graph", dir.to_str().unwrap()],
        &["graph", "--topology", dir.to_str().unwrap()],
    ] {
        let out = run(args);
        assert_exit(&out, 1);
        assert!(
            stderr_of(&out).contains("NL0003"),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
    std::fs::write(dir.join("b.netlink"), "}\n").unwrap();
    let out = run(&["graph", "--topology", dir.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert!(stderr_of(&out).contains("NL0001"), "{}", stderr_of(&out));
}

#[test]
fn a_file_just_over_the_limit_says_how_large_it_is() {
    let dir = scratch("just-over");
    let file = dir.join("big.netlink");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(16 * 1024 * 1024 + 1).unwrap();
    let out = run(&["check", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert!(
        stderr_of(&out).contains("is 16777217 bytes, over the 16 MiB limit"),
        "{}",
        stderr_of(&out)
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_never_read() {
    use std::os::unix::fs::symlink;
    let dir = scratch("special");
    std::fs::write(
        dir.join("a.netlink"),
        "account a { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    symlink("/dev/zero", dir.join("zz.netlink")).unwrap();
    let fifo = dir.join("x.netlink");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // Bounded in time too: a FIFO must not block the open.
    let start = std::time::Instant::now();
    let out = run(&["check", dir.to_str().unwrap()]);
    assert!(start.elapsed().as_secs() < 20);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(
        err.contains("error[NL0009]") && err.contains("is a FIFO, not a file"),
        "{err}"
    );
    // A link to a device leads out of the project (NL0010); named directly, it is a device.
    assert!(err.contains("zz.netlink` is a symbolic link"), "{err}");
    let out = run(&["check", dir.join("zz.netlink").to_str().unwrap()]);
    assert_exit(&out, 1);
    assert!(
        stderr_of(&out).contains("is a device, not a file"),
        "{}",
        stderr_of(&out)
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = scratch("links-out");
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("a.netlink"),
        "account a { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    std::fs::write(dir.join("secret.netlink"), "TOKEN_FROM_OUTSIDE = 1\n").unwrap();
    symlink("../secret.netlink", project.join("pw.netlink")).unwrap();
    symlink("a.netlink", project.join("inside.netlink")).unwrap();
    symlink("/", project.join("root")).unwrap();
    let out = run(&["check", project.to_str().unwrap()]);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(err.contains("error[NL0010]"), "{err}");
    assert!(err.contains("pw.netlink` is a symbolic link"), "{err}");
    assert!(!err.contains("TOKEN_FROM_OUTSIDE"), "{err}");
    // The link inside the project is the same file as `a.netlink`: read once. The link to `/`
    // is not walked.
    assert!(err.contains("checked 2 files"), "{err}");
}

#[test]
fn a_file_of_many_errors_shows_the_first_thousand_and_counts_the_rest() {
    let dir = scratch("many-errors");
    std::fs::write(dir.join("braces.netlink"), "}\n".repeat(1500)).unwrap();
    let path = dir.join("braces.netlink");
    let out = run(&["check", "--error-format", "json", path.to_str().unwrap()]);
    assert_exit(&out, 1);
    let diags: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(diags.len(), 1001, "{}", diags.len());
    let last = diags.last().unwrap();
    assert_eq!(last["code"], "NL0011");
    assert_eq!(last["severity"], "error");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .starts_with("500 more diagnostics"),
        "{last}"
    );
    // At the end of the file, after everything shown.
    assert_eq!(last["line"], 1501, "{last}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_of_completions_or_man_is_an_error() {
    for args in [&["completions", "bash"][..], &["man"][..]] {
        let out = run_into_full_disk(args);
        assert_exit(&out, 2);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_of_checks_report_is_an_error() {
    for format in ["json", "sarif", "github"] {
        let out = run_into_full_disk(&[
            "check",
            "--error-format",
            format,
            "tests/corpus/fail/NL3103_sync_over_internet.netlink",
        ]);
        assert_exit(&out, 2);
    }
}

#[cfg(unix)]
#[test]
fn a_linked_netlink_toml_is_refused_and_never_shown() {
    let dir = scratch("toml-link");
    let outside = scratch("toml-link-target");
    std::fs::write(
        outside.join("hosts.yml"),
        "oauth_token: ghp_0123456789abcdefSECRET\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("hosts.yml"), dir.join("netlink.toml")).unwrap();
    std::fs::write(
        dir.join("a.netlink"),
        "account a { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    let out = common::run_in(&dir, &["check", "."]);
    assert_exit(&out, 2);
    let all = common::stdout_of(&out) + &stderr_of(&out);
    assert!(all.contains("symbolic link"), "{all}");
    assert!(!all.contains("SECRET"), "{all}");
}

#[test]
fn fmt_masks_credentials_in_syntax_errors() {
    let dir = scratch("fmt-secret");
    std::fs::write(
        dir.join("a.netlink"),
        "account a { uid = \"1234567890123456\" LTAI5tQ8mZxWvR3nB7kP2sYd }\n",
    )
    .unwrap();
    let out = common::run_in(&dir, &["fmt", "--check", "a.netlink"]);
    assert_exit(&out, 1);
    let all = common::stdout_of(&out) + &stderr_of(&out);
    assert!(!all.contains("5tQ8mZxWvR3nB7kP2sYd"), "{all}");
}

#[cfg(unix)]
#[test]
fn stale_directories_are_cleaned_without_following_links() {
    let dir = scratch("stale-link");
    let victim = scratch("stale-link-victim");
    std::fs::write(victim.join("plan.json"), "theirs").unwrap();
    let old = dir.join(".out.old-999999");
    std::fs::create_dir_all(&old).unwrap();
    std::os::unix::fs::symlink(&victim, old.join("previous")).unwrap();
    let out = common::run_in(
        &common::root(),
        &[
            "build",
            "examples/dataworks_same_region.netlink",
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read_to_string(victim.join("plan.json")).unwrap(),
        "theirs"
    );
}
