//! `netlink plan --format markdown`: the plan as a pull-request comment, always under GitHub's
//! limit (65,535 characters): the hidden marker [`MARKER`], the one-line summary, the manual steps
//! and flows, then the steps per account folded in `<details>`, cut with a clear line when the
//! budget runs out.
//!
//! Steps are bold paragraphs that carry their own number (`**3. Accept peering …**`), never an
//! ordered list: CommonMark renumbers a list from its first item, so a list would show other
//! numbers than the manual-steps table and the `after` references. Every user string is a code
//! span (or HTML-escaped inside `<summary>`), so none can become markup.

use super::names::by_account;
use super::values;
use crate::model::Model;
use crate::plan::Plan;
use crate::text;
use crate::verify::Proof;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The plan's budget: with `netlink diff --format markdown` (at most
/// [`crate::diff::MARKDOWN_MAX_CHARS`]) joined before it, one comment stays under 65,000, below
/// GitHub's 65,536.
pub const MAX_CHARS: usize = 50_000;

/// The largest topology (nodes and boxes) the comment draws as a Mermaid chart; a larger one
/// would not be readable there (`netlink graph --topology --focus NAME` draws a part).
pub const MERMAID_MAX_NODES: usize = 50;

/// The first line of every netlink PR comment, so a CI can find and update one sticky comment.
pub const MARKER: &str = "<!-- netlink-plan -->";

/// Rows at most in each summary table, so the steps still get room.
const ROWS: usize = 100;

fn summary(m: &Model, plan: &Plan, proofs: &[Proof]) -> String {
    let mut out = String::new();
    let proven = proofs.iter().filter(|p| p.proven()).count();
    let _ = writeln!(out, "{MARKER}\n## netlink plan\n");
    let _ = writeln!(
        out,
        "{} Flows proven both ways: **{proven} of {}**.",
        text::md_text(&super::terminal::summary(m, plan)),
        proofs.len()
    );
    let _ = write!(out, "{}", tables(m, plan, proofs));
    let topology = super::graph::topology_picture(m);
    if topology.size() <= MERMAID_MAX_NODES {
        // Mermaid labels are entity-encoded: no backtick can close the fence.
        let _ = write!(
            out,
            "\n<details><summary>Topology</summary>\n\n```mermaid\n{}```\n\n</details>\n",
            topology.mermaid("LR")
        );
    }
    let _ = writeln!(
        out,
        "\n<details><summary>Steps per account and console</summary>\n"
    );
    let mut consoles: Vec<&str> = plan.steps.iter().map(|s| s.console.as_str()).collect();
    consoles.sort_unstable();
    consoles.dedup();
    let heads: Vec<String> = consoles.iter().map(|c| text::md_text(c)).collect();
    let _ = writeln!(out, "| account | {} | total |", heads.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(consoles.len()));
    for group in by_account(m, plan) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, i) in &group.steps {
            *counts.entry(plan.steps[*i].console.as_str()).or_insert(0) += 1;
        }
        let name = group
            .account
            .map(|a| text::md_cell_code(&a.name.node))
            .unwrap_or_else(|| "outside Alibaba Cloud".into());
        let cells: Vec<String> = consoles
            .iter()
            .map(|c| counts.get(c).map(|n| n.to_string()).unwrap_or_default())
            .collect();
        let _ = writeln!(
            out,
            "| {name} | {} | {} |",
            cells.join(" | "),
            group.steps.len()
        );
    }
    let _ = writeln!(out, "\n</details>");
    out
}

