//! Stage 6, `emit`: the plan → artifacts (`plan.json`, `console.md`, `routes.json`,
//! `whitelists.json`, `security-groups.json`, `jobs.json`) and the terminal view. Artifact types
//! are serde types of their own, separate from the IR; every list is sorted; no timestamps, no
//! absolute paths.

mod console;
mod graph;
mod json;
mod markdown;
mod names;
mod terminal;
mod write;

pub use console::console_md;
pub use graph::{after_dot, steps_dot, topology_dot};
pub use json::{
    jobs_json, plan_json, routes_json, security_groups_json, whitelists_json, FORMAT_VERSION,
};
pub use markdown::{plan_markdown, MAX_CHARS as MARKDOWN_MAX_CHARS};
pub use names::{block_name, hop_name, table_name};
pub use terminal::{plan_text, summary};
pub use write::{write_atomically, write_each, WriteError, ARTIFACTS};

use crate::model::Model;
use crate::plan::Plan;
use crate::source::SourceMap;

/// One artifact by file name (empty for a name netlink does not write).
pub fn artifact(name: &str, m: &Model, plan: &Plan, sources: &SourceMap) -> String {
    match name {
        "plan.json" => plan_json(m, plan, sources),
        "console.md" => console_md(m, plan),
        "routes.json" => routes_json(m, plan),
        "whitelists.json" => whitelists_json(m, plan),
        "security-groups.json" => security_groups_json(m, plan),
        "jobs.json" => jobs_json(m, plan),
        _ => String::new(),
    }
}

/// Every artifact, by file name, in a fixed order.
pub fn artifacts(m: &Model, plan: &Plan, sources: &SourceMap) -> Vec<(&'static str, String)> {
    vec![
        ("plan.json", plan_json(m, plan, sources)),
        ("console.md", console_md(m, plan)),
        ("routes.json", routes_json(m, plan)),
        ("whitelists.json", whitelists_json(m, plan)),
        ("security-groups.json", security_groups_json(m, plan)),
        ("jobs.json", jobs_json(m, plan)),
    ]
}
