//! Credentials are caught wherever they are written and never shown (issue 11, finding 6): each
//! variant fails `check` with NL0008, and no output of any command (diagnostics in every format,
//! `fmt --diff`, `diff`) carries the credential.

mod common;

use common::{assert_exit, run_in, scratch, stderr_of, stdout_of};

const SECRET: &str = "Zk8pQ2vX9mN4bR7tY1wE5uI3oA6sD0";
const KEY_ID: &str = "LTAI5tQ8mZxWvR3nB7kP2sYd";

/// A project with one credential written as `line` inside the account block.
fn variants() -> Vec<(&'static str, String)> {
    vec![
        ("glued id", format!("  label = \"AK{KEY_ID}\"\n")),
        (
            "password in a label",
            format!("  label = \"password: {SECRET}\"\n"),
        ),
        (
            "secret= in a label",
            format!("  label = \"secret={SECRET}\"\n"),
        ),
        // An unknown attribute (NL1008) whose string is on the next line: its excerpt must not
        // show it either.
        (
            "password on the next line",
            format!("  password =\n    \"{SECRET}\"\n"),
        ),
        ("token in a comment", format!("  # token: {SECRET}\n")),
        ("passwd in a comment", format!("  // passwd = {SECRET}\n")),
        ("id in a comment", format!("  # old key {KEY_ID}\n")),
    ]
}

#[test]
fn every_variant_is_caught_and_never_shown() {
    for (name, line) in variants() {
        let dir = scratch(&format!("secret-{}", name.replace(' ', "-")));
        let text = format!("account acme {{\n  uid = \"1234567890123456\"\n{line}}}\n");
        std::fs::write(dir.join("a.netlink"), &text).unwrap();
        let raw = if line.contains(KEY_ID) {
            KEY_ID
        } else {
            SECRET
        };
        let mut seen = String::new();
        for format in ["human", "json", "sarif", "github"] {
            let out = run_in(&dir, &["check", "--error-format", format, "a.netlink"]);
            assert_exit(&out, 1);
            let all = stdout_of(&out) + &stderr_of(&out);
            assert!(all.contains("NL0008"), "{name} ({format}): {all}");
            seen.push_str(&all);
        }
        let out = run_in(&dir, &["fmt", "--diff", "a.netlink"]);
        seen.push_str(&(stdout_of(&out) + &stderr_of(&out)));
        let out = run_in(&dir, &["plan", "a.netlink"]);
        seen.push_str(&(stdout_of(&out) + &stderr_of(&out)));
        std::fs::write(
            dir.join("clean.netlink"),
            "account acme { uid = \"1234567890123456\" }\n",
        )
        .unwrap();
        let out = run_in(&dir, &["diff", "clean.netlink", "a.netlink"]);
        seen.push_str(&(stdout_of(&out) + &stderr_of(&out)));
        // The file itself keeps it: only outputs are masked.
        assert!(std::fs::read_to_string(dir.join("a.netlink"))
            .unwrap()
            .contains(raw));
        // Four characters stay so the user can tell which one it was; the rest never shows.
        assert!(!seen.contains(&raw[4..]), "{name}: shown:\n{seen}");
    }
}
