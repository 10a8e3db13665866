//! The command line as a user runs it: exit statuses, output formats, `explain`.

mod common;

use common::{assert_exit, root, run, scratch, stderr_of};

#[test]
fn clean_example_exits_zero() {
    let out = run(&["check", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&out, 0);
    assert!(stderr_of(&out).contains("ok: checked 1 file"));
}

#[test]
fn errors_from_several_files_in_one_run() {
    let out = run(&["check", "tests/fixtures/multi"]);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(err.contains("tests/fixtures/multi/a.netlink"), "{err}");
    assert!(err.contains("tests/fixtures/multi/b.netlink"), "{err}");
    assert!(err.contains("error[NL2002]"), "{err}");
    assert!(err.contains("error[NL2009]"), "{err}");
    assert!(err.contains("did you mean `cn-shanghai`?"), "{err}");
    assert!(err.contains("failed: checked 2 files"), "{err}");
}

#[test]
fn warnings_pass_unless_denied() {
    let out = run(&["check", "tests/fixtures/warning.netlink"]);
    assert_exit(&out, 0);
    assert!(stderr_of(&out).contains("warning[NL2008]"));
    let out = run(&["check", "--deny-warnings", "tests/fixtures/warning.netlink"]);
    assert_exit(&out, 1);
}

#[test]
fn json_is_one_object_per_line() {
    let out = run(&["check", "--error-format", "json", "tests/fixtures/multi"]);
    assert_exit(&out, 1);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["code"], "NL2002");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "tests/fixtures/multi/a.netlink");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 13);
    assert_eq!(first["help"], "write `192.168.0.0/16`");
    assert!(first["labels"][0]["primary"].as_bool().unwrap());
    assert_eq!(
        first["byte_end"].as_u64().unwrap() - first["byte_start"].as_u64().unwrap(),
        "192.168.1.5/16".len() as u64
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = run(&["check", "no/such/file.netlink"]);
    assert_exit(&out, 2);
    assert!(stderr_of(&out).contains("cannot read `no/such/file.netlink`"));
}

#[test]
fn directory_without_netlink_files_is_a_usage_error() {
    let out = run(&["check", "src"]);
    assert_exit(&out, 2);
    assert!(stderr_of(&out).contains("contains no .netlink files"));
}

#[test]
fn bad_flag_is_a_usage_error() {
    let out = run(&["check", "--error-format", "xml", "examples"]);
    assert_exit(&out, 2);
}

#[test]
fn explain_prints_the_documented_section() {
    let out = run(&["explain", "NL2002"]);
    assert_exit(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("## NL2002 host-bits-set"), "{text}");
    assert!(!text.contains("## NL2003"), "{text}");
    let out = run(&["explain", "nl2002"]);
    assert_exit(&out, 0);
    let out = run(&["explain", "NL9999"]);
    assert_exit(&out, 2);
}

#[test]
fn every_code_is_documented() {
    let docs = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    for info in netlink::diagnostics::ALL_CODES {
        let heading = format!("## {} {}\n", info.code, info.name);
        assert!(
            docs.contains(&heading),
            "docs/diagnostics.md lacks `{}`",
            heading.trim()
        );
        let section = netlink::cli::explanation(info.code).unwrap();
        assert!(
            section.contains("```netlink"),
            "{}: no failing example",
            info.code
        );
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    let once = || run(&["check", "--error-format", "json", "tests/corpus/fail"]).stdout;
    assert_eq!(once(), once());
}

/// SARIF 2.1.0: the fields the schema requires, and what GitHub code scanning reads.
#[test]
fn sarif_has_the_required_fields() {
    let out = run(&["check", "--error-format", "sarif", "tests/fixtures/multi"]);
    assert_exit(&out, 1);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "netlink");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Only the rules that occur (not all of the registry).
    let occurring: std::collections::BTreeSet<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    let listed: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(listed, occurring.into_iter().collect::<Vec<_>>());
    for r in rules {
        assert!(r["id"].as_str().unwrap().starts_with("NL"));
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        // The docs section as Markdown; the text form without Markdown's fences.
        let markdown = r["help"]["markdown"].as_str().unwrap();
        assert!(markdown.contains("```netlink"), "{}", r["id"]);
        assert!(markdown.starts_with(&format!("## {}", r["id"].as_str().unwrap())));
        let text = r["help"]["text"].as_str().unwrap();
        assert!(!text.contains("```") && !text.starts_with('#'), "{text}");
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        assert_eq!(rules[res["ruleIndex"].as_u64().unwrap() as usize]["id"], id);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("tests/fixtures/multi/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

/// `--timings` names every stage in order with its time (and, on Linux, the peak memory so far);
/// a build adds rendering and writing the artifacts.
#[test]
fn timings_name_every_stage() {
    let stages = |args: &[&str]| -> Vec<String> {
        let out = run(args);
        assert_exit(&out, 0);
        let err = stderr_of(&out);
        let line = err
            .lines()
            .find(|l| l.starts_with("timings: "))
            .unwrap_or_else(|| panic!("no timings line in {err}"));
        assert!(line.contains("; total "), "{line}");
        let body = &line["timings: ".len()..line.find("; total ").unwrap()];
        body.split(", ")
            .map(|part| {
                let (stage, rest) = part.split_once(' ').unwrap();
                assert!(rest.contains(" ms"), "{part}");
                if cfg!(target_os = "linux") {
                    assert!(rest.contains("(peak ") && rest.ends_with(" MiB)"), "{part}");
                }
                stage.to_string()
            })
            .collect()
    };
    let ex = "examples/dataworks_cross_account_peering.netlink";
    assert_eq!(
        stages(&["check", "--timings", ex]),
        ["load", "parse", "resolve", "lower", "analyse", "check", "plan", "verify", "render"]
    );
    let dir = scratch("timings");
    let out = dir.join("out");
    let built = stages(&["build", "--timings", ex, "--out", out.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(built.last().map(String::as_str), Some("emit"), "{built:?}");
}
