//! `console.md`: the plan for a person, per account, numbered steps with the console path and
//! the values to type.

use super::names::account_name;
use crate::model::*;
use crate::plan::{Plan, Val};
use std::fmt::Write;

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

/// Render `console.md`.
pub fn console_md(m: &Model, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# netlink plan\n");
    let _ = writeln!(out, "{}", super::terminal::summary(m, plan));
    let _ = writeln!(
        out,
        "Steps are numbered in execution order; steps of one wave can be done in parallel.\n"
    );
    for group in super::names::by_account(m, plan) {
        let heading = match group.account {
            Some(a) => format!("Account `{}` (UID {})", a.name.node, a.uid.node),
            None => "Outside Alibaba Cloud".to_string(),
        };
        let _ = writeln!(out, "## {heading}\n");
        if let Some(label) = group.account.and_then(|a| a.label.as_ref()) {
            let _ = writeln!(out, "{label}\n");
        }
        for (number, i) in group.steps {
            let s = &plan.steps[i];
            let _ = writeln!(out, "### {}. {}\n", number, s.title);
            let mut facts = vec![
                format!("wave {}", plan.waves[i]),
                format!("{} console", s.console),
            ];
            if let Some(r) = &s.region {
                facts.push(format!("region `{r}`"));
            }
            facts.push(format!("id `{}`", s.id));
            let _ = writeln!(out, "{}\n", facts.join(" · "));
            if let Some(x) = &s.manual {
                let mut line = format!("**Manual ({})**", x.kind);
                if let Some(l) = x.lead_time {
                    line.push_str(&format!(": lead time {l}"));
                }
                if let Some(d) = x.deadline {
                    line.push_str(&format!("; deadline: {d}"));
                }
                let _ = writeln!(out, "{line}\n");
            }
            let _ = writeln!(out, "Go to: {}\n", s.path);
            if !s.values.is_empty() {
                let _ = writeln!(out, "| field | value |\n|---|---|");
                for (k, v) in &s.values {
                    let _ = writeln!(out, "| {k} | {} |", show(v).replace('|', "\\|"));
                }
                let _ = writeln!(out);
            }
            let deps = plan.depends_on(i);
            if !deps.is_empty() {
                let list: Vec<String> = deps
                    .iter()
                    .map(|&(d, _)| {
                        let step = &plan.steps[d];
                        let who = step
                            .account
                            .map(|a| account_name(m, a))
                            .unwrap_or_else(|| "outside".to_string());
                        format!("{} (`{}`, {who})", plan.number(d), step.id)
                    })
                    .collect();
                let _ = writeln!(out, "After: {}\n", list.join(", "));
            }
        }
    }
    out
}
