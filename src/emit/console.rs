//! `console.md`: the plan for a person, per account, numbered steps with the console path and
//! the values to type.

use super::values;
use crate::model::*;
use crate::plan::Plan;
use crate::text;
use std::io::{self, Write};

/// Write `console.md` to `out` step by step (it is the largest artifact after `plan.json`).
pub fn write_console_md(m: &Model, plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# netlink plan\n")?;
    writeln!(out, "{}", text::md_text(&super::terminal::summary(m, plan)))?;
    writeln!(
        out,
        "Steps are numbered in execution order; steps of one wave can be done in parallel.\n"
    )?;
    for group in super::names::by_account(m, plan) {
        match group.account {
            Some(a) => writeln!(
                out,
                "## Account {} (UID {})\n",
                text::md_code(&a.name.node),
                a.uid.node
            )?,
            None => writeln!(out, "## Outside Alibaba Cloud\n")?,
        }
        if let Some(label) = group.account.and_then(|a| a.label.as_ref()) {
            writeln!(out, "Label: {}\n", text::md_code(label))?;
        }
        for (number, i) in group.steps {
            let s = &plan.steps[i];
            writeln!(out, "### {}. {}\n", number, text::title_markdown(&s.title))?;
            write!(out, "wave {} · {} console", plan.waves[i], s.console)?;
            if let Some(r) = &s.region {
                write!(out, " · region {}", text::md_code(r))?;
            }
            writeln!(out, " · id {}\n", text::md_code(&s.id))?;
            if let Some(x) = &s.manual {
                write!(out, "**Manual ({})**", x.kind)?;
                if let Some(l) = x.lead_time {
                    write!(out, ": lead time {l}")?;
                }
                if let Some(d) = x.deadline {
                    write!(out, "; deadline: {d}")?;
                }
                writeln!(out, "\n")?;
            }
            writeln!(out, "Go to: {}\n", text::title_markdown(&s.path))?;
            if !s.values.is_empty() {
                writeln!(out, "| field | value |\n|---|---|")?;
                for (k, v) in &s.values {
                    writeln!(out, "| {} | {} |", text::md_text(k), values::cell(v))?;
                }
                writeln!(out)?;
            }
            let deps = plan.depends_on(i);
            if !deps.is_empty() {
                write!(out, "After: ")?;
                for (n, &(d, _)) in deps.iter().enumerate() {
                    let step = &plan.steps[d];
                    let who = step
                        .account
                        .map_or("outside", |a| m.accounts[a.index()].name.node.as_str());
                    let sep = if n == 0 { "" } else { ", " };
                    write!(
                        out,
                        "{sep}{} ({}, {})",
                        plan.number(d),
                        text::md_code(&step.id),
                        text::md_code(who)
                    )?;
                }
                writeln!(out, "\n")?;
            }
        }
    }
    Ok(())
}
