//! `docs/fidelity.md` is a checked map: every fact id it lists (`F01`…`F49`, `N1`…`N6`) is named
//! in a comment of some test (`// F40` in Rust, `# … F40` in a corpus case), and every test it
//! cites exists: corpus codes and cases, example snapshots, test functions.

mod common;

use common::root;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// One row of a fact table: the fact id and the text of its test column.
struct Row {
    id: String,
    tests: String,
}

fn rows() -> Vec<Row> {
    let text = fs::read_to_string(root().join("docs/fidelity.md")).unwrap();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // `| F40 … | honoured by | test |` splits into ["", fact, honoured, test, ""].
            if cells.len() < 5 {
                return None;
            }
            let id = cells[1].split_whitespace().next()?;
            let is_fact = (id.starts_with('F') || id.starts_with('N'))
                && id.len() > 1
                && id[1..].bytes().all(|b| b.is_ascii_digit());
            is_fact.then(|| Row {
                id: id.to_string(),
                tests: cells[cells.len() - 2].to_string(),
            })
        })
        .collect()
}

/// Every file under `dir` with one of the extensions, skipping installed JavaScript packages.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.file_name()
            .is_some_and(|n| n == "node_modules" || n == "target")
        {
            continue;
        }
        if p.is_dir() {
            files(&p, exts, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
        {
            out.push(p);
        }
    }
}

/// Does `line` name `id` (not a longer id: `F4` is not `F40`) after a comment marker?
fn names_in_comment(line: &str, id: &str) -> bool {
    let Some(start) = line.find("//").or_else(|| line.find('#')) else {
        return false;
    };
    let comment = &line[start..];
    comment.match_indices(id).any(|(i, _)| {
        let before = comment[..i].chars().next_back();
        let after = comment[i + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The text of every test: Rust files under `tests/` and `src/`, and the corpus cases.
fn test_texts() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(&root().join("tests"), &["rs", "netlink"], &mut paths);
    files(&root().join("src"), &["rs"], &mut paths);
    paths
        .into_iter()
        .filter_map(|p| fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect()
}

#[test]
fn every_fact_is_named_by_a_test() {
    let texts = test_texts();
    let mut missing = Vec::new();
    for row in rows() {
        let named = texts.iter().any(|(p, t)| {
            // Rust files count only for their tests: `src/` files name facts in comments of
            // code, too, so a `src/` file counts only below `#[cfg(test)]`.
            let body = match p.starts_with(root().join("src")) {
                true => t.split_once("#[cfg(test)]").map(|(_, b)| b).unwrap_or(""),
                false => t.as_str(),
            };
            body.lines().any(|l| names_in_comment(l, &row.id))
        });
        if !named {
            missing.push(row.id);
        }
    }
    assert!(
        missing.is_empty(),
        "facts in docs/fidelity.md that no test names in a comment (`// F40`): {missing:?}"
    );
}

/// Backticked tokens of a cell.
fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_cited_test_exists() {
    let texts = test_texts();
    let fns: BTreeSet<String> = texts
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix("fn ")
                .or_else(|| l.strip_prefix("pub fn "))?;
            Some(rest.split(['(', '<']).next()?.trim().to_string())
        })
        .collect();
    let corpus: Vec<String> = ["fail", "pass"]
        .iter()
        .flat_map(|d| fs::read_dir(root().join("tests/corpus").join(d)).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut broken = Vec::new();
    for row in rows() {
        if row.tests.trim_matches(['—', '-', ' ']).is_empty() {
            broken.push(format!("{}: cites no test", row.id));
            continue;
        }
        // Every code after "corpus" has at least one case.
        for word in row.tests.split(|c: char| !c.is_ascii_alphanumeric()) {
            let is_code = word.len() == 6
                && word.starts_with("NL")
                && word[2..].bytes().all(|b| b.is_ascii_digit());
            if is_code && !corpus.iter().any(|c| c.starts_with(&format!("{word}_"))) {
                broken.push(format!("{}: no corpus case for {word}", row.id));
            }
        }
        for token in backticked(&row.tests) {
            let ok = if let Some(example) = token.strip_suffix(".netlink") {
                let snapshot = format!(
                    "tests/snapshots/artifacts__every_artifact_of_every_example@{example}.netlink.snap"
                );
                root().join(&snapshot).exists()
                    || corpus
                        .iter()
                        .any(|c| c.trim_end_matches(".netlink") == example)
            } else if let Some((file, name)) = token.split_once("::") {
                fs::read_to_string(root().join(file))
                    .is_ok_and(|t| t.contains(&format!("fn {name}(")))
            } else {
                fns.contains(token)
                    || corpus.iter().any(|c| {
                        let stem = c.trim_end_matches(".netlink");
                        stem == token || stem.split_once('_').is_some_and(|(_, rest)| rest == token)
                    })
            };
            if !ok {
                broken.push(format!(
                    "{}: `{token}` is not a test, case or snapshot",
                    row.id
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "docs/fidelity.md cites what does not exist:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_tells_f4_from_f40() {
    assert!(names_in_comment("    // F40: seed 004", "F40"));
    assert!(names_in_comment("# expect: none  (F4)", "F4"));
    assert!(!names_in_comment("    // F40", "F4"));
    assert!(!names_in_comment("let F4 = 1;", "F4"));
}
