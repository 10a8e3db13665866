//! The stage drawing of `src/lib.rs`, enforced: a stage uses the stages before it and the shared
//! modules below, never a later stage or a sibling's internals. `check`, `plan` and `verify` share
//! what they all need through `net` (paths) and `names` (what several stages print).

use std::collections::BTreeSet;
use std::path::Path;

/// Each pipeline module and the pipeline modules it may use. Modules not listed here (`source`,
/// `diagnostics`, `text`, `limits`, …) are shared and open to every stage.
const ALLOWED: &[(&str, &[&str])] = &[
    ("syntax", &[]),
    ("resolve", &["syntax"]),
    ("model", &["syntax", "resolve"]),
    ("net", &["model", "resolve"]),
    ("names", &["model", "resolve", "net"]),
    ("check", &["model", "resolve", "net", "names"]),
    ("plan", &["model", "resolve", "net", "names"]),
    ("verify", &["model", "resolve", "net", "names", "plan"]),
    (
        "emit",
        &["model", "resolve", "net", "names", "plan", "verify"],
    ),
];

/// Every `.rs` file of a module: `src/<m>.rs` and everything under `src/<m>/`.
fn files_of(module: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let file = Path::new("src").join(format!("{module}.rs"));
    if file.exists() {
        out.push(file);
    }
    let mut stack = vec![Path::new("src").join(module)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The top-level modules a file names as `crate::<module>` (in code and doc links alike: a doc
/// link to a later stage is a dependency a reader follows too).
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            // `crate::{a, b}`: every name in the braces.
            if let Some(group) = rest.strip_prefix('{').and_then(|g| g.split('}').next()) {
                for part in group.split(',') {
                    let n = part.trim().split("::").next().unwrap_or("").trim();
                    if !n.is_empty() {
                        out.insert(n.to_string());
                    }
                }
            }
        } else {
            out.insert(name);
        }
    }
    out
}

#[test]
fn every_stage_uses_only_earlier_stages() {
    let stages: BTreeSet<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    let mut broken = Vec::new();
    for (module, allowed) in ALLOWED {
        let files = files_of(module);
        assert!(!files.is_empty(), "no files for module `{module}`");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source files are readable");
            for used in uses(&text) {
                if used != *module
                    && stages.contains(used.as_str())
                    && !allowed.contains(&used.as_str())
                {
                    broken.push(format!("{} uses `crate::{used}`", file.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "stage boundaries crossed (see the drawing in src/lib.rs):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_sees_a_crossing() {
    // The scanner itself: a later stage named in code, in a group and in a path is found.
    let found = uses(
        "use crate::plan::Hop;\nuse crate::{emit, model::Model};\nlet x = crate::verify::trace;",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["emit", "model", "plan", "verify"]
    );
}
