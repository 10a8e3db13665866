//! Limits end in diagnostics, never a crash; a build killed mid-write leaves `--out` whole.

mod common;

use common::{assert_exit, dir_contents, netlink, scratch, stderr_of, stdout_of};
use std::fs;
use std::path::Path;
use std::time::Duration;

#[test]
fn a_file_over_the_size_limit_is_a_diagnostic() {
    let dir = scratch("big");
    let file = dir.join("huge.netlink");
    // Sparse: no 16 MiB written to disk.
    fs::File::create(&file)
        .unwrap()
        .set_len(netlink::limits::MAX_FILE_BYTES + 1)
        .unwrap();
    fs::write(
        dir.join("ok.netlink"),
        "account acme { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    let out = netlink()
        .args(["check", "--error-format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"code\":\"NL0006\""), "{text}");
}

#[test]
fn too_many_files_is_a_usage_error() {
    let dir = scratch("many");
    for i in 0..=netlink::limits::MAX_FILES {
        fs::write(dir.join(format!("f{i}.netlink")), "").unwrap();
    }
    let out = netlink().arg("check").arg(&dir).output().unwrap();
    assert_exit(&out, 2);
    assert!(stderr_of(&out).contains("more than 10000 .netlink files"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_ends() {
    let dir = scratch("loop");
    fs::create_dir_all(dir.join("a")).unwrap();
    fs::write(
        dir.join("a/x.netlink"),
        "account acme { uid = \"1234567890123456\" }\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("a/back")).unwrap();
    let out = netlink()
        .arg("check")
        .arg(&dir)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(stderr_of(&out).contains("checked 1 file"));
}

#[test]
fn secrets_are_never_echoed() {
    let dir = scratch("secret");
    let secret = "LTAI5tQwErTyUiOpAsDfGh";
    fs::write(
        dir.join("s.netlink"),
        format!("account acme {{ uid = \"1234567890123456\"  label = \"{secret}\" }}\n"),
    )
    .unwrap();
    for format in ["human", "json", "sarif"] {
        let out = netlink()
            .args(["check", "--error-format", format])
            .arg(&dir)
            .output()
            .unwrap();
        assert_exit(&out, 1);
        let all = format!("{}{}", stdout_of(&out), stderr_of(&out));
        assert!(all.contains("NL0008"), "{format}: {all}");
        assert!(
            !all.contains("QwErTyUiOp"),
            "{format} echoes the secret: {all}"
        );
    }
}

/// Kill `netlink build` at different moments: `--out` is always the old artifacts or the new
/// ones, complete, never a mix.
#[test]
fn a_killed_build_leaves_out_whole() {
    let dir = scratch("kill");
    let (old_src, new_src) = (dir.join("old.netlink"), dir.join("new.netlink"));
    fs::write(&old_src, netlink::gen::project(20)).unwrap();
    fs::write(&new_src, netlink::gen::project(600)).unwrap();
    let out = dir.join("out");
    // The two complete states, built elsewhere.
    let reference = |src: &Path, name: &str| {
        let d = dir.join(name);
        let o = netlink()
            .args(["build", "--out"])
            .arg(&d)
            .arg(src)
            .output()
            .unwrap();
        assert_exit(&o, 0);
        dir_contents(&d)
    };
    let old = reference(&old_src, "ref-old");
    let new = reference(&new_src, "ref-new");
    assert_ne!(old, new);
    let bin = assert_cmd::cargo::cargo_bin("netlink");
    for delay_ms in [0u64, 5, 20, 60, 150, 400] {
        let _ = fs::remove_dir_all(&out);
        let o = netlink()
            .args(["build", "--out"])
            .arg(&out)
            .arg(&old_src)
            .output()
            .unwrap();
        assert_exit(&o, 0);
        let mut child = std::process::Command::new(&bin)
            .args(["build", "--out"])
            .arg(&out)
            .arg(&new_src)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // A missing `--out` reads as empty: neither state, so the assertion below names it.
        let now = if out.exists() {
            dir_contents(&out)
        } else {
            Vec::new()
        };
        assert!(
            now == old || now == new,
            "after {delay_ms} ms: a mix of {} files",
            now.len()
        );
    }
}