/// The manual steps and the flows: what a reviewer must see without unfolding anything.
fn tables(m: &Model, plan: &Plan, proofs: &[Proof]) -> String {
    let mut out = String::new();
    let manual: Vec<usize> = plan
        .order
        .iter()
        .copied()
        .filter(|&i| plan.steps[i].manual.is_some())
        .collect();
    if !manual.is_empty() {
        let _ = writeln!(out, "\n**Manual steps**\n\n| # | step | who | kind | lead time / deadline |\n|---|---|---|---|---|");
        let total = manual.len();
        for &i in manual.iter().take(ROWS) {
            let s = &plan.steps[i];
            let x = s
                .manual
                .as_ref()
                .map(|x| (x.kind, x.lead_time.or(x.deadline).unwrap_or("")))
                .unwrap_or_default();
            let who = s
                .account
                .map(|a| text::md_cell_code(&m.accounts[a.index()].name.node))
                .unwrap_or_else(|| "outside".into());
            let _ = writeln!(
                out,
                "| {} | {} | {who} | {} | {} |",
                plan.number(i),
                text::md_cell_code(&s.id),
                text::md_text(x.0),
                text::md_text(x.1)
            );
        }
        if total > ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more manual steps (all in `console.md`).",
                total - ROWS
            );
        }
    }
    if !proofs.is_empty() {
        let _ = writeln!(
            out,
            "\n**Flows**\n\n| flow | from → to | proven | waits on |\n|---|---|---|---|"
        );
        // Unproven flows first: they are what a reviewer must see.
        let mut shown: Vec<&Proof> = proofs.iter().filter(|p| !p.proven()).collect();
        shown.extend(proofs.iter().filter(|p| p.proven()));
        for p in shown.iter().take(ROWS) {
            let verdict = if p.proven() { "✅" } else { "❌" };
            let waits = if p.pending.is_empty() {
                String::new()
            } else {
                p.pending
                    .iter()
                    .map(|s| text::md_cell_code(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| {} | {} → {} | {verdict} | {waits} |",
                text::md_cell_code(&p.probe.name),
                text::md_cell_code(&m.computes[p.probe.from.index()].name.node),
                text::md_cell_code(&m.targets[p.probe.to.index()].name.node)
            );
        }
        if proofs.len() > ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more flows (`netlink check` proves each).",
                proofs.len() - ROWS
            );
        }
    }
    out
}

fn step_line(plan: &Plan, number: usize, i: usize) -> String {
    let s = &plan.steps[i];
    let mut line = format!(
        "**{number}. {}**\\\n{} · wave {} · {} console",
        text::title_markdown(&s.title),
        text::md_code(&s.id),
        plan.waves[i],
        text::md_text(s.console.as_str())
    );
    if let Some(r) = &s.region {
        line.push_str(&format!(" · region {}", text::md_code(r)));
    }
    if let Some(x) = &s.manual {
        line.push_str(&format!(" · ⚠ manual ({})", text::md_text(x.kind)));
        if let Some(l) = x.lead_time.or(x.deadline) {
            line.push_str(&format!(": {}", text::md_text(l)));
        }
    }
    line.push_str(&format!("\n\n- {}\n", text::title_markdown(&s.path)));
    for (k, v) in &s.values {
        line.push_str(&format!(
            "- {}: {}\n",
            text::md_text(k),
            values::markdown(v)
        ));
    }
    let deps = plan.depends_on(i);
    if !deps.is_empty() {
        let list: Vec<String> = deps
            .iter()
            .map(|(d, _)| plan.number(*d).to_string())
            .collect();
        line.push_str(&format!("- after step {}\n", list.join(", ")));
    }
    line.push('\n');
    line
}

/// The plan as a pull-request comment.
pub fn plan_markdown(m: &Model, plan: &Plan, proofs: &[Proof]) -> String {
    let mut out = summary(m, plan, proofs);
    let footer_room = 400;
    let mut left_out = 0usize;
    for group in by_account(m, plan) {
        let title = match group.account {
            Some(a) => format!(
                "Account <code>{}</code> (UID {})",
                text::html(&a.name.node),
                text::html(&a.uid.node)
            ),
            None => "Outside Alibaba Cloud".to_string(),
        };
        let open = format!(
            "\n<details><summary>{title} — {} steps</summary>\n\n",
            group.steps.len()
        );
        let close = "\n</details>\n";
        if left_out > 0 || out.len() + open.len() + close.len() + footer_room > MAX_CHARS {
            left_out += group.steps.len();
            continue;
        }
        out.push_str(&open);
        for &(number, i) in &group.steps {
            let line = step_line(plan, number, i);
            if left_out > 0 || out.len() + line.len() + close.len() + footer_room > MAX_CHARS {
                left_out += 1;
                continue;
            }
            out.push_str(&line);
        }
        out.push_str(close);
    }
    if left_out > 0 {
        let _ = writeln!(out, "\n> **{left_out} of {} steps are left out** to keep this comment under GitHub's size limit. The full plan is in `console.md` (`netlink build PATH --out DIR`).", plan.steps.len());
    }
    out
}
