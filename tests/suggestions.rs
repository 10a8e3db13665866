//! Machine-applicable suggestions, applied the way an editor's code action or a `--fix` would:
//! read from `--error-format json`, each replacement written over its byte range, and the file
//! checked again. The diagnostic a suggestion fixes must be gone, and nothing new may appear.

mod common;

use common::{netlink, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;

/// The JSON diagnostics `check` prints for a file.
fn diagnostics(path: &std::path::Path) -> Vec<Value> {
    let out = netlink()
        .args(["check", "--error-format", "json"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Apply every suggestion of `diags` to `text` (from the end, so offsets stay valid); overlapping
/// suggestions after the first are skipped.
fn apply(text: &str, diags: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = diags
        .iter()
        .flat_map(|d| d["suggestions"].as_array().into_iter().flatten())
        .map(|s| {
            (
                s["byte_start"].as_u64().unwrap() as usize,
                s["byte_end"].as_u64().unwrap() as usize,
                s["replacement"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort();
    edits.dedup();
    let mut out = text.to_string();
    let mut floor = usize::MAX;
    for (start, end, replacement) in edits.into_iter().rev() {
        if end > floor {
            continue;
        }
        out.replace_range(start..end, &replacement);
        floor = start;
    }
    out
}

#[test]
fn every_suggestion_of_the_corpus_fixes_its_diagnostic() {
    let dir = root().join("tests/corpus/fail");
    let scratch = common::scratch("suggestions");
    let mut fixed_codes = BTreeSet::new();
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "netlink"))
    {
        let before = diagnostics(&path);
        let suggested: Vec<&Value> = before
            .iter()
            .filter(|d| d["suggestions"].as_array().is_some_and(|s| !s.is_empty()))
            .collect();
        if suggested.is_empty() {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let fixed = apply(&text, &before);
        let copy = scratch.join(path.file_name().unwrap());
        fs::write(&copy, &fixed).unwrap();
        let after = diagnostics(&copy);
        for d in &suggested {
            let code = d["code"].as_str().unwrap();
            fixed_codes.insert(code.to_string());
            let still = after.iter().filter(|a| a["code"] == code).count();
            let was = before.iter().filter(|b| b["code"] == code).count();
            assert!(
                still < was,
                "{}: the suggestion for {code} did not fix it:\n{fixed}",
                path.display()
            );
        }
        let new: Vec<&str> = after
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .filter(|c| !before.iter().any(|b| b["code"] == *c))
            // A fixed name can reveal the rule checks it kept from running.
            .filter(|c| c.starts_with("NL0") || c.starts_with("NL1"))
            .collect();
        assert!(
            new.is_empty(),
            "{}: the fix brought {new:?}:\n{fixed}",
            path.display()
        );
    }
    let _ = fs::remove_dir_all(&scratch);
    // Host bits, a misspelt name, region and value: each fixed at least once.
    for code in ["NL1001", "NL1012", "NL2002", "NL2009"] {
        assert!(
            fixed_codes.contains(code),
            "no corpus case exercises the {code} fix: {fixed_codes:?}"
        );
    }
}

#[test]
fn a_suggestion_names_its_place_and_text_in_json() {
    let path = root().join("tests/corpus/fail/NL2002_host_bits.netlink");
    let diags = diagnostics(&path);
    let d = diags.iter().find(|d| d["code"] == "NL2002").unwrap();
    let s = &d["suggestions"][0];
    assert_eq!(s["applicability"], "machine-applicable");
    let text = fs::read_to_string(&path).unwrap();
    let (a, b) = (
        s["byte_start"].as_u64().unwrap() as usize,
        s["byte_end"].as_u64().unwrap() as usize,
    );
    assert!(
        text[a..b].contains('/'),
        "the span covers the CIDR block: {}",
        &text[a..b]
    );
    assert!(s["replacement"].as_str().unwrap().contains('/'));
    assert!(s["line"].as_u64().unwrap() >= 1 && s["column"].as_u64().unwrap() >= 1);
}
