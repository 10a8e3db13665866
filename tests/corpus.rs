//! The corpus: every file under `tests/corpus/fail` and `tests/corpus/pass` says in its header
//! which codes it must produce (`# expect: NL2002 NL2004`, or `# expect: none`), and the check
//! must produce exactly those distinct codes. Every code in the registry has at least one failing
//! case and one passing case (`# covers: NLxxxx`).

mod common;

use common::{messages, root};
use netlink::diagnostics::ALL_CODES;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

struct Case {
    path: PathBuf,
    expect: BTreeSet<String>,
    covers: BTreeSet<String>,
}

fn header_codes(text: &str, key: &str) -> Option<BTreeSet<String>> {
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line
            .strip_prefix('#')
            .map(str::trim)
            .and_then(|l| l.strip_prefix(key))
        {
            let set: &mut BTreeSet<String> = found.get_or_insert_with(BTreeSet::new);
            for word in rest.split_whitespace() {
                if word != "none" {
                    set.insert(word.trim_matches(',').to_string());
                }
            }
        }
    }
    found
}

fn files_of(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut v: Vec<PathBuf> = fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    }
}

fn cases(dir: &str) -> Vec<Case> {
    let root = root().join("tests/corpus").join(dir);
    let mut entries: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "netlink"))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|path| {
            let mut expect = None;
            let mut covers = BTreeSet::new();
            for f in files_of(&path) {
                let bytes = fs::read(&f).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                if let Some(e) = header_codes(&text, "expect:") {
                    expect.get_or_insert_with(BTreeSet::new).extend(e);
                }
                if let Some(c) = header_codes(&text, "covers:") {
                    covers.extend(c);
                }
            }
            let expect =
                expect.unwrap_or_else(|| panic!("{}: no `# expect:` header", path.display()));
            Case {
                path,
                expect,
                covers,
            }
        })
        .collect()
}

fn produced(path: &Path) -> BTreeSet<String> {
    let project = netlink::project::load(&[path.to_path_buf()])
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let compiled = netlink::compile_with(&project.sources, &project.policy);
    project
        .diagnostics
        .iter()
        .chain(compiled.diagnostics.iter())
        .map(|d| d.code.as_str().to_string())
        .collect()
}

fn run(dir: &str) -> Vec<Case> {
    let cases = cases(dir);
    let mut failures = Vec::new();
    for case in &cases {
        let got = produced(&case.path);
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.path.display(),
                case.expect,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus mismatches:\n{}",
        failures.join("\n")
    );
    cases
}

/// Codes whose failing input cannot live in the corpus (a 16 MiB file, a FIFO, a link out of the
/// project): `tests/limits.rs` and `tests/hostile_io.rs`.
const TESTED_ELSEWHERE: &[&str] = &["NL0006", "NL0009", "NL0010", "NL0011"];

/// The codes of the registry that are neither among `covered` nor tested elsewhere.
fn uncovered<'a>(covered: impl Iterator<Item = &'a String>) -> Vec<&'static str> {
    let mut covered: BTreeSet<&str> = covered.map(String::as_str).collect();
    covered.extend(TESTED_ELSEWHERE);
    ALL_CODES
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| !covered.contains(c))
        .collect()
}

#[test]
fn failing_cases_produce_exactly_their_codes() {
    let cases = run("fail");
    let missing = uncovered(cases.iter().flat_map(|c| c.expect.iter()));
    assert!(
        missing.is_empty(),
        "codes without a failing case: {missing:?}"
    );
}

#[test]
fn passing_cases_produce_exactly_their_codes() {
    let cases = run("pass");
    let missing = uncovered(cases.iter().flat_map(|c| c.covers.iter()));
    assert!(
        missing.is_empty(),
        "codes without a passing case: {missing:?}"
    );
    for case in &cases {
        for c in &case.covers {
            assert!(
                !case.expect.contains(c),
                "{}: covers {c} but also expects it",
                case.path.display()
            );
        }
    }
}

/// Every example checks without errors; warnings only where its header says so (`# expect:`),
/// e.g. the seed's own caution against syncing over the internet. Notes are always allowed.
#[test]
fn every_example_checks_clean() {
    let dir = root().join("examples");
    let mut n = 0;
    for f in files_of(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "netlink"))
    {
        n += 1;
        let text = fs::read_to_string(&f).unwrap();
        let allowed = header_codes(&text, "expect:").unwrap_or_default();
        let project = netlink::project::load(std::slice::from_ref(&f)).unwrap();
        let compiled = netlink::compile_with(&project.sources, &project.policy);
        let got: BTreeSet<String> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity != netlink::diagnostics::Severity::Note)
            .map(|d| d.code.as_str().to_string())
            .collect();
        assert_eq!(got, allowed, "{}: {:?}", f.display(), messages(&compiled));
        assert!(compiled.plan.is_some(), "{}: no plan", f.display());
    }
    assert!(n >= 10, "expected an example per seed scenario, found {n}");
}

/// The whole examples directory is one project too (names are global across files).
#[test]
fn examples_directory_checks_as_one_project() {
    let dir = root().join("examples");
    let project = netlink::project::load(&[dir]).unwrap();
    let compiled = netlink::compile_with(&project.sources, &project.policy);
    let errors: Vec<&str> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
