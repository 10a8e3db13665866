//! `build --out`: nothing written outside it, never through a planted path or a link, old or new
//! at every instant, and concurrent builds that take turns.

mod common;

use common::{assert_exit, netlink, scratch};
use std::path::Path;
use std::process::Command;

const EXAMPLE: &str = "examples/dataworks_cross_account_peering.netlink";
const OTHER: &str = "examples/dataworks_same_region.netlink";

fn build(out: &Path, example: &str) -> std::process::Output {
    netlink()
        .args(["build", example, "--out"])
        .arg(out)
        .output()
        .unwrap()
}

/// `out` holds one whole build: the six artifacts and the Terraform export, `plan.json` complete
/// JSON of one example.
fn assert_whole(out: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.contains(&"terraform".to_string()), "{names:?}");
    assert!(out.join("terraform/README.md").is_file());
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    plan["flows"][0]["name"].as_str().unwrap().to_string()
}

/// Entries of `dir` other than the ones named.
fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
    let mut left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect();
    left.sort();
    left
}

#[cfg(unix)]
#[test]
fn a_planted_temp_directory_is_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = scratch("planted");
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::write(dir.join("home/rc"), "mine\n").unwrap();
    // The old fixed name `.out.tmp-<pid>`, planted for many pids: never written through (a
    // stale-looking directory is only emptied of netlink's own file names, and a link is a
    // file name: removing it never touches its target).
    for pid in 1..200 {
        let planted = dir.join(format!(".out.tmp-{pid}"));
        std::fs::create_dir_all(&planted).unwrap();
        symlink("../home/rc", planted.join("console.md")).unwrap();
    }
    let out = build(&dir.join("out"), EXAMPLE);
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("home/rc")).unwrap(),
        "mine\n"
    );
    assert_whole(&dir.join("out"));
}

#[cfg(unix)]
#[test]
fn out_as_a_link_is_refused_and_left_alone() {
    use std::os::unix::fs::symlink;
    let dir = scratch("out-link");
    let first = build(&dir.join("real"), EXAMPLE);
    assert_exit(&first, 0);
    symlink("real", dir.join("link")).unwrap();
    let out = build(&dir.join("link"), OTHER);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert!(std::fs::symlink_metadata(dir.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(assert_whole(&dir.join("real")), "sync_orders");
    assert_eq!(leftovers(&dir, &["real", "link"]), Vec::<String>::new());
}

#[test]
fn out_that_names_no_directory_is_refused_without_leftovers() {
    let dir = scratch("out-dot");
    std::fs::create_dir_all(dir.join("x")).unwrap();
    for out in [".", "x/..", "/"] {
        let o = netlink()
            .current_dir(&dir)
            .args(["build"])
            .arg(common::root().join(EXAMPLE))
            .args(["--out", out])
            .output()
            .unwrap();
        assert_exit(&o, 2);
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("cannot be the output directory"),
            "{out}"
        );
    }
    assert_eq!(leftovers(&dir, &["x"]), Vec::<String>::new());
    assert_eq!(leftovers(&dir.join("x"), &[]), Vec::<String>::new());
}

#[test]
fn concurrent_builds_take_turns() {
    let dir = scratch("concurrent");
    let out = dir.join("out");
    let bin = assert_cmd::cargo::cargo_bin("netlink");
    let children: Vec<_> = (0..50)
        .flat_map(|_| [EXAMPLE, OTHER])
        .map(|example| {
            Command::new(&bin)
                .current_dir(common::root())
                .args(["build", example, "--out"])
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "a concurrent build failed: {}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let flow = assert_whole(&out);
    assert!(flow == "sync_orders" || flow == "sync_crm", "{flow}");
    assert_eq!(leftovers(&dir, &["out"]), Vec::<String>::new());
}

/// Kill a test build at `point` (see `fault_point` in `src/emit/write.rs`); `out` must hold the
/// old build or the new one, whole.
#[cfg(unix)]
fn killed_at(point: &str) {
    let dir = scratch(&format!("killed-{point}"));
    let out = dir.join("out");
    assert_exit(&build(&out, OTHER), 0);
    let ready = dir.join("ready");
    let bin = assert_cmd::cargo::cargo_bin("netlink");
    let mut child = Command::new(&bin)
        .current_dir(common::root())
        .env("NETLINK_FAULT_PAUSE", point)
        .env("NETLINK_FAULT_READY", &ready)
        .args(["build", EXAMPLE, "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !ready.exists() {
        assert!(start.elapsed().as_secs() < 30, "{point} never reached");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    let flow = assert_whole(&out);
    assert!(
        flow == "sync_orders" || flow == "sync_crm",
        "{point}: {flow}"
    );
    // The next build still works and removes what the killed one left.
    assert_exit(&build(&out, EXAMPLE), 0);
    assert_eq!(assert_whole(&out), "sync_orders");
    assert_eq!(
        leftovers(&dir, &["out", "ready"]),
        Vec::<String>::new(),
        "{point}"
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_anywhere_leaves_old_or_new() {
    for point in ["before-replace", "after-exchange"] {
        killed_at(point);
    }
}
