//! Acknowledging diagnostics: allow comments, `netlink.toml`, and what every output format
//! makes of them (the summary line, SARIF suppressions against the SARIF 2.1.0 schema, GitHub
//! workflow commands).
//!
//! `tests/fixtures/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema (errata 01) as
//! published in github.com/oasis-tcs/sarif-spec, `sarif-2.1/schema/sarif-schema-2.1.0.json` at
//! commit e0583813964ec43cea53b6b531b402866095ed1f, unchanged.

mod common;

use common::{assert_exit, root, run, run_in, scratch, stderr_of, stdout_of};
use serde_json::Value;

fn sarif_schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

// F28: the NAT example's NL3103 is unavoidable, so the example acknowledges it.
#[test]
fn deny_warnings_passes_once_the_warning_is_acknowledged() {
    let out = run(&[
        "check",
        "--deny-warnings",
        "examples/dataworks_internet_nat.netlink",
    ]);
    assert_exit(&out, 0);
    let err = stderr_of(&out);
    assert!(
        err.trim_end()
            .ends_with("ok: checked 1 file with 7 blocks, no problems, 1 allowed"),
        "{err}"
    );
    assert!(!err.contains("NL3103"), "{err}");
}

#[test]
fn deny_warnings_says_failed_when_a_warning_fails_the_check() {
    let out = run(&[
        "check",
        "--deny-warnings",
        "tests/corpus/fail/NL3103_sync_over_internet.netlink",
    ]);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    let last = err.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("failed:") && last.contains("1 warning (denied by --deny-warnings)"),
        "{last}"
    );
    // Without the flag the same project is ok.
    let out = run(&[
        "check",
        "tests/corpus/fail/NL3103_sync_over_internet.netlink",
    ]);
    assert_exit(&out, 0);
    assert!(stderr_of(&out)
        .trim_end()
        .lines()
        .last()
        .unwrap()
        .starts_with("ok:"));
}

