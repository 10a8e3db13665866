//! Job settings: the lines that pass an internet access list, and merging the settings of one job
//! that reaches several targets (`to = [a:443, b:443]`) into one line per job kind. In one
//! session a second `set odps.internet.access.list=…;` replaces the first, so the lists are joined
//! (seed 000's own form is one comma-separated list, F04).

use super::flows::FROM_DATAWORKS;
use crate::model::*;
use crate::plan::{Planner, Val};

/// The settings that carry an access list: the text before and after its comma-joined entries.
const ACCESS_LISTS: [(&str, &str); 3] = [
    ("set odps.internet.access.list=", ";"),
    ("spark.hadoop.odps.cupid.internet.access.list=", ""),
    (
        "options.sql.settings = {\"odps.internet.access.list\": \"",
        "\"}",
    ),
];

/// Which access-list setting a line is, in [`ACCESS_LISTS`].
#[derive(Clone, Copy)]
pub(super) enum AccessList {
    /// SQL and UDF sessions (F05).
    Session = 0,
    /// Spark (F06).
    Spark = 1,
    /// MaxFrame (F07).
    Maxframe = 2,
}

/// The line of `form` for the comma-joined entries.
pub(super) fn access_line(form: AccessList, joined: &str) -> String {
    let (before, after) = ACCESS_LISTS[form as usize];
    format!("{before}{joined}{after}")
}

/// Merge the lines of one job kind: access lists of the same form become one list (in the order
/// entries first appear, each once); other lines are kept once.
pub(super) fn merge(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    // Each output line is either kept text or the index of an access-list form to fill.
    enum Out {
        Text(String),
        List(usize),
    }
    let mut out: Vec<Out> = Vec::new();
    let mut entries: [Vec<String>; 3] = Default::default();
    for line in lines {
        let form = ACCESS_LISTS.iter().position(|(b, a)| {
            line.len() >= b.len() + a.len() && line.starts_with(b) && line.ends_with(a)
        });
        match form {
            Some(k) => {
                let (b, a) = ACCESS_LISTS[k];
                if entries[k].is_empty() {
                    out.push(Out::List(k));
                }
                for e in line[b.len()..line.len() - a.len()].split(',') {
                    if !e.is_empty() && !entries[k].iter().any(|x| x == e) {
                        entries[k].push(e.to_string());
                    }
                }
            }
            None => {
                if !out.iter().any(|o| matches!(o, Out::Text(t) if *t == line)) {
                    out.push(Out::Text(line));
                }
            }
        }
    }
    out.into_iter()
        .map(|o| match o {
            Out::Text(t) => t,
            Out::List(k) => {
                let (b, a) = ACCESS_LISTS[k];
                format!("{b}{}{a}", entries[k].join(","))
            }
        })
        .collect()
}

/// The values of a settings step for the flows of one job: per job kind its lines (merged) and
/// endpoints, then the F25 caution.
pub(super) fn settings_values(p: &Planner<'_>, members: &[FlowId]) -> Vec<(&'static str, Val)> {
    let mut kinds: Vec<JobKind> = Vec::new();
    let mut rows = Vec::new();
    for &f in members {
        for row in p.jobs_of(f) {
            if !kinds.contains(&row.job) {
                kinds.push(row.job);
            }
            rows.push(row);
        }
    }
    let mut values = Vec::new();
    for kind in kinds {
        let of_kind = || rows.iter().filter(move |r| r.job == kind);
        let mut lines = merge(of_kind().flat_map(|r| r.settings.clone()));
        for r in of_kind() {
            if let Some((ep, host)) = &r.endpoint {
                let line = format!("endpoint ({ep}): {host}");
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        values.push((kind.word(), Val::List(lines)));
    }
    values.push(("from DataWorks", Val::text(FROM_DATAWORKS)));
    values
}

/// One job reaching several targets: every member's job rows get the merged lines, and the
/// job's one settings step (`flow.<block>.settings`) lists them.
pub(super) fn merge_jobs(p: &mut Planner<'_>) {
    let m = p.m;
    // Members by block, in flow order; blocks are few per project, groups small.
    let mut groups: Vec<(u32, Vec<FlowId>)> = Vec::new();
    let mut at: rustc_hash::FxHashMap<u32, usize> = Default::default();
    for (i, f) in m.flows.iter().enumerate() {
        if f.job.is_none() {
            continue;
        }
        let g = *at.entry(f.block).or_insert_with(|| {
            groups.push((f.block, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(FlowId(i as u32));
    }
    for (_, members) in groups {
        let mut by_kind: Vec<(JobKind, Vec<String>)> = Vec::new();
        for &f in &members {
            for row in p.jobs_of(f) {
                match by_kind.iter_mut().find(|(k, _)| *k == row.job) {
                    Some((_, lines)) => lines.extend(row.settings),
                    None => by_kind.push((row.job, row.settings)),
                }
            }
        }
        let merged: Vec<(JobKind, Vec<String>)> = by_kind
            .into_iter()
            .map(|(k, lines)| (k, merge(lines)))
            .collect();
        for &f in &members {
            for j in p.jobs_by_flow.get(&f).cloned().unwrap_or_default() {
                let row = &mut p.plan.jobs[j];
                if let Some((_, lines)) = merged.iter().find(|(k, _)| *k == row.job) {
                    row.settings = lines.clone();
                }
            }
        }
        let block = m.flows[members[0].index()].block_name();
        if let Some(step) = p.find(&format!("flow.{}.settings", block.node)) {
            let values = settings_values(p, &members);
            p.plan.steps[step].values = values;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_lists_of_one_job_become_one_line() {
        let merged = merge([
            access_line(AccessList::Session, "a.example.com:443"),
            access_line(AccessList::Session, "b.example.com:443,a.example.com:443"),
            "spark.hadoop.odps.cupid.smartnat.enable = true".to_string(),
            access_line(AccessList::Spark, "a.example.com:443"),
            "spark.hadoop.odps.cupid.smartnat.enable = true".to_string(),
            access_line(AccessList::Spark, "b.example.com:80"),
        ]);
        assert_eq!(
            merged,
            [
                "set odps.internet.access.list=a.example.com:443,b.example.com:443;",
                "spark.hadoop.odps.cupid.smartnat.enable = true",
                "spark.hadoop.odps.cupid.internet.access.list=a.example.com:443,b.example.com:80",
            ]
        );
        assert_eq!(
            merge([
                access_line(AccessList::Maxframe, "a:1"),
                access_line(AccessList::Maxframe, "b:2")
            ]),
            [r#"options.sql.settings = {"odps.internet.access.list": "a:1,b:2"}"#]
        );
    }
}
