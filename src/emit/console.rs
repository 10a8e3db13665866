//! `console.md`: the plan for a person, per account, numbered steps with the console path and
//! the values to type.

use crate::model::*;
use crate::plan::{Plan, Val};
use std::io::{self, Write};

/// A value as a person types it.
pub fn show(v: &Val) -> String {
    match v {
        Val::Text(t) => format!("`{t}`"),
        Val::List(l) => l
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Val::Output { step, output } => format!("(the {output} from step `{step}`)"),
    }
}

/// Write `console.md` to `out` step by step (it is the largest artifact after `plan.json`).
pub fn write_console_md(m: &Model, plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# netlink plan\n")?;
    writeln!(out, "{}", super::terminal::summary(m, plan))?;
    writeln!(
        out,
        "Steps are numbered in execution order; steps of one wave can be done in parallel.\n"
    )?;
    for group in super::names::by_account(m, plan) {
        match group.account {
            Some(a) => writeln!(out, "## Account `{}` (UID {})\n", a.name.node, a.uid.node)?,
            None => writeln!(out, "## Outside Alibaba Cloud\n")?,
        }
        if let Some(label) = group.account.and_then(|a| a.label.as_ref()) {
            writeln!(out, "{label}\n")?;
        }
        for (number, i) in group.steps {
            let s = &plan.steps[i];
            writeln!(out, "### {}. {}\n", number, s.title)?;
            write!(out, "wave {} · {} console", plan.waves[i], s.console)?;
            if let Some(r) = &s.region {
                write!(out, " · region `{r}`")?;
            }
            writeln!(out, " · id `{}`\n", s.id)?;
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
            writeln!(out, "Go to: {}\n", s.path)?;
            if !s.values.is_empty() {
                writeln!(out, "| field | value |\n|---|---|")?;
                for (k, v) in &s.values {
                    writeln!(out, "| {k} | {} |", show(v).replace('|', "\\|"))?;
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
                    write!(out, "{sep}{} (`{}`, {who})", plan.number(d), step.id)?;
                }
                writeln!(out, "\n")?;
            }
        }
    }
    Ok(())
}
