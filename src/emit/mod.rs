//! Stage 6, `emit`: the plan → artifacts (`plan.json`, `console.md`, `routes.json`,
//! `whitelists.json`, `security-groups.json`, `jobs.json`) and the terminal view. Artifact types
//! are serde types of their own, separate from the IR; every list is sorted; no timestamps, no
//! absolute paths.

mod console;
mod graph;
mod inventory;
mod json;
mod markdown;
mod names;
mod picture;
mod terminal;
mod terraform;
mod values;
mod write;

pub use crate::names::{block_name, hop_name, table_name};
pub use graph::{
    after_dot, after_picture, steps_dot, steps_picture, topology_dot, topology_picture,
};
pub use json::FORMAT_VERSION;
pub use markdown::{plan_markdown, MARKER as MARKDOWN_MARKER, MAX_CHARS as MARKDOWN_MAX_CHARS};
pub use picture::Picture;
pub use terminal::{plan_text, summary};
pub use terraform::export as terraform_export;
pub use write::{write_atomically, write_each, WriteError, ARTIFACTS, TERRAFORM_DIR};

use crate::model::Model;
use crate::plan::Plan;
use crate::source::SourceMap;
use crate::verify::Proof;

/// Write one artifact, by file name, to `w` (nothing for a name netlink does not write), as it
/// is serialized: no artifact is held in memory whole.
pub fn write_artifact(
    name: &str,
    m: &Model,
    plan: &Plan,
    proofs: &[Proof],
    sources: &SourceMap,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match name {
        "plan.json" => json::write_plan_json(m, plan, proofs, sources, w),
        "console.md" => console::write_console_md(m, plan, w),
        "routes.json" => json::write_routes_json(m, plan, w),
        "whitelists.json" => json::write_whitelists_json(m, plan, w),
        "security-groups.json" => json::write_security_groups_json(m, plan, w),
        "jobs.json" => json::write_jobs_json(m, plan, w),
        _ => Ok(()),
    }
}

/// The Terraform export as artifacts: paths under [`TERRAFORM_DIR`], and their text.
pub fn terraform_files(m: &Model, plan: &Plan) -> Vec<(String, String)> {
    terraform::export(m, plan)
        .into_iter()
        .map(|(p, t)| (format!("{TERRAFORM_DIR}/{p}"), t))
        .collect()
}

/// Every artifact, by file name, in a fixed order, as text (for `diff`, tests and fuzzing; a
/// build streams them with [`write_artifact`] instead).
pub fn artifacts(
    m: &Model,
    plan: &Plan,
    proofs: &[Proof],
    sources: &SourceMap,
) -> Vec<(&'static str, String)> {
    ARTIFACTS
        .iter()
        .map(|&name| {
            let mut buf = Vec::new();
            // Writing to memory cannot fail, and only UTF-8 is written.
            let _ = write_artifact(name, m, plan, proofs, sources, &mut buf);
            (name, String::from_utf8(buf).unwrap_or_default())
        })
        .collect()
}
