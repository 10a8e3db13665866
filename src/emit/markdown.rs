//! `netlink plan --format markdown`: the plan as a pull-request comment, always under GitHub's
//! limit (65,535 characters): a summary first, then the steps per account folded in `<details>`,
//! cut with a clear line when the budget runs out.

use super::console::show;
use super::names::by_account;
use crate::model::Model;
use crate::plan::Plan;
use crate::verify::Proof;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The budget, leaving room under GitHub's 65,535 for a header a workflow may add.
pub const MAX_CHARS: usize = 60_000;

/// Rows at most in each summary table, so the steps still get room.
const ROWS: usize = 100;

fn summary(m: &Model, plan: &Plan, proofs: &[Proof]) -> String {
    let mut out = String::new();
    let proven = proofs.iter().filter(|p| p.proven()).count();
    let _ = writeln!(out, "## netlink plan\n");
    let _ = writeln!(out, "{}", super::terminal::summary(m, plan));
    let _ = writeln!(
        out,
        "Flows proven both ways: **{proven} of {}**.\n",
        proofs.len()
    );
    // Steps per account and console.
    let mut consoles: Vec<&str> = plan.steps.iter().map(|s| s.console.as_str()).collect();
    consoles.sort_unstable();
    consoles.dedup();
    let _ = writeln!(out, "| account | {} | total |", consoles.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(consoles.len()));
    for group in by_account(m, plan) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, i) in &group.steps {
            *counts.entry(plan.steps[*i].console.as_str()).or_insert(0) += 1;
        }
        let name = group
            .account
            .map(|a| format!("`{}`", a.name.node))
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
                .map(|a| format!("`{}`", m.accounts[a.index()].name.node))
                .unwrap_or_else(|| "outside".into());
            let _ = writeln!(
                out,
                "| {} | `{}` | {who} | {} | {} |",
                plan.number(i),
                s.id,
                x.0,
                x.1
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
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| `{}` | `{}` → `{}` | {verdict} | {waits} |",
                p.probe.name,
                m.computes[p.probe.from.index()].name.node,
                m.targets[p.probe.to.index()].name.node
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
        "{number}. **{}** — `{}`, wave {}, {} console",
        s.title, s.id, plan.waves[i], s.console
    );
    if let Some(r) = &s.region {
        line.push_str(&format!(", `{r}`"));
    }
    if let Some(x) = &s.manual {
        line.push_str(&format!(" — ⚠ manual ({})", x.kind));
        if let Some(l) = x.lead_time.or(x.deadline) {
            line.push_str(&format!(": {l}"));
        }
    }
    line.push_str(&format!("\n   - {}\n", s.path));
    for (k, v) in &s.values {
        line.push_str(&format!("   - {k}: {}\n", show(v)));
    }
    let deps = plan.depends_on(i);
    if !deps.is_empty() {
        let list: Vec<String> = deps
            .iter()
            .map(|(d, _)| plan.number(*d).to_string())
            .collect();
        line.push_str(&format!("   - after {}\n", list.join(", ")));
    }
    line
}

/// The plan as a pull-request comment.
pub fn plan_markdown(m: &Model, plan: &Plan, proofs: &[Proof]) -> String {
    let mut out = summary(m, plan, proofs);
    let footer_room = 400;
    let mut left_out = 0usize;
    for group in by_account(m, plan) {
        let title = match group.account {
            Some(a) => format!("Account `{}` (UID {})", a.name.node, a.uid.node),
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