/// A project with one inline allow, one config allow, a denied warning and a bad allow.
fn project() -> std::path::PathBuf {
    let dir = scratch("acknowledge");
    let base =
        std::fs::read_to_string(root().join("tests/corpus/fail/NL3103_sync_over_internet.netlink"))
            .unwrap();
    let text = base.replace(
        "flow sync_branch {",
        "# netlink:allow NL3103 the branch has no private line yet\nflow sync_branch {",
    );
    std::fs::write(dir.join("a.netlink"), text).unwrap();
    let peering =
        std::fs::read_to_string(root().join("examples/dataworks_cross_account_peering.netlink"))
            .unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    // The corpus case and the example share the resource group's name.
    let peering = peering.replace("dw_rg", "peer_rg");
    std::fs::write(dir.join("b/peering.netlink"), peering).unwrap();
    std::fs::write(
        dir.join("netlink.toml"),
        "[diagnostics]\nallow = [\"NL3205\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn sarif_reports_acknowledged_diagnostics_as_suppressions_and_validates() {
    let dir = project();
    let out = run_in(&dir, &["check", "--error-format", "sarif", "."]);
    assert_exit(&out, 0);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let by_rule = |id: &str| results.iter().find(|r| r["ruleId"] == id).unwrap();
    let inline = by_rule("NL3103");
    assert_eq!(inline["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        inline["suppressions"][0]["justification"],
        "the branch has no private line yet"
    );
    let external = by_rule("NL3205");
    assert_eq!(external["suppressions"][0]["kind"], "external");
    assert_eq!(external["level"], "note");
    // Human output shows neither, and counts them.
    let out = run_in(&dir, &["check", "."]);
    assert_exit(&out, 0);
    let err = stderr_of(&out);
    assert!(!err.contains("NL3103") && !err.contains("NL3205"), "{err}");
    assert!(err.contains("2 allowed"), "{err}");
}

#[test]
fn sarif_uris_are_percent_encoded_against_srcroot() {
    let dir = scratch("sarif-uri");
    std::fs::create_dir_all(dir.join("net work")).unwrap();
    std::fs::copy(
        root().join("tests/corpus/fail/NL3103_sync_over_internet.netlink"),
        dir.join("net work/my file#1 100%.netlink"),
    )
    .unwrap();
    let out = run_in(&dir, &["check", "--error-format", "sarif", "net work"]);
    assert_exit(&out, 0);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    let at = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(at["uri"], "net%20work/my%20file%231%20100%25.netlink");
    assert_eq!(at["uriBaseId"], "%SRCROOT%");
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = scratch("fingerprint");
    let base =
        std::fs::read_to_string(root().join("tests/corpus/fail/NL3103_sync_over_internet.netlink"))
            .unwrap();
    let fingerprint = |text: &str| {
        std::fs::write(dir.join("a.netlink"), text).unwrap();
        let out = run_in(&dir, &["check", "--error-format", "sarif", "a.netlink"]);
        let log: Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &log["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["netlinkHash/v1"]
                .as_str()
                .unwrap()
                .to_string(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (before, line_before) = fingerprint(&base);
    let (after, line_after) = fingerprint(&format!("# a comment\n\n# and another\n{base}"));
    assert_ne!(line_before, line_after);
    assert_eq!(before, after);
    let (renamed, _) = fingerprint(&base.replace("sync_branch", "sync_branch_2"));
    assert_ne!(before, renamed, "another flow is another alert");
}

#[test]
fn github_format_annotates_lines() {
    let dir = scratch("github");
    std::fs::copy(
        root().join("tests/corpus/fail/NL3103_sync_over_internet.netlink"),
        dir.join("a,b:c%.netlink"),
    )
    .unwrap();
    let out = run_in(
        &dir,
        &["check", "--error-format", "github", "a,b:c%.netlink"],
    );
    assert_exit(&out, 0);
    let text = stdout_of(&out);
    let line = text.lines().find(|l| l.starts_with("::warning ")).unwrap();
    assert!(
        line.starts_with("::warning file=a%2Cb%3Ac%25.netlink,line=30,col=8,"),
        "{line}"
    );
    assert!(
        line.contains(",title=NL3103 sync-over-internet::flow `sync_branch`"),
        "{line}"
    );
    // Help joins the message with an encoded newline: one command per line.
    assert!(line.contains("%0Ahelp: "), "{line}");
    assert_eq!(text.lines().count(), 1, "{text}");
    // Notes are notices.
    let out = run(&[
        "check",
        "--error-format",
        "github",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert!(
        stdout_of(&out).starts_with("::notice file=examples/"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn notes_are_one_place_line_without_an_excerpt() {
    let out = run(&["check", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&out, 0);
    let err = stderr_of(&out);
    assert!(
        err.starts_with(
            "note[NL3205]: account `account_b` must accept peering `hz_to_sh` within 7 days\n  --> examples/dataworks_cross_account_peering.netlink:"
        ),
        "{err}"
    );
    assert!(!err.contains('│'), "no excerpt: {err}");
}

#[test]
fn an_allow_of_an_error_or_without_reason_silences_nothing() {
    let dir = scratch("bad-allow");
    let base =
        std::fs::read_to_string(root().join("tests/corpus/fail/NL3103_sync_over_internet.netlink"))
            .unwrap();
    std::fs::write(
        dir.join("a.netlink"),
        base.replace(
            "flow sync_branch {",
            "# netlink:allow NL3103\nflow sync_branch {",
        ),
    )
    .unwrap();
    let out = run_in(&dir, &["check", "a.netlink"]);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(
        err.contains("warning[NL3103]") && err.contains("error[NL6005]"),
        "{err}"
    );
}

#[test]
fn sarif_carries_suggestions_as_fixes_and_validates() {
    // A misspelt name and host bits: each a fix replacing exactly the text under the label.
    let out = common::run(&[
        "check",
        "--error-format",
        "sarif",
        "tests/corpus/fail/NL2002_host_bits.netlink",
    ]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&log);
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "NL2002")
        .expect("an NL2002 result");
    let change = &result["fixes"][0]["artifactChanges"][0];
    assert!(change["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("NL2002_host_bits.netlink"));
    let replacement = &change["replacements"][0];
    assert!(replacement["insertedContent"]["text"]
        .as_str()
        .unwrap()
        .contains('/'));
    assert_eq!(
        replacement["deletedRegion"]["startLine"],
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
    );
}
