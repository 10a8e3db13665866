//! `netlink diff` misses nothing and invents nothing: over generated projects and random single
//! edits, an edit that changes only layout or comments gives no change, and an edit that changes
//! what the project says (a port on a target and its flow, a CIDR, a zone, a name, a removed
//! block) gives at least one.

mod common;

use common::compile_text;
use proptest::prelude::*;

/// The artifacts of a project that compiles cleanly, else `None`.
fn artifacts(text: &str) -> Option<Vec<(&'static str, String)>> {
    let (c, sources) = compile_text("p.netlink", text);
    if c.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let (m, plan) = (c.model.as_ref()?, c.plan.as_ref()?);
    Some(netlink::emit::artifacts(m, plan, &c.proofs, &sources))
}

/// Replace `word` as a whole identifier (not inside a longer name).
fn rename(text: &str, word: &str, to: &str) -> String {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(ident) || after.is_some_and(ident) {
            out.push_str(word);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Indices of the lines that open a top-level block written on one line.
fn one_line_blocks(lines: &[&str], kind: &str) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&format!("{kind} ")) && l.trim_end().ends_with('}'))
        .map(|(i, _)| i)
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Edit {
    // Layout and comments: no change.
    Comment,
    Reindent,
    MoveBlock,
    // Meaning: a change.
    Port,
    Cidr,
    Zone,
    Rename,
    RemoveBlock,
}

impl Edit {
    fn changes_meaning(self) -> bool {
        !matches!(self, Edit::Comment | Edit::Reindent | Edit::MoveBlock)
    }

    /// Apply the edit at a place chosen by `pick`; `None` when the project has no such place.
    fn apply(self, text: &str, pick: usize) -> Option<String> {
        let lines: Vec<&str> = text.lines().collect();
        let nth = |v: Vec<usize>| (!v.is_empty()).then(|| v[pick % v.len()]);
        let join = |lines: Vec<String>| lines.join("\n") + "\n";
        match self {
            Edit::Comment => {
                let at = pick % (lines.len() + 1);
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out.insert(at, "# reviewed: nothing to change here".into());
                Some(join(out))
            }
            Edit::Reindent => {
                let inner: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].starts_with("  ") && !lines[i].trim().is_empty())
                    .collect();
                let at = nth(inner)?;
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out[at] = format!("\t    {}", lines[at].trim_start());
                Some(join(out))
            }
            Edit::MoveBlock => {
                let at = nth(one_line_blocks(&lines, "flow"))?;
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                let block = out.remove(at);
                out.push(String::new());
                out.push(block);
                Some(join(out))
            }
            Edit::Port => {
                // The database and its flow move to another port together.
                let rds = lines.iter().find(|l| l.starts_with("rds "))?;
                let name = rds.split_whitespace().nth(1)?;
                let moved = text
                    .replace(
                        &format!("rds {name} {{ "),
                        &format!("rds {name} {{ port = 3307  "),
                    )
                    .replace(&format!("{name}:3306"), &format!("{name}:3307"));
                Some(moved)
            }
            Edit::Cidr => {
                let at = nth((0..lines.len())
                    .filter(|&i| {
                        lines[i].trim_start().starts_with("vswitch ") && lines[i].contains(".0/24")
                    })
                    .collect())?;
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out[at] = lines[at].replace(".0/24", ".0/25");
                Some(join(out))
            }
            Edit::Zone => {
                let at = nth((0..lines.len())
                    .filter(|&i| lines[i].contains("zone = cn-"))
                    .collect())?;
                let line = lines[at];
                let start = line.find("zone = ")? + "zone = ".len();
                let end = start + line[start..].find(' ')?;
                let zone = &line[start..end];
                let region = &zone[..zone.rfind('-')?];
                let other = ["b", "e", "g", "h", "i", "j", "k", "m"]
                    .iter()
                    .map(|z| format!("{region}-{z}"))
                    .find(|z| z != zone)?;
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out[at] = format!("{}{other}{}", &line[..start], &line[end..]);
                Some(join(out))
            }
            Edit::Rename => {
                let at = nth(["rds", "flow", "peering", "resource_group", "maxcompute"]
                    .iter()
                    .flat_map(|k| one_line_blocks(&lines, k))
                    .collect())?;
                let name = lines[at].split_whitespace().nth(1)?;
                Some(rename(text, name, &format!("{name}_renamed")))
            }
            Edit::RemoveBlock => {
                let at = nth(["flow", "hbase", "oss", "whitelist", "route"]
                    .iter()
                    .flat_map(|k| one_line_blocks(&lines, k))
                    .collect())?;
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out.remove(at);
                Some(join(out))
            }
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Comment),
        Just(Edit::Reindent),
        Just(Edit::MoveBlock),
        Just(Edit::Port),
        Just(Edit::Cidr),
        Just(Edit::Zone),
        Just(Edit::Rename),
        Just(Edit::RemoveBlock),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_diff_shows_exactly_the_edits_that_mean_something(
        vpcs in 1usize..5,
        seed in 0u64..500,
        edit in edit(),
        pick in 0usize..1000,
    ) {
        let text = netlink::gen::project_seeded(vpcs, seed);
        let before = artifacts(&text).expect("generated projects compile");
        let Some(edited) = edit.apply(&text, pick) else {
            return Ok(());
        };
        prop_assume!(edited != text);
        // A meaning edit may make the project invalid (a zone the region lacks): nothing to diff.
        let Some(after) = artifacts(&edited) else {
            prop_assert!(edit.changes_meaning(), "{edit:?} broke the project");
            return Ok(());
        };
        let d = netlink::diff::diff(&before, &after);
        if edit.changes_meaning() {
            prop_assert!(!d.changes.is_empty(), "{edit:?} (pick {pick}) shows no change");
        } else {
            prop_assert!(d.changes.is_empty(), "{edit:?} shows changes: {:#?}", d.changes);
        }
    }
}

#[test]
fn every_edit_kind_applies_to_a_generated_project() {
    // The property above is only as good as its edits: each must find a place in a project of
    // three VPCs, and each meaning edit must keep it valid at least once.
    let text = netlink::gen::project_seeded(3, 1);
    for e in [
        Edit::Comment,
        Edit::Reindent,
        Edit::MoveBlock,
        Edit::Port,
        Edit::Cidr,
        Edit::Zone,
        Edit::Rename,
        Edit::RemoveBlock,
    ] {
        let valid = (0..20).any(|pick| {
            e.apply(&text, pick)
                .filter(|t| *t != text)
                .and_then(|t| artifacts(&t))
                .is_some()
        });
        assert!(valid, "{e:?} never gives a valid edited project");
    }
}
